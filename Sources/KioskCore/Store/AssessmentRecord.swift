import Foundation

/// A finished questionnaire, kept without name or contact: it feeds the statistics.
public struct AssessmentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var createdAt: Date
    public var event: String?
    public var language: String
    public var answers: Answers
    public var level: TriageLevel
    public var outcome: String?
    public var optionsShown: [String]
    public var optionsLeftOut: [String]
    public init(id: String, createdAt: Date, event: String?, language: String, answers: Answers,
                level: TriageLevel, outcome: String?, optionsShown: [String], optionsLeftOut: [String]) {
        self.id = id; self.createdAt = createdAt; self.event = event; self.language = language
        self.answers = answers; self.level = level; self.outcome = outcome
        self.optionsShown = optionsShown; self.optionsLeftOut = optionsLeftOut
    }
}
