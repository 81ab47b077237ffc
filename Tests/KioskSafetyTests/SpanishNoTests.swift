import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing

@Suite("A plain no at a warning-sign list")
struct WarningListNoTests {
    /// A Spanish client types "no" at the first list of warning signs. One of its signs,
    /// "… no puede controlar la orina …", holds the word "no": it must not be read as that sign.
    @Test("Spanish 'no' at the first warning list means none of them: no emergency, no alert",
          arguments: ["no", "No", "no.", "nada", "ninguno", "no tengo"])
    func spanishNoIsNone(_ typed: String) throws {
        let content = try Personas.content
        var session = ClientSession(content: content, id: "s", language: "es")
        _ = session.start()
        _ = session.handle("", now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(session.step == .warning(0))
        let next = session.handle(typed, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(session.step == .warning(1), "'\(typed)' moved to \(session.step)")
        #expect(!next.effects.contains { if case .raiseAlert = $0 { true } else { false } },
                "'\(typed)' raised an alert")
        #expect(session.assessment?.outcome == nil)
    }

    @Test("English 'no' and 'none' at every warning list reach the questions", arguments: ["no", "none", "nope", "no none of those"])
    func englishNoIsNone(_ typed: String) throws {
        let content = try Personas.content
        var session = ClientSession(content: content, id: "s", language: "en")
        _ = session.start()
        _ = session.handle("", now: Date(timeIntervalSince1970: 1_800_000_000))
        for screen in content.warningScreens.indices {
            #expect(session.step == .warning(screen))
            let next = session.handle(typed, now: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(!next.effects.contains { if case .raiseAlert = $0 { true } else { false } })
        }
        #expect(session.step == .question(0))
    }
}
