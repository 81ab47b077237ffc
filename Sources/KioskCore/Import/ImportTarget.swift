import Foundation

/// What a store does for `kiosk import`, each in its own SQL, inside the one transaction
/// the import runs in. `ImportPlan` decides what to copy and why; these only look and write.
/// Values come as the file holds them (dates as its text); the store converts them.
public protocol ImportTarget {
    /// Runs `body` in a savepoint. When the row does not fit this database (a constraint,
    /// a value of the wrong type) or `body` throws `ImportRules.RowProblem`, only that row
    /// is undone and the reason comes back; any other error ends the import.
    func attempt(_ body: () throws -> Void) throws -> String?

    /// Adds the assessment unless one with its id is here; true when it was added.
    func insertAssessment(_ row: ImportRow) throws -> Bool
    /// Adds the session start unless one with its id is here; true when it was added.
    func insertSession(_ row: ImportRow) throws -> Bool
    /// Whether an alert for the same assessment, time and outcome is here.
    func hasAlert(_ row: ImportRow) throws -> Bool
    func insertAlert(_ row: ImportRow) throws

    /// The reference, phone and email of each follow-up here with a phone or an email,
    /// oldest first.
    func forEachContact(_ body: (_ reference: String, _ phone: String?, _ email: String?) -> Void) throws
    /// Whether this request (the assessment it came from and its creation time) is here,
    /// whatever its reference.
    func hasRequest(assessment: String, createdAt: String) throws -> Bool
    /// The reference of a booked follow-up that holds `professional` at a time overlapping
    /// `start..<end`, if any.
    func slotHolder(professional: String, start: String, end: String) throws -> String?
    /// Whether a follow-up here has this reference.
    func isTaken(reference: String) throws -> Bool
    /// Adds the file's follow-up under `reference`, with `flag` for the desk.
    func insertFollowUp(_ row: ImportRow, reference: String, status: FollowUpStatus, flag: String?) throws
    /// Whether the follow-up `reference` already has this audit event (same time, new
    /// status and actor).
    func hasEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws -> Bool
    /// Adds the file's audit event to the follow-up `reference`.
    func insertEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws
    /// Adds an audit event of this import.
    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws
}
