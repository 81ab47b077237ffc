public struct Evidence: Sendable, Equatable {
    public var id: String
    public var citation: String
    public var year: Int
    public var doi: String?
    public var url: String?
    /// review, meta-analysis, guideline, position statement, practice view
    public var kind: LocalizedText
    public var finding: LocalizedText
    public var strength: LocalizedText
    public var funding: LocalizedText?
    /// The source in a few words, with who paid for it: "Crawford 2016, Pain Medicine; funded by …".
    public var short: LocalizedText?
    public init(id: String, citation: String, year: Int, doi: String? = nil, url: String? = nil,
                kind: LocalizedText, finding: LocalizedText, strength: LocalizedText, funding: LocalizedText? = nil,
                short: LocalizedText? = nil) {
        self.id = id; self.citation = citation; self.year = year; self.doi = doi; self.url = url
        self.kind = kind; self.finding = finding; self.strength = strength; self.funding = funding
        self.short = short
    }
}
