public struct Choice: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    /// Other words a client may type for this choice.
    public var aliases: [LocalizedText]
    /// In a several-answers question, a choice that stands alone ("none of these").
    public var exclusive: Bool
    /// The ages this choice covers, for a client who types their age ("40").
    public var ages: ValueRange?
    /// How many days ago (or how long) this choice covers, for "2 months", "3 weeks".
    public var days: ValueRange?
    public init(id: String, label: LocalizedText, aliases: [LocalizedText] = [], exclusive: Bool = false,
                ages: ValueRange? = nil, days: ValueRange? = nil) {
        self.id = id; self.label = label; self.aliases = aliases; self.exclusive = exclusive
        self.ages = ages; self.days = days
    }
}
