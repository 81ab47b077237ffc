import Foundation

/// Whether a place is open at a given instant, from weekly hours written as wall-clock times
/// in the clinic's time zone (`"mon": ["08:00-20:00"]`). The instant is passed in (the shell's
/// clock): nothing here reads the time.
///
/// Every day is built from its own date components (`DeskTime`), so 08:00 is 08:00 local on
/// both sides of a daylight-saving change; a range that ends at 24:00 runs on into a range
/// of the next day that starts at 00:00 ("open all day, every day" has no end).
public enum OpeningHours {
    public enum Status: Sendable, Equatable {
        /// Open now, until that instant; nil: open at least the whole coming week.
        case open(until: Date?)
        /// Closed now; opens at that instant, or nil when it does not open in the coming week.
        case closed(opens: Date?)

        public var isOpen: Bool { if case .open = self { return true } else { return false } }
    }

    /// Days looked ahead for a closing or an opening time.
    static let horizonDays = 8

    public static func status(_ hours: [String: [String]], at now: Date, timeZone: TimeZone) -> Status {
        let calendar = DeskTime.calendar(timeZone)
        // Ranges end by 24:00 of their own day, so none from before today holds `now`.
        var ranges: [(start: Date, end: Date)] = []
        var day = calendar.startOfDay(for: now)
        for _ in 0..<horizonDays {
            ranges += DeskTime.ranges(hours, on: day, calendar: calendar)
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = calendar.startOfDay(for: next)
        }
        ranges.sort { $0.start < $1.start }
        guard let index = ranges.firstIndex(where: { $0.start <= now && now < $0.end }) else {
            return .closed(opens: ranges.first { $0.start > now }?.start)
        }
        var end = ranges[index].end
        for range in ranges[(index + 1)...] {
            guard range.start <= end else { break }
            end = max(end, range.end)
        }
        // Still open at the last day looked at: it does not close in the coming week.
        return .open(until: end >= day ? nil : end)
    }
}
