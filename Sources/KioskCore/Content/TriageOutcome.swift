/// What the kiosk tells a client with a warning sign, and what it lets them do.
public struct TriageOutcome: Sendable, Equatable {
    public var id: String
    public var level: TriageLevel
    public var title: LocalizedText
    /// What to do now, in plain words.
    public var instructions: LocalizedText
    /// Why, in plain words.
    public var reason: LocalizedText
    /// For "see a doctor soon": what stays safe meanwhile.
    public var meanwhile: LocalizedText?
    /// Which local medical care the screen names, open at that hour (directory.yaml).
    public var care: CareToName?
    public init(id: String, level: TriageLevel, title: LocalizedText, instructions: LocalizedText,
                reason: LocalizedText, meanwhile: LocalizedText? = nil, care: CareToName? = nil) {
        self.id = id; self.level = level; self.title = title; self.instructions = instructions
        self.reason = reason; self.meanwhile = meanwhile; self.care = care
    }
}
