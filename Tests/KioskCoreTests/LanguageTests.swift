import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

@Suite("A client's own language")
struct LanguageTests {
    /// The fixture with Spanish beside English for the texts these tests look at.
    static var bilingual: PracticeContent {
        var content = Fixture.content
        content.clinic.languages = ["en", "es"]
        func add(_ key: MessageKey, en: String? = nil, es: String) {
            var text = content.messages.texts[key.rawValue] ?? LocalizedText([:])
            if let en { text.byLanguage["en"] = en }
            text.byLanguage["es"] = es
            content.messages.texts[key.rawValue] = text
        }
        add(.languageName, en: "English", es: "Español")
        add(.commandBack, es: "atrás")
        add(.commandHelp, es: "ayuda")
        add(.commandRestart, es: "reiniciar")
        add(.commandLanguage, en: "language, idioma", es: "idioma, language")
        add(.languageAsk, es: "¿Qué idioma prefiere?")
        content.questions[0].prompt.byLanguage["es"] = "¿Dónde le duele?"
        content.questions[0].choices[0].label.byLanguage["es"] = "Cuello"
        return content
    }

    @Test("the welcome offers each language in its own words; one keystroke picks Spanish")
    func welcomePicksLanguage() {
        var session = ClientSession(content: Self.bilingual, id: "s")
        let welcome = session.start().screen.plainText
        #expect(welcome.contains("1. English") && welcome.contains("2. Español"))
        let next = session.handle("2", now: Fixture.now)
        #expect(session.language == "es")
        #expect(session.step == .warning(0))
        #expect(next.effects == [.sessionStarted(id: "s", event: nil, language: "es")])
        _ = session.handle("3", now: Fixture.now)
        #expect(session.handle("", now: Fixture.now).screen.plainText.contains("hint.empty"))
        #expect(session.screen(for: session.step).plainText.contains("¿Dónde le duele?"))
    }

    @Test("Spanish command words work beside the English ones")
    func spanishCommands() {
        var session = ClientSession(content: Self.bilingual, id: "s")
        _ = session.start()
        for line in ["2", "3", "cuello"] { _ = session.handle(line, now: Fixture.now) }
        #expect(session.answers["area"] == .choices(["neck"]), "a choice in Spanish words")
        _ = session.handle("atrás", now: Fixture.now)
        #expect(session.step == .question(0))
        _ = session.handle("1", now: Fixture.now)
        _ = session.handle("back", now: Fixture.now)
        #expect(session.step == .question(0))
    }

    @Test("switching language mid-session keeps the answers and the question")
    func switchKeepsAnswers() {
        var session = ClientSession(content: Self.bilingual, id: "s")
        _ = session.start()
        for line in ["", "3", "1"] { _ = session.handle(line, now: Fixture.now) }
        #expect(session.step == .question(1))
        let ask = session.handle("idioma", now: Fixture.now)
        #expect(ask.screen.plainText.contains("Español"))
        let back = session.handle("Español", now: Fixture.now)
        #expect(session.language == "es")
        #expect(session.step == .question(1))
        #expect(session.answers["area"] == .choices(["neck"]))
        #expect(back.screen.clear)
    }

    @Test("with one language there is no language list and no switch")
    func oneLanguage() {
        var session = ClientSession(content: Fixture.content, id: "s")
        #expect(!session.start().screen.plainText.contains("English"))
        _ = session.handle("", now: Fixture.now)
        _ = session.handle("idioma", now: Fixture.now)
        #expect(session.step == .warning(0))
    }

    @Test("professionals who speak the client's language come first, with their languages named")
    func professionalsByLanguage() {
        var content = Self.bilingual
        content.clinic.professionals = [
            Professional(id: "p_en", name: "Therapist A", discipline: "massage_therapist", languages: ["en"]),
            Professional(id: "p_es", name: "Therapist B", discipline: "massage_therapist", languages: ["en", "es"]),
        ]
        var session = ClientSession(content: content, id: "s")
        _ = session.start()
        // Spanish, no warning sign, then answers up to the results, then book a named professional.
        for line in ["2", "3", "1", "1", "5", "3", "3", "book"] { _ = session.handle(line, now: Fixture.now) }
        // In Spanish the kinds also offer "someone who speaks Spanish", before a named one.
        #expect(session.screen(for: .bookKind).blocks.contains(.item(3, "book.language {clinic} {code} {min} {max} {answer} {matches} {choice} {option} {reason} {contact}")))
        let screen = session.handle("A named professional", now: Fixture.now).screen
        #expect(session.step == .bookProfessional)
        #expect(screen.blocks.contains(.item(1, "Therapist B (Massage therapist; English, Español)")))
        _ = session.handle("1", now: Fixture.now)
        #expect(session.booking.professional == "p_es")
    }
}
