import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

@Suite("Take-home: the QR code and the slip printed only when asked")
struct TakeHomeTests {
    /// Welcome, no warning sign, then neck / tight / 6 / old car accident / years / none.
    let selfCare = ["", "3", "1", "2", "6", "1", "2", "3"]
    /// Yes, book: a massage therapist, mornings, a name, a phone, consent.
    let booking = ["book", "1", "1", "Ana María Pérez", "555 010 0199", "1"]

    /// The fixture with real templates for the take-home texts and, when given, a link
    /// and a printer.
    func content(link: String? = nil, printer: String? = nil) -> PracticeContent {
        var content = Fixture.content
        content.clinic.phone = "(217) 555-0142"
        content.clinic.link = link
        content.clinic.printer = printer
        var texts = content.messages.texts
        let templates: [MessageKey: String] = [
            .takeHomeScanLink: "Scan, or type: {link}", .takeHomeScanPhone: "Scan, or call us: {phone}",
            .takeHomeTooSmall: "Too small for the code.", .takeHomePaperAsk: "Would you like this on paper?",
            .takeHomePrinting: "Printing.", .takeHomeNotReady: "The printer is not ready; please ask at the front desk.",
            .slipPhone: "Phone: {phone}", .slipDate: "Date: {date}", .slipReference: "Reference code: {code}",
            .slipGetCareNow: "Get care now if:", .resultsHomeCare: "At home now:", .resultsWatchFor: "Watch for:",
            .summaryOptions: "Options:",
        ]
        for (key, text) in templates { texts[key.rawValue] = Fixture.t(text) }
        content.messages = Messages(texts)
        return content
    }

    /// A session that booked, with the summary screen shown.
    func booked(_ content: PracticeContent) -> (ClientSession, Screen) {
        var (session, _) = Fixture.run(selfCare, content: content)
        for line in booking { _ = session.handle(line, now: Fixture.now) }
        let saved = session.followUpSaved(reference: "ABC-234")
        return (session, saved.screen)
    }

    func takeHomeCode(on screen: Screen) -> (payload: String, caption: String)? {
        for block in screen.blocks { if case let .qrCode(payload, caption, _) = block { return (payload, caption) } }
        return nil
    }

    @Test("the code opens the practice's link with the reference filled in, else a tel: link to its phone",
          arguments: [
            ("https://clinic.example/book?ref={reference}", "ABC-234", "(217) 555-0142", "https://clinic.example/book?ref=ABC-234"),
            ("https://clinic.example/book?ref={reference}", nil, "(217) 555-0142", "https://clinic.example/book?ref="),
            ("https://clinic.example/", "ABC-234", "(217) 555-0142", "https://clinic.example/"),
            (nil, "ABC-234", "(217) 555-0142", "tel:2175550142"),
            (nil, nil, "+1 217 555 0142", "tel:+12175550142"),
          ] as [(String?, String?, String, String)])
    func link(link: String?, reference: String?, phone: String, expected: String) {
        var clinic = Fixture.content.clinic
        clinic.link = link
        clinic.phone = phone
        #expect(ClientSession.takeHomeLink(clinic, reference: reference) == expected)
    }

    @Test("after a booking the summary shows the code and, in words, the same link; never the client's name or contact")
    func codeAfterBooking() throws {
        let (_, screen) = booked(content(link: "https://clinic.example/book?ref={reference}"))
        let code = try #require(takeHomeCode(on: screen))
        #expect(code.payload == "https://clinic.example/book?ref=ABC-234")
        #expect(code.caption == "Scan, or type: https://clinic.example/book?ref=ABC-234")
        for private_ in ["Ana", "Pérez", "555 010 0199", "0199", "neck", "tight"] {
            #expect(!code.payload.contains(private_))
        }
        #expect(screen.plainText.contains("ABC-234"))
    }

    @Test("without a link the code calls the practice, and the number is beside it in words")
    func phoneCode() throws {
        let (_, screen) = booked(content())
        let code = try #require(takeHomeCode(on: screen))
        #expect(code.payload == "tel:2175550142")
        #expect(code.caption == "Scan, or call us: (217) 555-0142")
    }

    @Test("a client who does not book gets the code too, without a reference")
    func codeAfterDeclining() throws {
        var (session, _) = Fixture.run(selfCare, content: content(link: "https://clinic.example/?ref={reference}"))
        let declined = session.handle("", now: Fixture.now)
        let code = try #require(takeHomeCode(on: declined.screen))
        #expect(code.payload == "https://clinic.example/?ref=")
        #expect(session.step == .finished)
    }

    @Test("with no printer (an event laptop) there is no paper question, and Enter ends the session")
    func noPrinter() {
        var (session, screen) = booked(content())
        #expect(!screen.plainText.contains("on paper"))
        #expect(session.handle("", now: Fixture.now).effects == [.endSession])
    }

