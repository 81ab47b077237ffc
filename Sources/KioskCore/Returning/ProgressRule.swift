/// How a returning client's scores compare with last time, and when a change is one people
/// notice. The thresholds and the words are Content (`progress:` in questionnaire.yaml, cited
/// in evidence.yaml); the rule that uses them is here.
public struct ProgressRule: Sendable, Equatable {
    /// A scale question compared with last time, and its short name on the panel ("Pain now").
    public struct Measure: Sendable, Equatable {
        public var question: String
        public var label: LocalizedText
        public init(question: String, label: LocalizedText) { self.question = question; self.label = label }
    }

    /// What is compared, in the order shown. The first is the one the practice's numbers use.
    public var measures: [Measure]
    /// A change of at least `points` on a scale `outOf` points long (0-10: 10) is one people
    /// notice; on a question with another range the points are scaled to it.
    public var points: Int
    public var outOf: Int
    /// A change of at least this share of the earlier score (above the scale's bottom) is too.
    public var percent: Int
    /// The evidence entries behind the thresholds.
    public var evidence: [String]

    public init(measures: [Measure], points: Int, outOf: Int, percent: Int, evidence: [String]) {
        self.measures = measures; self.points = points; self.outOf = outOf; self.percent = percent
        self.evidence = evidence
    }

    /// The change from `before` to `now` on a scale from `min` to `max`. Lower is better
    /// (pain, how much it gets in the way).
    public func change(from before: Int, to now: Int, min: Int, max: Int) -> ScoreChange {
        let points = now - before
        let size = abs(points)
        let above = before - min
        let percent = above > 0 ? Int((Double(size) * 100 / Double(above)).rounded()) : nil
        // Compared in whole numbers: size * outOf >= points * range, size * 100 >= percent * above.
        let range = Swift.max(1, max - min)
        let byPoints = size * outOf >= self.points * range
        let byShare = above > 0 && size * 100 >= self.percent * above
        let noticed = size > 0 && (byPoints || byShare)
        let verdict: ScoreChange.Verdict = !noticed ? .same : points < 0 ? .better : .worse
        return ScoreChange(before: before, now: now, percent: percent, verdict: verdict)
    }

    /// Each measure with a score last time and now, in order, with its change.
    public func changes(before: [String: Int], now: [String: Int], content: PracticeContent) -> [(Measure, ScoreChange)] {
        measures.compactMap { measure in
            guard let old = before[measure.question], let new = now[measure.question],
                  case let .scale(min, max)? = content.question(measure.question)?.kind else { return nil }
            return (measure, change(from: old, to: new, min: min, max: max))
        }
    }
}

/// One score last time and now.
public struct ScoreChange: Sendable, Hashable {
    /// Better and worse are changes people notice; anything smaller (or none) is the same.
    public enum Verdict: String, Sendable, Hashable, Codable { case better, same, worse }
    public var before: Int
    public var now: Int
    /// The change as a share of the earlier score above the scale's bottom, rounded; nil when
    /// the earlier score was the bottom (no share of nothing).
    public var percent: Int?
    public var verdict: Verdict
    /// Now minus before: negative is less.
    public var points: Int { now - before }
}

extension Answers {
    /// The scale answers among `questions`, by question id.
    public func scores(_ questions: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for id in questions { if case let .scale(value)? = self[id] { out[id] = value } }
        return out
    }
}
