import Foundation

/// What the front desk's console and commands need from the database, beside
/// what the kiosk needs. Every change is one transaction and is written to the
/// audit trail with its time and actor.
public protocol DeskStore: SessionStore {
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
