/// A kind of professional a client can ask for (massage therapist, ...).
public struct Discipline: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    /// Other words a client may type for it ("physio", "chiro").
    public var aliases: [LocalizedText]
    public init(id: String, label: LocalizedText, aliases: [LocalizedText] = []) {
        self.id = id; self.label = label; self.aliases = aliases
    }
}
