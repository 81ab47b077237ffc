import Foundation
import KioskCore

/// What the desk sees of returning clients: on `show REF`, each visit kept with the request
/// (its date and scores, and the change since the first); in `list` and `find`, the latest
/// change of the first compared score (pain now); the wrong tries at each kiosk's check.
extension DeskFormat {
    /// The progress rule's questions, or none when the content sets no rule.
    static func measures(_ desk: DeskContext) -> [ProgressRule.Measure] { desk.content.progress?.measures ?? [] }

    /// Each row's visits, for the rows that have later visits kept with them.
    static func visits(_ rows: [DeskFollowUp], _ desk: DeskContext) throws -> [String: [Visit]] {
        let questions = measures(desk).map(\.question)
        guard !questions.isEmpty, !rows.isEmpty else { return [:] }
        return try desk.store.linkedVisits(references: rows.map(\.reference), questions: questions)
    }

    /// The change of `question` from the first visit to the latest that holds it.
    static func change(_ visits: [Visit], _ question: String, _ desk: DeskContext) -> ScoreChange? {
        guard let rule = desk.content.progress, case let .scale(min, max)? = desk.content.question(question)?.kind,
              let first = visits.first?.scores[question],
              let latest = visits.dropFirst().last(where: { $0.scores[question] != nil })?.scores[question] else { return nil }
        return rule.change(from: first, to: latest, min: min, max: max)
    }

    /// The change of the first compared score (pain now), first visit to latest.
    static func firstMeasureChange(_ visits: [Visit]?, _ desk: DeskContext) -> ScoreChange? {
        guard let visits, let question = measures(desk).first?.question else { return nil }
        return change(visits, question, desk)
    }

    /// "7→4 -3" (the first compared score, first visit to latest), or "-".
    static func changeCell(_ visits: [Visit]?, _ desk: DeskContext) -> String {
        guard let pain = firstMeasureChange(visits, desk) else { return "-" }
        return "\(pain.before)→\(pain.now) \(signed(pain.points))"
    }

    static func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : "\(points)" }

    /// How a change reads for the desk: "-3, a change people notice: better".
    static func describe(_ change: ScoreChange) -> String {
        switch change.verdict {
        case .better: return "\(signed(change.points)), a change people notice: better"
        case .worse: return "\(signed(change.points)), a change people notice: worse"
        case .same: return signed(change.points)
        }
    }

    /// The lines `show REF` adds for a returning client: each visit's date and scores, then
    /// the change since the first.
    static func visitLines(_ f: DeskFollowUp, _ desk: DeskContext) throws -> [String] {
        let measures = measures(desk)
        guard let visits = try Self.visits([f], desk)[f.reference], visits.count > 1 else { return [] }
        let lang = desk.clinic.defaultLanguage
        var lines = ["", "Visits kept with this request (\(visits.count); the first is the request's own):"]
        for (n, visit) in visits.enumerated() {
            let scores = measures.map { m in "\(m.label.resolve(lang)) \(visit.scores[m.question].map(String.init) ?? "-")" }
            lines.append("  \(desk.local(visit.at))  " + scores.joined(separator: "  "))
            guard n > 0 else { continue }
            let changes = measures.compactMap { m -> String? in
                guard let rule = desk.content.progress, case let .scale(min, max)? = desk.content.question(m.question)?.kind,
                      let first = visits[0].scores[m.question], let now = visit.scores[m.question] else { return nil }
                return "\(m.label.resolve(lang)) \(describe(rule.change(from: first, to: now, min: min, max: max)))"
            }
            if !changes.isEmpty { lines.append("      since the first: " + changes.joined(separator: "; ")) }
        }
        return lines
    }

    /// One kiosk's wrong tries at the returning clients' check.
    static func lockLine(_ lock: ReturnLockState, _ desk: DeskContext, now: Date = Date()) -> String {
        var line = "\(TextSafety.display(lock.kiosk)): \(lock.failures) wrong tr\(lock.failures == 1 ? "y" : "ies") in a row"
        line += " (\(lock.totalFailures) in all)"
        if let last = lock.lastFailureAt { line += ", the last \(desk.local(last))" }
        if let until = lock.lockedUntil, until > now { line += "; locked until \(desk.local(until, withDay: false))" }
        return line
    }
}
