import Foundation

/// What a store does for the desk's changes (`DeskChanges`), each in its own SQL, inside
/// the one transaction that makes the change. `DeskChanges` decides; these only look and write.
public protocol DeskTransaction {
    /// The follow-up's status, its row locked until the transaction ends where the store
    /// locks rows.
    /// - Throws: `DeskError.unknownReference` when there is no such follow-up.
    func status(of reference: String) throws -> FollowUpStatus
    /// Moves the follow-up to `status` (never `.booked`: that is `setBooked`).
    func setStatus(_ status: FollowUpStatus, reference: String) throws
    /// Whether a booked follow-up other than `reference` holds the slot's professional at
    /// a time overlapping it.
    func isHeld(_ slot: BookingSlot, except reference: String) throws -> Bool
    /// The professional and start (as stored) of the follow-up's booking, if it has one.
    func booking(of reference: String) throws -> (professional: String, start: String)?
    /// Books the follow-up into the slot. A store whose unique index refuses it throws
    /// `slot.taken`.
    func setBooked(reference: String, slot: BookingSlot) throws
    /// Adds an audit event.
    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws
}

/// An appointment as the stores write it: its ends as stored text (`StoredDate`).
public struct BookingSlot: Sendable, Equatable {
    public let appointment: Appointment
    public let start: String
    public let end: String

    /// Why an appointment cannot be booked at all (the store reports it as an I/O error).
    public static let unfit = "an appointment needs a professional and must end after it starts"

    /// Nil for an appointment with no professional, or one that does not end after it starts.
    public init?(_ appointment: Appointment) {
        let start = StoredDate.text(appointment.start), end = StoredDate.text(appointment.end)
        guard !appointment.professional.isEmpty, end > start else { return nil }
        self.appointment = appointment; self.start = start; self.end = end
    }

    public var professional: String { appointment.professional }

    /// The error for a slot another follow-up holds.
    public var taken: DeskError { .slotTaken(professional: professional, start: appointment.start) }
}

/// The desk's status moves and bookings, the same on every store: which moves are allowed,
/// the overlap check and the audit note. The store runs them inside its own transaction.
public enum DeskChanges {
    /// Any legal move except into `booked` (that is `book`, which needs an appointment).
    /// - Throws: `DeskError.unknownReference`, `.illegalMove`.
    public static func setStatus(reference: String, to: FollowUpStatus, actor: String, note: String?, now: Date,
                                 in store: some DeskTransaction) throws {
        let current = try store.status(of: reference)
        guard to != .booked, StatusMoves.isAllowed(from: current, to: to) else {
            throw DeskError.illegalMove(from: current, to: to)
        }
        try store.setStatus(to, reference: reference)
        try store.recordEvent(reference: reference, at: now, actor: actor, from: current, to: to, note: note)
    }

    /// Books a requested or contacted follow-up, or moves a booked one (freeing its old slot).
    /// - Throws: `DeskError.unknownReference`, `.illegalMove(from:to: .booked)` for a closed
    ///   follow-up, `.slotTaken` when another booked follow-up holds the professional at an
    ///   overlapping time.
    public static func book(reference: String, slot: BookingSlot, actor: String, note: String?, now: Date,
                            in store: some DeskTransaction) throws {
        let current = try store.status(of: reference)
        guard BookingRules.isBookable(current) else { throw DeskError.illegalMove(from: current, to: .booked) }
        if try store.isHeld(slot, except: reference) { throw slot.taken }
        var text = "with \(slot.professional) at \(slot.start) until \(slot.end)"
        if current == .booked, let old = try store.booking(of: reference) {
            text = "moved from \(old.professional) at \(old.start); " + text
        }
        if let note, !note.isEmpty { text += "; " + note }
        try store.setBooked(reference: reference, slot: slot)
        try store.recordEvent(reference: reference, at: now, actor: actor, from: current, to: .booked, note: text)
    }
}
