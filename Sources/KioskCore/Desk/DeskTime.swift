import Foundation

/// Local-time helpers shared by slots, booking rules and the exports.
///
/// Everything goes through a Gregorian `Calendar` set to the clinic's time zone,
/// never through "add 24 hours", so that a 09:00 slot stays 09:00 local on both
/// sides of a daylight-saving change.
enum DeskTime {
    /// Weekday keys as `Professional.hours` spells them, indexed by
    /// `Calendar.component(.weekday)` - 1 (Sunday first, as Foundation counts).
    static let weekdayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Fixed so that week arithmetic never depends on the machine's locale.
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// The clinic's zone; GMT if the identifier is unknown (content check refuses
    /// unknown zones, so this only keeps a bad database row from crashing).
    static func zone(of clinic: Clinic) -> TimeZone {
        TimeZone(identifier: clinic.timeZone) ?? TimeZone(secondsFromGMT: 0)!
    }

    static func weekdayKey(of date: Date, in calendar: Calendar) -> String {
        weekdayKeys[(calendar.component(.weekday, from: date) - 1 + 7) % 7]
    }

    /// "HH:MM" as minutes after midnight; "24:00" is allowed (the end of a day).
    static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60,
              hour < 24 || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }

    /// "HH:MM-HH:MM" as minutes after midnight, the start before the end.
    static func range(_ text: String) -> (start: Int, end: Int)? {
        let ends = text.trimmedWhitespace.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]),
              start < end, start < 24 * 60 else { return nil }
        return (start, end)
    }

    /// The instant a wall-clock time on `day` names, and whether that wall-clock
    /// time really exists that day (it does not inside a spring-forward gap).
    /// For a time in the gap the instant is the change itself: the first real
    /// local time after it (02:30 on the US change night -> 03:00 CDT), which is
    /// where a range that starts or ends in the gap is cut.
    /// In the repeated hour of a fall-back night the earlier instant is used.
    static func instant(minutes: Int, on day: Date, calendar: Calendar) -> (date: Date, exists: Bool)? {
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        if minutes == 24 * 60 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: day)) else { return nil }
            parts = calendar.dateComponents([.year, .month, .day], from: next)
            parts.hour = 0; parts.minute = 0
        } else {
            parts.hour = minutes / 60; parts.minute = minutes % 60
        }
        parts.second = 0
        guard let date = calendar.date(from: parts) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        if back.year == parts.year, back.month == parts.month, back.day == parts.day,
           back.hour == parts.hour, back.minute == parts.minute {
            return (date, true)
        }
        // Skipped wall-clock time: cut at the change, the last transition at or before `date`.
        let zone = calendar.timeZone
        var change: Date?
        var cursor = date.addingTimeInterval(-2 * 86_400)
        for _ in 0..<8 {
            guard let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= date else { break }
            change = next
            cursor = next
        }
        return (change ?? date, false)
    }

    /// Weekly hours (`"mon": ["09:00-12:00"]`) on one local day as instants, in the order
    /// written. A bound that falls in a spring-forward gap is cut at the change, so only real
    /// local times remain; ranges that do not read as `HH:MM-HH:MM` are skipped.
    static func ranges(_ hours: [String: [String]], on day: Date, calendar: Calendar) -> [(start: Date, end: Date)] {
        let key = weekdayKey(of: day, in: calendar)
        return (hours[key] ?? []).compactMap { text in
            guard let range = range(text),
                  let start = instant(minutes: range.start, on: day, calendar: calendar)?.date,
                  let end = instant(minutes: range.end, on: day, calendar: calendar)?.date,
                  start < end else { return nil }
            return (start, end)
        }
    }

    /// `yyyyMMdd'T'HHmmss` in the zone (iCalendar's local "floating" form).
    static func basic(_ date: Date, _ timeZone: TimeZone) -> String {
        let c = calendar(timeZone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return pad(c.year ?? 0, 4) + pad(c.month ?? 0, 2) + pad(c.day ?? 0, 2) + "T"
            + pad(c.hour ?? 0, 2) + pad(c.minute ?? 0, 2) + pad(c.second ?? 0, 2)
    }

    /// ISO 8601 local time with its offset, `2026-03-09T09:00:00-05:00`.
    static func iso8601(_ date: Date, _ timeZone: TimeZone) -> String {
        var out = [UInt8]()
        out.reserveCapacity(25)
        appendISO8601(seconds: Int64(date.timeIntervalSince1970.rounded(.down)),
                      offset: timeZone.secondsFromGMT(for: date), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `iso8601` as bytes, for whole seconds since 1970 and the zone's offset (seconds east
    /// of UTC) at that instant: plain arithmetic on the local time (an export formats
    /// millions of these): shift by the offset, then read the fields as UTC.
    static func appendISO8601(seconds: Int64, offset offsetSeconds: Int, to out: inout [UInt8]) {
        let local = Int(seconds) + offsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondsOfDay = local - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        // Written as bytes: "YYYY-MM-DDTHH:MM:SS+HH:MM" (years 0-9999).
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = max(0, value)
            for _ in 0..<width { out.append(UInt8(48 + (v / divisor) % 10)); v %= divisor; divisor /= 10 }
        }
        digits(y, 4); out.append(45); digits(m, 2); out.append(45); digits(d, 2); out.append(84)
        digits(secondsOfDay / 3600, 2); out.append(58); digits(secondsOfDay / 60 % 60, 2); out.append(58)
        digits(secondsOfDay % 60, 2)
        let minutes = abs(offsetSeconds) / 60
        out.append(offsetSeconds < 0 ? 45 : 43)
        digits(minutes / 60, 2); out.append(58); digits(minutes % 60, 2)
    }

    /// Year, month, day of a count of days since 1970-01-01 (the proleptic Gregorian
    /// calendar; H. Hinnant's civil_from_days).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// "+0530" / "-05:00".
    static func offset(_ seconds: Int, colon: Bool) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + pad(minutes / 60, 2) + (colon ? ":" : "") + pad(minutes % 60, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
