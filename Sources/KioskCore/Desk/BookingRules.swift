import Foundation

/// Why the desk may not book a follow-up into an appointment.
public enum BookingProblem: Error, Equatable, Sendable {
    /// The appointment starts before now.
    case inPast
    /// Not wholly inside one range of the professional's hours (or it ends before it starts).
    case outsideHours
    /// It overlaps another booked appointment of the same professional.
    case slotTaken
    /// The client asked for another discipline or another named professional.
    /// For a named professional both values are professional ids; otherwise both
    /// are discipline ids. The desk may go ahead with `confirmDiscipline`.
    case disciplineMismatch(requested: String, professional: String)
    /// The follow-up's status does not allow booking (a closed follow-up).
    case notBookable(FollowUpStatus)
    /// The client was told to see a doctor first (a warning sign): book only once a doctor
    /// has cleared it; the desk may go ahead with `confirmClearance`.
    case awaitingClearance
}

/// The desk's booking checks, before the store's transaction (which checks the
/// overlap again, since another desk may book in between).
public enum BookingRules {
    /// Statuses from which a follow-up may be booked: those `StatusMoves` lets
    /// move to `.booked`, plus `.booked` itself (moving an appointment).
    public static func isBookable(_ status: FollowUpStatus) -> Bool {
        status == .booked || StatusMoves.isAllowed(from: status, to: .booked)
    }

    /// The first problem with booking `followUp` into `appointment` with
    /// `professional`, or nil when the booking may go ahead.
    ///
    /// Hard problems come first (status, past, hours, overlap) and the
    /// discipline check last, so that when `.disciplineMismatch` is returned,
    /// confirming it is all that stands between the desk and the booking.
    /// `booked` are the appointments already held (any professional); the
    /// follow-up's own current appointment is ignored once, so moving it within
    /// or next to its old time does not clash with itself.
    /// `appointment.professional` is expected to be `professional.id`; the
    /// caller builds both from the one professional the desk chose.
    public static func check(_ followUp: DeskFollowUp, appointment: Appointment, professional: Professional,
                             clinic: Clinic, booked: [Appointment], now: Date,
                             confirmDiscipline: Bool, confirmClearance: Bool = false) -> BookingProblem? {
        guard isBookable(followUp.status) else { return .notBookable(followUp.status) }
        if appointment.start < now { return .inPast }
        if !SlotCalculator.isWithinHours(appointment, of: professional, timeZone: DeskTime.zone(of: clinic)) {
            return .outsideHours
        }
        var others = booked.filter { $0.professional == professional.id }
        if let own = followUp.appointment, let index = others.firstIndex(of: own) {
            others.remove(at: index)
        }
        if others.contains(where: { $0.start < appointment.end && appointment.start < $0.end }) {
            return .slotTaken
        }
        if !confirmClearance, followUp.followUp.request.afterMedicalClearance, followUp.status != .booked {
            return .awaitingClearance
        }
        if !confirmDiscipline, let mismatch = mismatch(followUp.followUp.request, professional) {
            return mismatch
        }
        return nil
    }

    /// A named professional outranks a discipline: asking for Dana (a massage
    /// therapist) and booking Lee (also one) still needs the desk's confirmation.
    static func mismatch(_ request: FollowUpRequest, _ professional: Professional) -> BookingProblem? {
        if let wanted = request.professional, !wanted.isEmpty {
            return wanted == professional.id ? nil
                : .disciplineMismatch(requested: wanted, professional: professional.id)
        }
        if let wanted = request.discipline, !wanted.isEmpty, wanted != professional.discipline {
            return .disciplineMismatch(requested: wanted, professional: professional.discipline)
        }
        return nil
    }
}
