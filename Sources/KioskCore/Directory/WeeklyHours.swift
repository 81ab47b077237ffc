/// Weekly hours read once: for each weekday (`DeskTime.weekdayKeys` order, Sunday first),
/// its ranges in minutes from midnight. Content writes them as `"mon": ["09:00-17:00"]`;
/// the loader refuses ranges it cannot read, and any left are dropped here.
public struct WeeklyHours: Sendable, Hashable {
    public struct Range: Sendable, Hashable {
        public var start: Int
        public var end: Int
    }

    /// Ranges by weekday index (0 is Sunday).
    public private(set) var days: [[Range]]
    /// Whether the hours say anything at all (a booking time such as "any time" has none,
    /// and fits everyone).
    public let limits: Bool

    public init(_ hours: [String: [String]]) {
        days = DeskTime.weekdayKeys.map { key in
            (hours[key] ?? []).compactMap { DeskTime.range($0).map { Range(start: $0.start, end: $0.end) } }
        }
        limits = !hours.isEmpty
    }

    /// These hours and `other`'s, together.
    public func adding(_ other: WeeklyHours) -> WeeklyHours {
        var all = self
        for day in days.indices { all.days[day] += other.days[day] }
        return all
    }

    /// Whether the two share some time on some weekday.
    public func overlaps(_ other: WeeklyHours) -> Bool {
        for day in days.indices where !days[day].isEmpty && !other.days[day].isEmpty {
            for first in days[day] {
                for second in other.days[day] where first.start < second.end && second.start < first.end { return true }
            }
        }
        return false
    }
}

/// The weekly hours the booking screens compare, read once per content (`ContentTables`):
/// the practice's professionals and partners (in the directory's order) and each booking time.
public struct DirectoryHours: Sendable {
    let professionals: [WeeklyHours]
    let partners: [WeeklyHours]
    let times: [String: WeeklyHours]

    public init(clinic: Clinic, timeHours: [String: [String: [String]]]) {
        professionals = clinic.professionals.map { WeeklyHours($0.hours) }
        partners = clinic.partners.map { WeeklyHours($0.hours) }
        times = timeHours.mapValues(WeeklyHours.init)
    }
}
