import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing
import Yams

/// What people type (corpus.yaml), typed into a real session at the step it belongs to.
struct CorpusLine: CustomTestStringConvertible, Sendable {
    var language: String
    var step: String
    var typed: String
    /// Choice ids, a scale value, "yes", "no", "page N", or nil: ask again.
    var means: [String]?
    var testDescription: String { "\(language) \(step): \(typed)" }
}

enum Corpus {
    static let lines: [CorpusLine] = {
        let text = try! String(contentsOf: Personas.folder.appendingPathComponent("corpus.yaml"), encoding: .utf8)
        let node = try! Yams.compose(yaml: text)!
        var out: [CorpusLine] = []
        // Node mappings keep the file's order (Yams.load's dictionaries would not).
        for (languageNode, steps) in node.mapping! {
            for (stepNode, phrases) in steps.mapping! {
                for (typedNode, meaning) in phrases.mapping! {
                    let means: [String]?
                    if let list = meaning.sequence { means = list.map { $0.scalar!.string } }
                    else if meaning.scalar!.string == "ask" { means = nil }
                    else { means = [meaning.scalar!.string] }
                    out.append(CorpusLine(language: languageNode.scalar!.string, step: stepNode.scalar!.string,
                                          typed: typedNode.scalar!.string, means: means))
                }
            }
        }
        return out
    }()

    enum Reading: Equatable { case took([String]), askedAgain }

    /// Walks a session to `step` with plain numbered answers, then types the line.
    static func read(_ line: CorpusLine, content: PracticeContent) -> Reading {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var session = ClientSession(content: content, id: "corpus", language: line.language)
        _ = session.start()
        // The welcome: "I have been here before" leads to the code, anything that starts leads
        // to the first warning screen.
        if line.step == "welcome" {
            _ = session.handle(line.typed, now: now)
            switch session.step {
            case .welcome: return .askedAgain
            case .returnCode: return .took(["returning"])
            case .warning(0): return .took(["start"])
            default: return .took(["(\(session.step))"])
            }
        }
        _ = session.handle("", now: now)
        // Answers on the way: no sign, low back, aching, under 6 weeks, 4, 3, a sports injury
        // years ago, 18 to 64, none, chores.
        let defaults: [String: String] = ["area": "3", "feel": "1", "duration": "2", "pain_now": "4", "interference": "3",
                                          "cause": "2", "cause_when": "4", "age": "2", "conditions": "13", "goals": "5"]
        func atTarget() -> Bool {
            switch session.step {
            case let .warning(i): return content.warningScreens[i].id == line.step
            case let .question(i): return content.questions[i].id == line.step
            case .results: return line.step == "book"
            case .bookKind: return line.step == "kind"
            case .bookWhen: return line.step == "when"
            case .bookConsent: return line.step == "consent"
            default: return false
            }
        }
        for _ in 0..<40 where !atTarget() {
            let typed: String
            switch session.step {
            case let .warning(i): typed = String(content.warningScreens[i].signs.count + 1)
            case let .question(i): typed = defaults[content.questions[i].id] ?? "1"
            case .results: typed = "yes"
            case .bookKind, .bookWhen: typed = "1"
            case .bookName: typed = "Sam"
            case .bookContact: typed = "555-010-0100"
            default: typed = ""
            }
            _ = session.handle(typed, now: now)
        }
        precondition(atTarget(), "\(line.testDescription): step not reached (at \(session.step))")
        let before = session.step
        _ = session.handle(line.typed, now: now)
        var answerID: String?
        if case let .warning(i) = before { answerID = content.warningScreens[i].id }
        if case let .question(i) = before { answerID = content.questions[i].id }
        switch before {
        case .warning, .question:
            let id = answerID!
            if session.step == before { return .askedAgain }
            switch session.answers[id] {
            case let .choices(ids)?: return .took(ids)
            case let .scale(n)?: return .took([String(n)])
            case nil: return .took(["(nothing: \(session.step))"])
            }
        case .results:
            switch session.step {
            case .results: return .askedAgain
            case .bookKind: return .took(["yes"])
            case .finished: return .took(["no"])
            case let .page(n): return .took(["page \(n + 1)"])
            default: return .took(["(\(session.step))"])
            }
        case .bookKind:
            return session.step == before ? .askedAgain : .took([session.booking.kind ?? "?"])
        case .bookWhen:
            return session.step == before ? .askedAgain : .took(session.booking.times)
        case .bookConsent:
            switch session.step {
            case .bookConsent: return .askedAgain
            case .saving: return .took(["yes"])
            case .finished: return .took(["no"])
            default: return .took(["(\(session.step))"])
            }
        default:
            return .took(["(\(session.step))"])
        }
    }
}

@Suite("What people type: understood in their own words, never misread")
struct AnswerCorpusTests {
    @Test("no line of the corpus is misread", arguments: Corpus.lines)
    func neverMisread(_ line: CorpusLine) throws {
        let reading = Corpus.read(line, content: try Personas.content)
        if let means = line.means {
            #expect(reading == .took(means) || reading == .askedAgain, "'\(line.typed)' was read as \(reading)")
        } else {
            #expect(reading == .askedAgain, "'\(line.typed)' should be asked again; it was read as \(reading)")
        }
    }

    @Test("per language: at least 150 lines, at least 90% understood, none misread")
    func figures() throws {
        let content = try Personas.content
        for language in ["en", "es"] {
            let lines = Corpus.lines.filter { $0.language == language }
            var understood = 0, askedAgain = 0, misread = 0
            var notTaken: [String] = []
            for line in lines {
                let reading = Corpus.read(line, content: content)
                switch (line.means, reading) {
                case (nil, .askedAgain): understood += 1
                case let (means?, .took(took)) where took == means: understood += 1
                case (_?, .askedAgain): askedAgain += 1; notTaken.append("\(line.step): \(line.typed)")
                default: misread += 1
                }
            }
            let share = Double(understood) / Double(max(lines.count, 1))
            print("corpus \(language): \(lines.count) lines, understood \(understood) (\(Int((share * 1000).rounded()) / 10)%), "
                  + "asked again \(askedAgain), misread \(misread); asked again though they mean a choice: "
                  + notTaken.joined(separator: " | "))
            #expect(lines.count >= 150, "\(language): \(lines.count) lines")
            #expect(misread == 0, "\(language): \(misread) misread")
            #expect(share >= 0.9, "\(language): \(understood) of \(lines.count) understood")
        }
    }
}
