public struct WarningSign: Sendable, Hashable {
    public var id: String
    public var text: LocalizedText
    public var outcome: String
    /// Short words a client may type for it ("chest pain"). A sign is picked by its number,
    /// its whole text or one of these, never by one word of its sentence ("back").
    public var aliases: [LocalizedText]
    public init(id: String, text: LocalizedText, outcome: String, aliases: [LocalizedText] = []) {
        self.id = id; self.text = text; self.outcome = outcome; self.aliases = aliases
    }
}
