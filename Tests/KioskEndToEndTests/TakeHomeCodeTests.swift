import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import KioskTerminal
import Testing

/// The take-home QR code as a phone would read it: drawn by the renderer (or by the kiosk
/// in a terminal), painted into a bitmap from its half blocks, decoded by zbarimg.
@Suite("The take-home code scans", .enabled(if: QRScanning.runs, Comment(rawValue: QRScanning.howToRun)))
struct TakeHomeCodeTests {
    static let link = "https://clinic.example/book?ref=ABC-234"
    /// 150 characters: the longest kind of link a practice might give (a booking page with
    /// tracking parameters).
    static let longLink: String = {
        let start = "https://booking.clinic.example/online/appointments/new?ref=ABC-234&source=waiting-room-kiosk&utm_medium=qr&utm_campaign=take-home&lang=en&pad="
        return start + String(repeating: "x", count: 150 - start.count)
    }()

    /// A summary screen like the one after a booking, with the code.
    static func summary(_ payload: String) -> Screen {
        Screen(clear: true, blocks: [
            .notice("Your request is saved. Your reference code is ABC-234. Please keep it."),
            .blank, .heading("Your summary"), .text("Options to talk about with a professional:"),
            .bullet("Massage therapy"), .bullet("Heat"), .bullet("Gentle movement"),
            .blank, .qrCode(payload: payload, caption: "Scan, or type: \(payload)", tooSmall: "Too small."),
        ], prompt: "Press Enter when you are done.")
    }

    static func lines(_ rendered: String) -> [String] {
        rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("the code decodes to the link with the reference, in colour (dark on light, forced) on any terminal",
          arguments: [QRScanning.Terminal.darkBackground, .lightBackground])
    func colour(terminal: QRScanning.Terminal) throws {
        let renderer = Renderer(width: 100, color: true, height: 40)
        let screen = Self.lines(renderer.render(Self.summary(Self.link)))
        #expect(screen.joined().contains("\u{1B}[30;47m"), "black on white, whatever the terminal's colours")
        #expect(try QRScanning.decode(screen, on: terminal) == [Self.link])
    }

    @Test("with NO_COLOR the code decodes on the usual light-on-dark terminal, and inverted on a light one")
    func noColour() throws {
        let renderer = Renderer(width: 100, color: false, height: 40)
        let screen = Self.lines(renderer.render(Self.summary(Self.link)))
        #expect(!screen.joined().contains("\u{1B}"), "no colour codes at all")
        #expect(try QRScanning.decode(screen, on: .darkBackground) == [Self.link])
        // On dark text over light it comes out light on dark: readers that try the inverse read it.
        #expect(try QRScanning.decode(screen, on: .lightBackground, inverted: true) == [Self.link])
    }

    @Test("a link of 150 characters still decodes, with and without colour", arguments: [true, false])
    func longLink(color: Bool) throws {
        #expect(Self.longLink.count == 150)
        let renderer = Renderer(width: 100, color: color, height: 40)
        let screen = Self.lines(renderer.render(Self.summary(Self.longLink)))
        #expect(screen.contains { $0.contains("▀") }, "the code is drawn at 100x40")
        #expect(try QRScanning.decode(screen, on: .darkBackground) == [Self.longLink])
    }

    @Test("below the text on a narrow, tall terminal, the code still decodes")
    func stacked() throws {
        let renderer = Renderer(width: 50, color: true, height: 60)
        let screen = Self.lines(renderer.render(Self.summary(Self.link)))
        let codeRows = screen.indices.filter { screen[$0].contains("\u{1B}[30;47m") }
        let lastText = try #require(screen.lastIndex { $0.contains("Gentle movement") })
        #expect(codeRows.first.map { $0 > lastText } == true, "the code comes after the text")
        #expect(try QRScanning.decode(screen, on: .darkBackground) == [Self.link])
    }

    /// The kiosk in a terminal of `columns` x `rows`, through a booking, on content with a link.
    func bookInTerminal(columns: UInt16, rows: UInt16, noColor: Bool) throws -> (screen: [String], reference: String) {
        let content = try KioskBinary.content(addingToClinic: "link: \"https://clinic.example/book?ref={reference}\"")
        let db = KioskBinary.database()
        let kiosk = try KioskBinary.terminal(db, columns: columns, rows: rows, content: content,
                                             environment: noColor ? ["NO_COLOR": "1"] : [:])
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        // A narrow terminal shows the welcome in two pages: Enter shows the second.
        while try kiosk.waitForAny(["Press Enter to start", "see more"]) == 1 { kiosk.send("\r") }
        // Typed ahead: a line typed where a screen says "Press Enter to see more" is the answer.
        for answer in Script.questionnaire + Script.booking.dropLast() { kiosk.send(answer + "\r") }
        _ = try kiosk.waitFor("Press Enter when you are done", timeout: 10)
        let reference = try #require(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 1).first?.reference)
        return (QRScanning.lastScreen(kiosk.rawOutput), reference)
    }

    @Test("in an 80x24 terminal the kiosk's summary shows a code that opens the link with this client's reference",
          arguments: [false, true])
    func terminal80x24(noColor: Bool) throws {
        let (screen, reference) = try bookInTerminal(columns: 80, rows: 24, noColor: noColor)
        #expect(screen.count <= 24, "the whole summary is on the screen: \(screen.count) lines")
        let expected = "https://clinic.example/book?ref=\(reference)"
        #expect(try QRScanning.decode(screen, on: .darkBackground) == [expected])
        #expect(screen.joined(separator: " ").contains(reference))
    }

    @Test("in a terminal too small for the code: one line says so, and the link is there as text")
    func tinyTerminal() throws {
        // The code (37 columns, 19 rows) fits neither beside the summary nor below it.
        let (screen, reference) = try bookInTerminal(columns: 40, rows: 30, noColor: false)
        let text = stripANSI(screen.joined(separator: "\n"))
        #expect(screen.contains { stripANSI($0) == "This screen is too small for the code." }, "one line says so")
        #expect(text.replacingOccurrences(of: "\n", with: "").contains("https://clinic.example/book?ref=\(reference)"))
        #expect(!text.contains("▀") && !text.contains("▄"), "no part of a code")
        for line in screen { #expect(Renderer.displayWidth(stripANSI(line)) <= 40, "cut off: \(line)") }
        #expect(screen.count <= 30, "the whole summary is on the screen: \(screen.count) lines")
    }

    @Test("piped, a client who does not book sees the practice's number as a code and in words")
    func pipedDecline() throws {
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--db", db], input: Script.pipe(Script.questionnaire + [""]))
        #expect(result.status == 0)
        let lines = Self.lines(result.stdout)
        let start = try #require(lines.lastIndex { $0.contains("That's fine.") })
        let screen = Array(lines[start...])
        #expect(try QRScanning.decode(screen, on: .darkBackground) == ["tel:2175550142"])
        #expect(screen.joined().contains("(217) 555-0142"))
    }
}
