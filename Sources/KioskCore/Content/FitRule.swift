public struct FitRule: Sendable, Equatable {
    public var when: Condition
    public var weight: Int
    /// Why the option fits, shown when the rule holds.
    public var reason: LocalizedText
    public init(when: Condition, weight: Int, reason: LocalizedText) {
        self.when = when; self.weight = weight; self.reason = reason
    }
}
