import Foundation

/// One change in a follow-up's life, for the audit trail.
public struct FollowUpEvent: Sendable, Hashable {
    public var reference: String
    public var at: Date
    public var actor: String
    public var from: FollowUpStatus?
    public var to: FollowUpStatus
    public var note: String?
    public init(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus, note: String?) {
        self.reference = reference; self.at = at; self.actor = actor; self.from = from; self.to = to; self.note = note
    }
}
