/// A test over a client's answers, written in Content (for example "the client
/// chose `clot` in `conditions`"). Rules for fit, safety and urgency are all
/// built from these, so a practice changes a rule by editing YAML.
public indirect enum Condition: Sendable, Hashable {
    /// The answer to `question` includes any of `choices`.
    case chose(question: String, anyOf: [String])
    /// A scale answer within `min...max` (either end open).
    case scale(question: String, min: Int?, max: Int?)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    public func holds(for answers: Answers) -> Bool {
        switch self {
        case let .chose(question, choices):
            guard let picked = answers[question]?.choiceIDs else { return false }
            return choices.contains { picked.contains($0) }
        case let .scale(question, min, max):
            guard case let .scale(value)? = answers[question] else { return false }
            if let min, value < min { return false }
            if let max, value > max { return false }
            return true
        case let .all(conditions): return conditions.allSatisfy { $0.holds(for: answers) }
        case let .any(conditions): return conditions.contains { $0.holds(for: answers) }
        case let .not(condition): return !condition.holds(for: answers)
        }
    }

    /// Every (question, choice) pair the condition names; the content check
    /// makes sure each exists.
    public var references: [(question: String, choice: String?)] {
        switch self {
        case let .chose(question, choices): return choices.map { (question, $0) }
        case let .scale(question, _, _): return [(question, nil)]
        case let .all(cs), let .any(cs): return cs.flatMap(\.references)
        case let .not(c): return c.references
        }
    }
}
