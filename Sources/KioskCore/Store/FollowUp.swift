import Foundation

/// A stored follow-up request.
public struct FollowUp: Sendable, Hashable, Codable {
    public var reference: String
    public var request: FollowUpRequest
    public var status: FollowUpStatus
    public init(reference: String, request: FollowUpRequest, status: FollowUpStatus) {
        self.reference = reference; self.request = request; self.status = status
    }
}
