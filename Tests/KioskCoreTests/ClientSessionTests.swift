import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

@Suite("A client's way through the kiosk")
struct ClientSessionTests {
    /// Welcome, no warning sign, then neck / tight / 6 / old car accident / years / none.
    let selfCare = ["", "3", "1", "2", "6", "1", "2", "3"]

    @Test("at the overview an option answers to its professional's words, and a wrong answer names the options' numbers")
    func overviewWords() {
        var (session, _) = Fixture.run(selfCare)
        #expect(session.step == .results)
        _ = session.handle("a massage therapist", now: Fixture.now)
        #expect(session.step == .page(0), "the words of the option's professional open its page")
        _ = session.handle("", now: Fixture.now)
        let wrong = session.handle("tomato", now: Fixture.now).screen.plainText
        #expect(session.step == .results)
        // One option is listed: book and no are words, not numbers on the screen.
        #expect(wrong.contains(MessageKey.hintNotAChoice.rawValue), "\(wrong)")
        #expect(wrong.contains("{min} 1 {answer}"), "max is 1, not 3 (yes and no are no numbers): \(wrong)")
    }

    @Test("a whole session reaches results, books, and ends with a reference code")
    func wholeSessionBooks() throws {
        var (session, transitions) = Fixture.run(selfCare)
        #expect(session.step == .results)
        let results = transitions.last!.screen.plainText
        #expect(results.contains("Massage therapy"))
        #expect(results.contains("Your muscles feel tight"))
        #expect(results.contains("1. Massage therapy: Your muscles feel tight"), "the main reason, on the option's line")
        #expect(results.contains("A. Study. J 2016"), "the main source")
        #expect(!results.contains("Funded by a foundation"), "full details wait on the option's page")
        #expect(!results.contains("1. Ice"), "ice fits a new injury only")
        // The option's page: every reason, home care, watch for, the research with its funding.
        let page = session.handle("1", now: Fixture.now).screen.plainText
        #expect(session.step == .page(0))
        for words in ["1. Massage therapy", "Hands-on", "- Your muscles feel tight", "- Rest", "- Bruising", "Funded by a foundation"] {
            #expect(page.contains(words), "the page shows \(words)")
        }
        #expect(session.handle("", now: Fixture.now).screen.plainText.contains("results.title"), "Enter goes back to the list")
        #expect(session.step == .results)
        _ = session.handle("massage", now: Fixture.now)
        #expect(session.step == .page(0), "an option's name opens its page")
        _ = session.handle("back", now: Fixture.now)
        #expect(session.step == .results, "back from a page is the list")
        // Nothing about the client is stored before they confirm; only the session is counted.
        let effects = transitions.flatMap(\.effects)
        #expect(effects == [.sessionStarted(id: "session-1", event: nil, language: "en")])

        let book = session.handle("book", now: Fixture.now)
        guard case let .saveAssessment(record)? = book.effects.first else { Issue.record("no assessment saved"); return }
        #expect(record.optionsShown == ["massage"])
        #expect(record.answers["area"] == .choices(["neck"]))
        _ = session.handle("1", now: Fixture.now)          // massage therapist
        _ = session.handle("1, 2", now: Fixture.now)       // mornings, evenings
        _ = session.handle("Ana María", now: Fixture.now)
        _ = session.handle("555 010 0199", now: Fixture.now)
        let consent = session.handle("1", now: Fixture.now)
        guard case let .saveFollowUp(request)? = consent.effects.first else { Issue.record("no follow-up saved"); return }
        #expect(request.name == "Ana María")
        #expect(request.phone == "555 010 0199")
        #expect(request.email == nil)
        #expect(request.discipline == "massage_therapist")
        #expect(request.preferredTimes == ["morning", "evening"])
        #expect(request.consent)
        #expect(session.step == .saving)

        let saved = session.followUpSaved(reference: "ABC-234")
        #expect(saved.screen.plainText.contains("ABC-234"))
        let end = session.handle("", now: Fixture.now)
        #expect(end.effects == [.endSession])
    }

    @Test("declining the booking is one Enter and stores only the anonymous assessment")
    func decliningIsEnter() {
        var (session, _) = Fixture.run(selfCare)
        let declined = session.handle("", now: Fixture.now)
        #expect(declined.effects.count == 1)
        if case .saveAssessment = declined.effects[0] {} else { Issue.record("expected the assessment only") }
        #expect(session.step == .finished)
        #expect(session.handle("", now: Fixture.now).effects == [.endSession])
    }

    @Test("chest pain stops the questionnaire: no options, no booking, an urgent alert")
    func emergencyStops() {
        var (session, transitions) = Fixture.run(["", "1"])
        #expect(session.step == .outcome)
        let screen = transitions.last!.screen
        #expect(screen.plainText.contains("Call emergency services"))
        #expect(!screen.plainText.contains("Massage therapy"))
        #expect(!screen.plainText.contains("Yes, book"))
        let effects = transitions.last!.effects
        #expect(effects.count == 2)
        guard case let .raiseAlert(alert) = effects[1] else { Issue.record("no alert"); return }
        #expect(alert.level == .urgent)
        #expect(alert.outcome == "emergency")
        // Typing "1" (yes, book) after an emergency only ends the session.
        #expect(session.handle("1", now: Fixture.now).effects == [.endSession])
    }

