import Foundation

/// A warning sign raised at the kiosk, for the front desk.
public struct Alert: Sendable, Hashable, Codable {
    public var assessmentID: String
    public var createdAt: Date
    public var level: AlertLevel
    public var outcome: String
    public var event: String?
    public init(assessmentID: String, createdAt: Date, level: AlertLevel, outcome: String, event: String?) {
        self.assessmentID = assessmentID; self.createdAt = createdAt; self.level = level
        self.outcome = outcome; self.event = event
    }
}
