import Foundation

/// The desk's suggested slots for one request (`slots REF`, `book REF N`): the free slots
/// of the professionals who fit what the client asked for, inside the times they said suit
/// them, soonest first.
///
/// Times are wall-clock ranges on the clinic's calendar (`booking_times` with `hours` in
/// Content), read day by day in the clinic's zone like professionals' hours, so "weekday
/// evenings, 17:00-22:00" stays 17:00-22:00 local on both sides of a daylight-saving change.
public enum SlotSuggestions {
    /// Days looked at from the first day, unless the desk says otherwise.
    public static let defaultDays = 14
    /// Suggestions shown at most.
    public static let defaultLimit = 10

    /// The professionals who fit the request: the one the client named; else those of the
    /// kind asked for; else everyone. In the clinic's order.
    public static func professionals(for request: FollowUpRequest, in clinic: Clinic) -> [Professional] {
        if let id = request.professional, !id.isEmpty { return clinic.professionals.filter { $0.id == id } }
        if let kind = request.discipline, !kind.isEmpty { return clinic.professionals.filter { $0.discipline == kind } }
        return clinic.professionals
    }

    /// The weekly hours of each time the client said suits, or nil when any time does: no
    /// time given, or one without hours ("any time", or one the content no longer has).
    public static func preferredHours(_ request: FollowUpRequest,
                                      bookingTimeHours: [String: [String: [String]]]) -> [[String: [String]]]? {
        guard !request.preferredTimes.isEmpty else { return nil }
        var all: [[String: [String]]] = []
        for id in request.preferredTimes {
            guard let hours = bookingTimeHours[id] else { return nil }
            all.append(hours)
        }
        return all
    }

    /// Whether the slot lies wholly inside one of the preferred times (any slot when nil).
    public static func fits(_ slot: Appointment, preferred: [[String: [String]]]?, timeZone: TimeZone) -> Bool {
        guard let preferred else { return true }
        return preferred.contains { SlotCalculator.isWithin(slot, hours: $0, timeZone: timeZone) }
    }

    /// Whether a slot of `professional` suits the request: the professional fits it and the
    /// slot lies in its preferred times.
    public static func suits(_ request: FollowUpRequest, slot: Appointment, professional: Professional,
                             content: PracticeContent) -> Bool {
        professionals(for: request, in: content.clinic).contains { $0.id == professional.id }
            && fits(slot, preferred: preferredHours(request, bookingTimeHours: content.bookingTimeHours),
                    timeZone: DeskTime.zone(of: content.clinic))
    }

    /// The free slots that suit the request, starting within `from..<until` and not before
    /// `now`, soonest first (at the same time, in the clinic's order of professionals), at
    /// most `limit`. `booked` are the appointments already held, of any professional.
    public static func suggest(for request: FollowUpRequest, content: PracticeContent, from: Date, until: Date,
                               booked: [Appointment], now: Date, limit: Int = defaultLimit) -> [Appointment] {
        let clinic = content.clinic
        let zone = DeskTime.zone(of: clinic)
        let preferred = preferredHours(request, bookingTimeHours: content.bookingTimeHours)
        var found: [(order: Int, slot: Appointment)] = []
        for (order, person) in professionals(for: request, in: clinic).enumerated() {
            let free = SlotCalculator.freeSlots(for: person, from: from, until: until, slotMinutes: clinic.slotMinutes,
                                                timeZone: zone, booked: booked, now: now)
            found += free.filter { fits($0, preferred: preferred, timeZone: zone) }.map { (order, $0) }
        }
        found.sort { $0.slot.start != $1.slot.start ? $0.slot.start < $1.slot.start : $0.order < $1.order }
        return found.prefix(max(0, limit)).map(\.slot)
    }
}

/// Who could take a freed slot (`waiting SLOT`, and after `set REF cancelled`): requests
/// still waiting for the desk that asked for that professional, or that kind, at that time.
public enum Waitlist {
    /// Statuses of a request still waiting for an appointment.
    public static let waiting: Set<FollowUpStatus> = [.requested, .contacted]

    /// Whether `followUp` waits, and the slot of `professional` suits what it asked for.
    public static func fits(_ followUp: DeskFollowUp, slot: Appointment, professional: Professional,
                            content: PracticeContent) -> Bool {
        waiting.contains(followUp.status)
            && SlotSuggestions.suits(followUp.followUp.request, slot: slot, professional: professional, content: content)
    }
}

/// Why a status may not be set now.
public enum StatusProblem: Error, Equatable, Sendable {
    /// Completed or no-show before the appointment has started: most likely the wrong
    /// follow-up or a slip; the desk may go ahead with `--confirm`.
    case beforeAppointment(start: Date)
}

/// Status moves that depend on the clock (`StatusMoves` says which moves exist at all).
public enum StatusTiming {
    /// Statuses that say what happened at the appointment.
    public static let afterTheFact: Set<FollowUpStatus> = [.completed, .noShow]

    /// The problem with moving `followUp` to `status` at `now`, or nil.
    public static func check(_ followUp: DeskFollowUp, to status: FollowUpStatus, now: Date,
                             confirmed: Bool) -> StatusProblem? {
        guard afterTheFact.contains(status), !confirmed, let start = followUp.appointment?.start, now < start else { return nil }
        return .beforeAppointment(start: start)
    }
}
