import Foundation

/// The one definition of a follow-up's legal status moves (DESIGN.md, "Data").
public enum StatusMoves {
    /// requested -> contacted -> booked -> completed, or cancelled / no_show.
    /// Booking itself (into a slot) is its own command; so is moving a booked slot.
    public static let allowed: [FollowUpStatus: Set<FollowUpStatus>] = [
        .requested: [.contacted, .booked, .cancelled],
        .contacted: [.booked, .cancelled],
        .booked: [.completed, .noShow, .cancelled],
        .completed: [],
        .cancelled: [],
        .noShow: [],
    ]

    public static func isAllowed(from: FollowUpStatus, to: FollowUpStatus) -> Bool {
        allowed[from]?.contains(to) ?? false
    }

    /// Closed follow-ups: nothing more happens to them (purge may drop their contact details).
    public static let closed: Set<FollowUpStatus> = [.completed, .cancelled, .noShow]

    /// A referral is done on the practice's side once the desk has passed it on to the
    /// partner (`contacted`): from then on it counts as closed too (purge, stats).
    public static let referralPassedOn: FollowUpStatus = .contacted

    public static func isClosed(_ status: FollowUpStatus, referral: Bool) -> Bool {
        closed.contains(status) || (referral && status == referralPassedOn)
    }
}
