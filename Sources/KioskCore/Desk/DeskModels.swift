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

/// A booked appointment: who, when.
public struct Appointment: Sendable, Hashable {
    public var professional: String
    public var start: Date
    public var end: Date
    public init(professional: String, start: Date, end: Date) {
        self.professional = professional; self.start = start; self.end = end
    }
}

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

/// A warning sign raised at the kiosk, as stored, with its acknowledgement.
public struct StoredAlert: Sendable, Hashable {
    public var id: Int64
    public var alert: Alert
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public init(id: Int64, alert: Alert, acknowledgedAt: Date?, acknowledgedBy: String?) {
        self.id = id; self.alert = alert; self.acknowledgedAt = acknowledgedAt; self.acknowledgedBy = acknowledgedBy
    }
}

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

/// Why the desk's store refused a change; nothing was changed.
public enum DeskError: Error, Sendable, Hashable {
    case unknownReference(String)
    case illegalMove(from: FollowUpStatus, to: FollowUpStatus)
    /// Another follow-up holds this professional at this time.
    case slotTaken(professional: String, start: Date)
    case unknownAlert(Int64)
}

/// What the front desk's console and commands need from the database, beside
/// what the kiosk needs. Every change is one transaction and is written to the
/// audit trail with its time and actor.
public protocol DeskStore: KioskStore {
    /// Newest first, `limit` rows after skipping `offset`.
    func followUps(_ filter: FollowUpFilter, limit: Int, offset: Int) throws -> [DeskFollowUp]
    func deskFollowUp(reference: String) throws -> DeskFollowUp?
    /// By name, phone, email or reference (case-insensitive, part of the text), newest first.
    func find(_ text: String, limit: Int) throws -> [DeskFollowUp]
    func countFollowUps(status: FollowUpStatus) throws -> Int
    /// How many follow-ups `followUps(filter, ...)` would list in all.
    func countFollowUps(_ filter: FollowUpFilter) throws -> Int
    func history(reference: String) throws -> [FollowUpEvent]
    /// Moves the status, if `StatusMoves` allows it (checked inside the transaction).
    func setStatus(reference: String, to: FollowUpStatus, actor: String, note: String?, now: Date) throws
    /// Books (or moves) the follow-up into the appointment; throws `.slotTaken` when
    /// another follow-up holds that professional at an overlapping time.
    func book(reference: String, appointment: Appointment, actor: String, note: String?, now: Date) throws
    /// Appointments of booked follow-ups overlapping `from..<until` (for one professional, or all).
    func appointments(professional: String?, from: Date, until: Date) throws -> [Appointment]
    /// Booked follow-ups (status booked) whose appointment starts in `from..<until`, soonest first.
    func bookedFollowUps(from: Date, until: Date) throws -> [DeskFollowUp]
    /// Calls `body` for each follow-up still waiting for an appointment (`Waitlist.waiting`),
    /// oldest first, until it returns false; never all in memory at once.
    func forEachWaitingFollowUp(_ body: (DeskFollowUp) throws -> Bool) throws
    func alerts(includeAcknowledged: Bool) throws -> [StoredAlert]
    func acknowledgeAlert(id: Int64, actor: String, now: Date) throws
    /// Calls `body` for each follow-up created since `since` (all when nil), oldest
    /// first, without loading them all into memory.
    func forEachFollowUp(since: Date?, _ body: (DeskFollowUp) throws -> Void) throws
    /// The CSV export's records (no header): `CSV.row(CSV.followUpCells(...))` of each
    /// follow-up `forEachFollowUp` walks, in its order, handed to `write` in chunks of a
    /// few hundred kB (the array is reused after `write` returns). Returns how many
    /// follow-ups were written. The default builds each `DeskFollowUp`; a store may write
    /// straight from its rows (`FollowUpCSVEncoder`), byte for byte the same.
    func writeFollowUpsCSV(since: Date?, clinic: Clinic, timeZone: TimeZone,
                           _ write: ([UInt8]) throws -> Void) throws -> Int
    /// Closed follow-ups (`StatusMoves.isClosed`: a referral once passed on, too) created
    /// before `before` that still hold a name, phone or email. With `dryRun` false, blanks those fields (keeping the
    /// row, its status and history for the counts), unlinks a returning client's later visits
    /// (so the code cannot be used to come back), and records it in the audit trail.
    func purgeContactDetails(before: Date, dryRun: Bool, actor: String, now: Date) throws -> Int
}

extension DeskStore {
    public func writeFollowUpsCSV(since: Date?, clinic: Clinic, timeZone: TimeZone,
                                  _ write: ([UInt8]) throws -> Void) throws -> Int {
        var out = [UInt8]()
        var count = 0
        try forEachFollowUp(since: since) { followUp in
            out.append(contentsOf: CSV.row(CSV.followUpCells(followUp, clinic: clinic, timeZone: timeZone)).utf8)
            count += 1
            if out.count >= 256 * 1024 {
                try write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try write(out) }
        return count
    }
}
