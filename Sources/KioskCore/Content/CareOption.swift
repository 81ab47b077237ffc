/// A non-prescription option (massage therapy, ice, heat, ...).
public struct CareOption: Sendable, Equatable {
    public var id: String
    public var name: LocalizedText
    public var summary: LocalizedText
    public var fits: [FitRule]
    public var homeCare: LocalizedText
    public var watchFor: LocalizedText
    public var evidence: [String]
    /// The kind of professional who gives it, if any (for booking).
    public var discipline: String?
    public init(id: String, name: LocalizedText, summary: LocalizedText, fits: [FitRule],
                homeCare: LocalizedText, watchFor: LocalizedText, evidence: [String], discipline: String? = nil) {
        self.id = id; self.name = name; self.summary = summary; self.fits = fits
        self.homeCare = homeCare; self.watchFor = watchFor; self.evidence = evidence; self.discipline = discipline
    }
}
