import Foundation

/// A follow-up as the desk sees it: the request, its status, its appointment and notes.
public struct DeskFollowUp: Sendable, Hashable {
    public var followUp: FollowUp
    public var appointment: Appointment?
    public var notes: String?
    /// Something the desk should look at, e.g. an imported request with the phone of an existing one.
    public var flag: String?
    public init(followUp: FollowUp, appointment: Appointment?, notes: String?, flag: String? = nil) {
        self.followUp = followUp; self.appointment = appointment; self.notes = notes; self.flag = flag
    }
    public var reference: String { followUp.reference }
    public var status: FollowUpStatus { followUp.status }
}