    @Test("a recent car accident is urgent; the same accident years ago is history")
    func recentVersusOldAccident() {
        let recent = Fixture.run(["", "3", "1", "1", "5", "1", "1"]).0
        #expect(recent.step == .outcome)
        #expect(recent.assessment?.level == .emergency)
        let old = Fixture.run(["", "3", "1", "1", "5", "1", "2", "3"]).0
        #expect(old.step == .results)
        #expect(old.assessment?.level == .selfCare)
    }

    @Test("see a doctor soon: a soon alert, the safe meanwhile text, a booking after clearance")
    func doctorSoon() {
        var (session, transitions) = Fixture.run(["", "2"])
        let screen = transitions.last!.screen.plainText
        #expect(screen.contains("See a doctor soon"))
        #expect(screen.contains("Gentle movement is fine"))
        #expect(!screen.contains("Massage therapy"))
        guard case let .raiseAlert(alert)? = transitions.last!.effects.last else { Issue.record("no alert"); return }
        #expect(alert.level == .soon)
        for line in ["1", "4", "3", "Sam", "sam@example.org"] { _ = session.handle(line, now: Fixture.now) }
        guard case let .saveFollowUp(request)? = session.handle("1", now: Fixture.now).effects.first else {
            Issue.record("no follow-up"); return
        }
        #expect(request.afterMedicalClearance)
        #expect(request.email == "sam@example.org")
        #expect(request.discipline == nil)
    }

    @Test("a contraindicated option is left out with the reason, never suggested")
    func leftOut() {
        // a new sports injury (ice fits) but Raynaud's; and a clot (massage out)
        let (session, transitions) = Fixture.run(["", "3", "4", "2", "5", "2", "1", "1, 2"])
        let result = session.assessment!.recommendation
        #expect(!result.suggestedIDs.contains("ice"))
        #expect(!result.suggestedIDs.contains("massage"))
        #expect(Set(result.leftOutIDs) == ["ice", "massage"])
        #expect(transitions.last!.screen.plainText.contains("you told us cold hurts you"))
    }

    @Test("back returns to the previous question with the earlier answer shown")
    func back() {
        var (session, _) = Fixture.run(["", "3", "2"])
        #expect(session.step == .question(1))
        let back = session.handle("back", now: Fixture.now)
        #expect(session.step == .question(0))
        #expect(back.screen.prefill == "2")
        #expect(back.screen.plainText.contains("prompt.earlier_answer"))
        _ = session.handle("previous", now: Fixture.now)
        #expect(session.step == .warning(0))
        _ = session.handle("back", now: Fixture.now)
        #expect(session.step == .welcome)
        let nothing = session.handle("back", now: Fixture.now)
        #expect(nothing.screen.plainText.contains("hint.no_back"))
    }

    @Test("help and ? explain why a question is asked; restart ends the session")
    func helpAndRestart() {
        var (session, _) = Fixture.run(["", "3"])
        #expect(session.handle("help", now: Fixture.now).screen.plainText.contains("why area"))
        #expect(session.handle("?", now: Fixture.now).screen.plainText.contains("why area"))
        #expect(session.step == .question(0))
        #expect(session.handle("RESTART", now: Fixture.now).effects == [.endSession])
    }

    @Test("a choice may be typed as its number, its words, or an unambiguous start")
    func choiceWords() {
        for (typed, expected) in [("2", "low_back"), ("Low back", "low_back"), ("my low back", "low_back"),
                                  ("  NECK ", "neck"), ("ank", "ankle_foot"), ("foot", "ankle_foot"),
                                  ("my neck hurts", "neck"), ("lower", "lower_leg"), ("ankel", "ankle_foot")] {
            var (session, _) = Fixture.run(["", "3"])
            _ = session.handle(typed, now: Fixture.now)
            #expect(session.answers["area"] == .choices([expected]), "typed \(typed)")
        }
        var (session, _) = Fixture.run(["", "3"])
        let ambiguous = session.handle("neck and low back", now: Fixture.now)
        #expect(ambiguous.screen.plainText.contains("Neck, Low back"))
        #expect(session.step == .question(0))
    }

    @Test("bad input gets a one-line hint and the same question, and stores nothing",
          arguments: ["", "   ", "11", "-1", "six or seven", "7.5", "5,5", "6 or 7", "not 6", String(repeating: "x", count: 10_000),
                      "\u{1B}[2J", "\u{0}", "a\u{85}b", "\u{FFFD}\u{FFFD}", "\r", "٣"])
    func badScale(_ typed: String) {
        var (session, _) = Fixture.run(["", "3", "1", "1"])
        #expect(session.step == .question(2))
        let answer = session.handle(typed, now: Fixture.now)
        #expect(session.step == .question(2))
        #expect(answer.effects.isEmpty)
        #expect(session.answers["pain_now"] == nil)
        // The question stays on screen, with the hint under it.
        #expect(answer.screen.blocks.first == .heading("How strong?"))
        guard case .hint = answer.screen.blocks.last else { Issue.record("expected a hint"); return }
    }

