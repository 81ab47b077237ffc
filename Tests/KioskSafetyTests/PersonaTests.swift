import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing
import Yams

/// One row of personas.yaml.
struct Persona: CustomTestStringConvertible, Sendable {
    var name: String
    var warning: String?
    var answers: [String: Answer]
    var level: TriageLevel
    var outcome: String?
    var first: String?
    var suggested: [String]
    var notSuggested: [String]
    var leftOut: [String]
    var cautions: [String]
    var testDescription: String { name }
}

enum Personas {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The bundled content; a test that needs it fails (not crashes) when it does not load.
    static let loaded = ContentLoader.load(directory: Repository.content)
    static var content: PracticeContent { get throws { try loaded.get() } }

    static let all: [Persona] = {
        let text = try! String(contentsOf: folder.appendingPathComponent("personas.yaml"), encoding: .utf8)
        let root = try! Yams.load(yaml: text) as! [String: Any]
        let defaults = answers(root["defaults"] as! [String: Any])
        return (root["personas"] as! [[String: Any]]).map { row in
            let expect = row["expect"] as! [String: Any]
            let own = answers(row["answers"] as? [String: Any] ?? [:])
            return Persona(
                name: row["name"] as! String,
                warning: row["warning"] as? String,
                answers: defaults.merging(own) { _, mine in mine },
                level: TriageLevel(rawValue: expect["level"] as! String)!,
                outcome: expect["outcome"] as? String,
                first: expect["first"] as? String,
                suggested: expect["suggested"] as? [String] ?? [],
                notSuggested: expect["not_suggested"] as? [String] ?? [],
                leftOut: expect["left_out"] as? [String] ?? [],
                cautions: expect["cautions"] as? [String] ?? [])
        }
    }()

    static func answers(_ raw: [String: Any]) -> [String: Answer] {
        raw.mapValues { value -> Answer in
            if let n = value as? Int { return .scale(n) }
            if let list = value as? [String] { return .choices(list) }
            return .choices([value as! String])
        }
    }

    /// Types the persona's answers into a real session, as numbers, until the
    /// session reaches results or a warning-sign outcome.
    static func walk(_ persona: Persona, language: String = "en") throws -> (ClientSession, Screen) {
        let content = try content
        var session = ClientSession(content: content, id: "persona")
        var screen = session.start().screen
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<60 {
            let typed: String
            switch session.step {
            case .welcome:
                // The welcome lists the languages; a language's number picks it.
                typed = language == "en" ? "" : String((content.clinic.languages.firstIndex(of: language) ?? 0) + 1)
            case let .warning(i):
                let signs = content.warningScreens[i].signs
                typed = String((signs.firstIndex { $0.id == persona.warning } ?? signs.count) + 1)
            case let .question(i):
                let question = content.questions[i]
                switch persona.answers[question.id] {
                case let .scale(n)?: typed = String(n)
                case let .choices(ids)?:
                    typed = ids.map { id in String(question.choices.firstIndex { $0.id == id }! + 1) }.joined(separator: ", ")
                case nil: fatalError("\(persona.name): no answer for \(question.id)")
                }
            default:
                return (session, screen)
            }
            screen = session.handle(typed, now: now).screen
        }
        fatalError("\(persona.name): the session did not finish")
    }
}

@Suite("Safety personas: warning signs first, no unsafe option ever suggested")
struct PersonaTests {
    @Test("each persona gets the expected outcome", arguments: Personas.all)
    func persona(_ persona: Persona) throws {
        let (session, screen) = try Personas.walk(persona)
        let assessment = try #require(session.assessment)
        let shown = assessment.recommendation.suggestedIDs
        let leftOut = assessment.recommendation.leftOutIDs
        #expect(assessment.level == persona.level)
        if let outcome = persona.outcome { #expect(assessment.outcome?.id == outcome) }
        if let first = persona.first { #expect(shown.first == first, "shown: \(shown)") }
        for id in persona.suggested { #expect(shown.contains(id), "\(id) should be suggested; shown: \(shown)") }
        for id in persona.notSuggested { #expect(!shown.contains(id), "\(id) must not be suggested") }
        for id in persona.leftOut { #expect(leftOut.contains(id), "\(id) should be left out; left out: \(leftOut)") }
        for id in persona.cautions {
            let suggestion = assessment.recommendation.suggested.first { $0.option.id == id }
            #expect(suggestion?.precautions.isEmpty == false, "\(id) should carry a caution")
        }
        try checkInvariants(session, screen)
    }

    @Test("each persona gets the same outcome in Spanish, in Spanish words", arguments: Personas.all)
    func personaInSpanish(_ persona: Persona) throws {
        let content = try Personas.content
        try #require(content.clinic.languages.contains("es"))
        let (english, _) = try Personas.walk(persona)
        let (spanish, screen) = try Personas.walk(persona, language: "es")
        #expect(spanish.language == "es")
        let a = try #require(english.assessment), b = try #require(spanish.assessment)
        #expect(a.level == b.level)
        #expect(a.outcome?.id == b.outcome?.id)
        #expect(a.recommendation.suggestedIDs == b.recommendation.suggestedIDs)
        #expect(a.recommendation.leftOutIDs == b.recommendation.leftOutIDs)
        if let outcome = b.outcome {
            #expect(screen.plainText.contains(outcome.instructions.resolve("es")))
            #expect(!screen.plainText.contains(outcome.instructions.resolve("en")))
        }
        try checkInvariants(spanish, screen, language: "es")
    }

    /// The rules no persona may break, whatever the table says.
    func checkInvariants(_ session: ClientSession, _ screen: Screen, language: String = "en") throws {
        let content = try Personas.content
        let assessment = session.assessment!
        let text = screen.plainText
        if assessment.level == .emergency {
            #expect(assessment.recommendation.suggested.isEmpty)
            #expect(!screen.blocks.contains { if case .item = $0 { true } else { false } },
                    "an emergency screen offers no choice: no option, no booking")
            for option in content.options {
                #expect(!text.contains(option.name.resolve(language)), "an emergency shows no option")
            }
        }
        for rule in content.leaveOut where rule.when.holds(for: session.answers) {
            if assessment.level == .selfCare {
                #expect(!assessment.recommendation.suggestedIDs.contains(rule.option),
                        "\(rule.option) is excluded by \(rule.id) but was suggested")
                #expect(text.contains(rule.text.resolve(language)), "the reason for \(rule.id) is shown")
            } else {
                #expect(assessment.recommendation.suggested.isEmpty)
            }
        }
        if assessment.level != .selfCare {
            #expect(text.contains(assessment.outcome!.instructions.resolve(language)))
        }
    }

    @Test("the table has at least 30 personas and covers every warning sign")
    func coversEveryWarningSign() throws {
        #expect(Personas.all.count >= 30)
        let picked = Set(Personas.all.compactMap(\.warning))
        for sign in try Personas.content.warningScreens.flatMap(\.signs) {
            #expect(picked.contains(sign.id), "no persona picks the warning sign \(sign.id)")
        }
    }

    @Test("every contraindication and every escalation rule is exercised by a persona")
    func coversEveryRule() throws {
        let content = try Personas.content
        let answered = Personas.all.filter { $0.warning == nil }.map(\.answers)
        for rule in content.leaveOut {
            #expect(answered.contains { rule.when.holds(for: $0) }, "no persona triggers \(rule.id)")
        }
        for rule in content.escalations {
            #expect(answered.contains { rule.when.holds(for: $0) }, "no persona triggers \(rule.id)")
        }
    }
}
