/// A screen of warning signs, read top to bottom; the first that applies decides.
public struct WarningScreen: Sendable, Equatable {
    public var id: String
    public var prompt: LocalizedText
    public var why: LocalizedText
    public var signs: [WarningSign]
    public init(id: String, prompt: LocalizedText, why: LocalizedText, signs: [WarningSign]) {
        self.id = id; self.prompt = prompt; self.why = why; self.signs = signs
    }
}