    @Test("bad choices get a hint", arguments: ["0", "5", "-1", "1.5", "banana", "1,2", "not my neck", "the", "my",
                                                String(repeating: "é", count: 300), "\u{202E}1"])
    func badChoice(_ typed: String) {
        var (session, _) = Fixture.run(["", "3"])
        let answer = session.handle(typed, now: Fixture.now)
        #expect(session.step == .question(0))
        guard case .hint = answer.screen.blocks.last else { Issue.record("expected a hint for \(typed)"); return }
    }

    @Test("'none of these' cannot be combined with another choice")
    func exclusiveChoice() {
        var (session, _) = Fixture.run(["", "3", "1", "1", "5", "3"])
        #expect(session.step == .question(5))
        let answer = session.handle("1, 3", now: Fixture.now)
        #expect(answer.screen.plainText.contains("hint.exclusive"))
        #expect(session.step == .question(5))
    }

    @Test("a question is skipped when its ask_if does not hold")
    func askIf() {
        let (session, _) = Fixture.run(["", "3", "1", "1", "5", "3"])
        #expect(session.step == .question(5), "'when' is skipped after 'nothing I know of'")
    }

    @Test("contact: a phone or an email, either is enough",
          arguments: [("555-0100 12", true), ("+1 (555) 010-0199", true), ("a@b.co", true), ("ana.maria@example.org", true),
                      ("12345", false), ("call me", false), ("a@b", false), ("a b@c.de", false), ("@c.de", false), ("", false)])
    func contact(_ typed: String, _ valid: Bool) {
        #expect((Contact.parse(typed) != nil) == valid)
    }

    @Test("a failed commit tells the client and shows no reference code")
    func failedCommit() {
        var (session, _) = Fixture.run(selfCare)
        for line in ["book", "1", "3", "Sam", "sam@example.org", "1"] { _ = session.handle(line, now: Fixture.now) }
        let failed = session.followUpFailed()
        #expect(failed.screen.plainText.contains("book.failed"))
        #expect(session.step == .bookConsent)
    }

    @Test("back cannot undo a warning sign into options and a booking")
    func noBackFromEmergency() {
        var (session, _) = Fixture.run(["", "1"])
        #expect(session.step == .outcome)
        let back = session.handle("back", now: Fixture.now)
        #expect(session.step == .outcome)
        #expect(back.screen.plainText.contains("hint.no_back"))
        #expect(back.effects.isEmpty)
    }

    @Test("an answer to a question no longer asked after back is dropped")
    func unaskedAnswersDropped() {
        // car accident, years ago; then back to the cause and "nothing I know of"
        var (session, _) = Fixture.run(["", "3", "1", "1", "5", "1", "2"])
        #expect(session.answers["cause_when"] == .choices(["years"]))
        _ = session.handle("back", now: Fixture.now)
        _ = session.handle("back", now: Fixture.now)
        #expect(session.step == .question(3))
        _ = session.handle("3", now: Fixture.now)
        #expect(session.answers["cause_when"] == nil)
        #expect(session.step == .question(5))
    }
}

@Suite("Looked-up words follow the content")
struct LanguageTablesTests {
    @Test("content changed after it was made: a new session shows the new words and takes the new choice words")
    func changedContent() throws {
        var content = Fixture.content
        content.questions[0].choices[0].label = LocalizedText(en: "Back of the neck")
        content.questions[0].choices[0].aliases = [LocalizedText(en: "nape")]
        content.messages.texts[MessageKey.commandBack.rawValue] = LocalizedText(en: "undo, back")
        let (session, transitions) = Fixture.run(["", "3", "nape"], content: content)
        #expect(transitions[2].screen.plainText.contains("1. Back of the neck"))
        #expect(session.answers["area"] == .choices(["neck"]))
        #expect(transitions[2].screen.completions.contains("undo"))
        var again = session
        _ = again.handle("undo", now: Fixture.now)
        #expect(again.step == .question(0), "the new command word works")
        // The fixture itself is untouched.
        let (plain, _) = Fixture.run(["", "3", "nape"])
        #expect(plain.answers["area"] == nil)
    }

    @Test("placeholders are filled once; unknown or unclosed ones stay as written")
    func filling() {
        #expect("Hello {name}, {name}!".filling(["name": "Ana"]) == "Hello Ana, Ana!")
        #expect("Call {phone} or {other}".filling(["phone": "555"]) == "Call 555 or {other}")
        #expect("Open {brace".filling(["brace": "x"]) == "Open {brace")
        #expect("{a}{b}".filling(["a": "{b}", "b": "2"]) == "{b}2", "a value is not filled again")
        #expect("Señora {name} ü".filling(["name": "Núñez"]) == "Señora Núñez ü")
    }
}
