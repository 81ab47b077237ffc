/// Answers that, together, make a warning sign (a car crash in the last few days).
public struct Escalation: Sendable, Equatable {
    public var id: String
    public var when: Condition
    public var outcome: String
    public init(id: String, when: Condition, outcome: String) { self.id = id; self.when = when; self.outcome = outcome }
}
