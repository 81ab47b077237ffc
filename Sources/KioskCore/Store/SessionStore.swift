import Foundation

/// Where the kiosk keeps what clients confirmed. Every write is durable when it
/// returns: a caller may acknowledge it to the client only after that.
public protocol SessionStore: AnyObject {
    func saveAssessment(_ record: AssessmentRecord) throws
    /// A client started a session (anonymous: for counting sessions).
    func recordSessionStart(id: String, at: Date, event: String?, language: String) throws
    func raiseAlert(_ alert: Alert) throws
    /// Commits the request under a new reference code, drawn from `makeCode`
    /// until one is free, and returns that code.
    func saveFollowUp(_ request: FollowUpRequest, makeCode: () -> String) throws -> String
    func followUp(reference: String) throws -> FollowUp?
    func followUps(status: FollowUpStatus?, limit: Int) throws -> [FollowUp]
    func assessment(id: String) throws -> AssessmentRecord?
    func unacknowledgedAlerts() throws -> [Alert]
}
