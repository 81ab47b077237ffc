import Foundation

/// Which follow-ups `list` shows. Nil fields do not filter.
public struct FollowUpFilter: Sendable, Hashable {
    public var status: FollowUpStatus?
    /// Requested or booked with this professional (id).
    public var professional: String?
    /// Created on or after / before these instants.
    public var from: Date?
    public var until: Date?
    public var event: String?
    /// true: only referrals to partners; false: only the practice's own requests.
    public var referral: Bool?
    public init(status: FollowUpStatus? = nil, professional: String? = nil, from: Date? = nil,
                until: Date? = nil, event: String? = nil, referral: Bool? = nil) {
        self.status = status; self.professional = professional; self.from = from; self.until = until; self.event = event
        self.referral = referral
    }
}
