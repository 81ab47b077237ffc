import Foundation

/// A professional's free appointment slots, from their weekly hours.
///
/// Hours are wall-clock times in the clinic's time zone (`"mon": ["09:00-12:00"]`).
/// Each day is built from its own date components, so 09:00 is 09:00 local on both
/// sides of a daylight-saving change. Inside one range, slots follow each other in
/// real time (a 60-minute slot lasts 60 real minutes): on a spring-forward night
/// `01:00-04:00` gives 01:00 and 03:00, the only real local times; on a fall-back
/// night it gives four slots, 01:00 twice.
public enum SlotCalculator {
    /// Free slots of `professional` that start within `from..<until`, not before
    /// `now`, and overlap none of the professional's `booked` appointments
    /// (appointments of other professionals are ignored); sorted by start.
    /// Each slot is `slotMinutes` long and lies wholly inside one range of hours.
    /// Ranges that do not read as `HH:MM-HH:MM` are skipped (content check reports them).
    public static func freeSlots(for professional: Professional, from: Date, until: Date, slotMinutes: Int,
                                 timeZone: TimeZone, booked: [Appointment], now: Date) -> [Appointment] {
        guard slotMinutes > 0, from < until else { return [] }
        let calendar = DeskTime.calendar(timeZone)
        let length = TimeInterval(slotMinutes * 60)
        let theirs = booked.filter { $0.professional == professional.id }
        let earliest = max(from, now)
        var slots: [Appointment] = []
        var day = calendar.startOfDay(for: from)
        // One pass per local calendar day; the guard bounds a nonsense window.
        var days = 0
        while day < until, days < 3_700 {
            days += 1
            for (start, end) in ranges(of: professional, on: day, calendar: calendar) {
                var slotStart = start
                while slotStart.addingTimeInterval(length) <= end {
                    let slotEnd = slotStart.addingTimeInterval(length)
                    if slotStart >= earliest, slotStart < until,
                       !theirs.contains(where: { $0.start < slotEnd && slotStart < $0.end }) {
                        slots.append(Appointment(professional: professional.id, start: slotStart, end: slotEnd))
                    }
                    slotStart = slotEnd
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = calendar.startOfDay(for: next)
        }
        return slots.sorted { $0.start < $1.start }
    }

    /// The instant `"HH:MM"` names on the local calendar day holding `day`
    /// (`"24:00"` is the start of the next day). Nil when the text is not a time,
    /// or when that wall-clock time does not exist that day (a spring-forward gap).
    /// In the repeated hour of a fall-back night, the earlier of the two instants.
    public static func parseTime(_ text: String, on day: Date, timeZone: TimeZone) -> Date? {
        guard let minutes = DeskTime.minutes(Substring(text.trimmingCharacters(in: .whitespaces))),
              let found = DeskTime.instant(minutes: minutes, on: day, calendar: DeskTime.calendar(timeZone)),
              found.exists else { return nil }
        return found.date
    }

    /// Whether the appointment lies wholly inside one range of the professional's
    /// hours on the local day it starts (and ends after it starts). It does not
    /// compare `appointment.professional` with the professional's id.
    public static func isWithinHours(_ appointment: Appointment, of professional: Professional,
                                     timeZone: TimeZone) -> Bool {
        isWithin(appointment, hours: professional.hours, timeZone: timeZone)
    }

    /// Whether the appointment lies wholly inside one range of weekly `hours` (weekday ->
    /// "HH:MM-HH:MM" ranges, as professionals' hours and booking times' are written) on
    /// the local day it starts.
    public static func isWithin(_ appointment: Appointment, hours: [String: [String]], timeZone: TimeZone) -> Bool {
        guard appointment.start < appointment.end else { return false }
        let calendar = DeskTime.calendar(timeZone)
        let day = calendar.startOfDay(for: appointment.start)
        return DeskTime.ranges(hours, on: day, calendar: calendar).contains {
            $0.start <= appointment.start && appointment.end <= $0.end
        }
    }

    /// The professional's ranges on one local day as instants. A bound that falls
    /// in a spring-forward gap is cut at the change, so only real local times remain.
    static func ranges(of professional: Professional, on day: Date, calendar: Calendar) -> [(start: Date, end: Date)] {
        DeskTime.ranges(professional.hours, on: day, calendar: calendar)
    }
}
