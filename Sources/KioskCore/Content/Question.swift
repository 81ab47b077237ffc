public struct Question: Sendable, Equatable {
    public enum Kind: Sendable, Hashable {
        case single
        case multiple
        case scale(min: Int, max: Int)
    }
    public var id: String
    public var kind: Kind
    public var prompt: LocalizedText
    public var why: LocalizedText
    /// For a scale: what the ends mean ("0 = no pain, 10 = worst you can imagine").
    public var scaleHint: LocalizedText?
    public var choices: [Choice]
    /// Asked only when this holds (for example "when did it start" only if a cause was given).
    public var askIf: Condition?
    public init(id: String, kind: Kind, prompt: LocalizedText, why: LocalizedText,
                scaleHint: LocalizedText? = nil, choices: [Choice] = [], askIf: Condition? = nil) {
        self.id = id; self.kind = kind; self.prompt = prompt; self.why = why
        self.scaleHint = scaleHint; self.choices = choices; self.askIf = askIf
    }
}
