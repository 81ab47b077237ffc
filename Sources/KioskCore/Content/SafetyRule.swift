/// A contraindication ("leave out") or a precaution for one option.
public struct SafetyRule: Sendable, Equatable {
    public var id: String
    public var option: String
    public var when: Condition
    /// Leave out: "you told us ..."; precaution: what to take care of.
    public var text: LocalizedText
    public var evidence: [String]
    public init(id: String, option: String, when: Condition, text: LocalizedText, evidence: [String] = []) {
        self.id = id; self.option = option; self.when = when; self.text = text; self.evidence = evidence
    }
}