    @Test("with a printer, Enter, no or 2 at the paper question end the session and print nothing",
          arguments: ["", "no", "2", "No"])
    func paperDeclined(answer: String) {
        var (session, screen) = booked(content(printer: "Slip"))
        #expect(screen.plainText.contains("Would you like this on paper?"))
        #expect(screen.prompt == Fixture.content.messages.text(.bookAskHint, "en"))
        let next = session.handle(answer, now: Fixture.now)
        #expect(next.effects == [.endSession], "nothing printed, nothing else done")
    }

    @Test("yes prints the slip on the practice's queue; then the client is told, and Enter ends the session")
    func paperPrinted() throws {
        var (session, _) = booked(content(printer: "Front-desk_Slip"))
        let yes = session.handle("yes", now: Fixture.now)
        guard case let .printSlip(slip, queue)? = yes.effects.first, yes.effects.count == 1 else {
            Issue.record("expected one slip to print, got \(yes.effects)"); return
        }
        #expect(queue == "Front-desk_Slip")
        #expect(!slip.isEmpty)
        let told = session.slipPrinted()
        #expect(told.screen.plainText.contains("Printing."))
        #expect(session.handle("", now: Fixture.now).effects == [.endSession])
    }

    @Test("a printer that is not ready: one line says so, and the session goes on to its end")
    func printerNotReady() {
        var (session, _) = booked(content(printer: "Slip"))
        _ = session.handle("1", now: Fixture.now)
        let told = session.slipNotReady()
        #expect(told.screen.blocks == [.notice("The printer is not ready; please ask at the front desk.")])
        #expect(told.effects.isEmpty)
        #expect(session.handle("", now: Fixture.now).effects == [.endSession])
    }

    @Test("an unclear answer to the paper question gets a hint and the same question")
    func paperUnclear() {
        var (session, _) = booked(content(printer: "Slip"))
        let unclear = session.handle("perhaps", now: Fixture.now)
        guard case .hint = unclear.screen.blocks.last else { Issue.record("expected a hint"); return }
        #expect(unclear.effects.isEmpty)
        #expect(takeHomeCode(on: unclear.screen) != nil, "the code stays on the screen under the hint")
        #expect(unclear.screen.plainText.contains("ABC-234"), "and so does the summary")
        #expect(unclear.screen.prompt == Fixture.content.messages.text(.bookAskHint, "en"))
        // Still asked: yes prints.
        guard case .printSlip? = session.handle("1", now: Fixture.now).effects.first else {
            Issue.record("yes after a hint did not print"); return
        }
    }

    @Test("the slip: the practice, the date, the reference, each option, home care, what to watch for, the signs that mean get care now; nothing the client typed or answered")
    func slipContents() throws {
        var (session, _) = booked(content(printer: "Slip"))
        guard case let .printSlip(slip, _)? = session.handle("1", now: Fixture.now).effects.first else {
            Issue.record("no slip"); return
        }
        let text = Screen(blocks: slip, prompt: "").plainText
        for expected in ["Test Clinic", "Phone: (217) 555-0142", "Date: 2027-01-15", "Reference code: ABC-234",
                         "Options:", "- Massage therapy", "At home now:", "- Massage therapy: Rest",
                         "Watch for:", "- Massage therapy: Bruising", "Get care now if:", "- Chest pain"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        // Fever leads to "see a doctor soon", not to emergency care.
        #expect(!text.contains("Fever"))
        // Nothing about this client: name, contact, answers, reasons that repeat answers.
        for private_ in ["Ana", "Pérez", "555 010 0199", "Your muscles feel tight", "Old injury", "Neck",
                         "Mornings", "Massage therapist 1"] {
            #expect(!text.contains(private_), "the slip holds \(private_)")
        }
    }

    @Test("help at the end shows the code again, with the paper question")
    func helpKeepsTheCode() {
        var (session, _) = booked(content(printer: "Slip"))
        let help = session.handle("help", now: Fixture.now)
        #expect(takeHomeCode(on: help.screen) != nil)
        #expect(help.screen.plainText.contains("Would you like this on paper?"))
        #expect(help.effects.isEmpty)
    }

    @Test("a slip for a client who did not book has no reference line")
    func slipWithoutReference() {
        var (session, _) = Fixture.run(selfCare, content: content(printer: "Slip"))
        _ = session.handle("", now: Fixture.now)
        guard case let .printSlip(slip, _)? = session.handle("yes", now: Fixture.now).effects.first else {
            Issue.record("no slip"); return
        }
        let text = Screen(blocks: slip, prompt: "").plainText
        #expect(!text.contains("Reference code"))
        #expect(text.contains("- Massage therapy"))
    }

    @Test("the slip's date is the clinic's day (America/Chicago), written YYYY-MM-DD")
    func slipDate() {
        // 03:00 UTC on 15 January is still the evening of the 14th in Chicago.
        let lateEvening = Date(timeIntervalSince1970: 1_800_000_000 - 5 * 3_600)
        #expect(ClientSession.slipDate(lateEvening, clinic: Fixture.content.clinic) == "2027-01-14")
        #expect(ClientSession.slipDate(Fixture.now, clinic: Fixture.content.clinic) == "2027-01-15")
    }
}
