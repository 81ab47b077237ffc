/// One of the practice's own professionals.
public struct Professional: Sendable, Hashable {
    public var id: String
    public var name: String
    public var discipline: String
    public var languages: [String]
    /// Weekly hours, by weekday ("mon") -> "09:00-17:00" ranges.
    public var hours: [String: [String]]
    /// Whether they see new clients (a professional who does not is never offered at the kiosk).
    public var newClients: Bool
    /// A short note for clients (directory.yaml), if any.
    public var note: LocalizedText?
    public init(id: String, name: String, discipline: String, languages: [String], hours: [String: [String]] = [:],
                newClients: Bool = true, note: LocalizedText? = nil) {
        self.id = id; self.name = name; self.discipline = discipline; self.languages = languages; self.hours = hours
        self.newClients = newClients; self.note = note
    }
}
