import Foundation

/// iCalendar (RFC 5545) export of booked follow-ups, for the desk's calendar.
///
/// Calendars leak (shared, synced, shown on phones), so an event says only
/// which follow-up and with whom: no answers, no options, no warning sign, no
/// notes, and the client's name, phone and email only with `includeContact`.
///
/// Time zone: events use `DTSTART;TZID=<clinic zone>` local times, and the
/// header carries a VTIMEZONE built from the system's zone data around `now`:
/// one DAYLIGHT and one STANDARD observance with a yearly RRULE when the
/// changes of the last two and next six years follow one "nth weekday of a
/// month" rule, else one observance per change in that window. Clients that
/// know the Olson id use their own data; the VTIMEZONE serves those that don't
/// (RFC 5545 requires one for every TZID used). An unknown zone falls back to
/// UTC times (`...Z`) and no VTIMEZONE.
///
/// Usage: `header`, then each non-nil `event`, then `footer`.
public enum ICalendar {
    public static let footer = "END:VCALENDAR\r\n"

    /// The calendar's opening lines, with the clinic's VTIMEZONE.
    public static func header(clinic: Clinic, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Relief Kiosk//Follow-ups//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(clinic.name + " follow-ups"),
        ]
        if let zone = zone(of: clinic) {
            lines.append("X-WR-TIMEZONE:" + zone.identifier)
            lines += timeZoneLines(zone, now: now)
        }
        return lines.map(fold).joined()
    }

    /// One VEVENT for a follow-up that holds an appointment and is booked,
    /// completed or a no-show; nil otherwise (a cancelled follow-up's slot is free). A booked
    /// one carries a VALARM `clinic.reminderMinutes` before it starts (none when 0).
    /// `now` is the DTSTAMP (when this export was made).
    public static func event(_ f: DeskFollowUp, clinic: Clinic, professionalName: String,
                             includeContact: Bool, now: Date) -> String? {
        guard let appointment = f.appointment, [.booked, .completed, .noShow].contains(f.status) else { return nil }
        var description = ["Reference: " + f.reference, "Professional: " + professionalName]
        if includeContact {
            let request = f.followUp.request
            // Typed text: made visible first, so a line break in a name cannot
            // start a new, official-looking line of the description.
            description.append("Name: " + TextSafety.display(request.name))
            if let phone = request.phone, !phone.isEmpty { description.append("Phone: " + TextSafety.display(phone)) }
            if let email = request.email, !email.isEmpty { description.append("Email: " + TextSafety.display(email)) }
        }
        var lines = [
            "BEGIN:VEVENT",
            "UID:" + escape(TextSafety.display(f.reference) + "@" + host(of: clinic)),
            "DTSTAMP:" + DeskTime.basic(now, TimeZone(secondsFromGMT: 0)!) + "Z",
        ]
        lines += [("DTSTART", appointment.start), ("DTEND", appointment.end)].map { name, date in
            if let zone = zone(of: clinic) {
                return name + ";TZID=" + zone.identifier + ":" + DeskTime.basic(date, zone)
            }
            return name + ":" + DeskTime.basic(date, TimeZone(secondsFromGMT: 0)!) + "Z"
        }
        lines += [
            "SUMMARY:" + escape("Follow-up \(TextSafety.display(f.reference)) with \(professionalName)"),
            "LOCATION:" + escape(clinic.name + ", " + clinic.address),
            "DESCRIPTION:" + escape(description.joined(separator: "\n")),
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
        ]
        // A reminder for what is still to come (clinic.yaml's reminder_minutes); a completed
        // or no-show appointment is history.
        if f.status == .booked, clinic.reminderMinutes > 0 {
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "DESCRIPTION:" + escape("Reminder: follow-up \(TextSafety.display(f.reference)) with \(professionalName)"),
                "TRIGGER:" + trigger(minutesBefore: clinic.reminderMinutes),
                "END:VALARM",
            ]
        }
        lines.append("END:VEVENT")
        return lines.map(fold).joined()
    }

    /// A TRIGGER value (RFC 5545 dur-value) for `minutes` before the start: "-P1D", "-PT2H", "-PT90M".
    static func trigger(minutesBefore minutes: Int) -> String {
        if minutes % 1440 == 0 { return "-P\(minutes / 1440)D" }
        if minutes % 60 == 0 { return "-PT\(minutes / 60)H" }
        return "-PT\(minutes)M"
    }

    /// A content line as written: folded so no line exceeds 75 octets of UTF-8
    /// (never inside a character's bytes), each continuation starting with one
    /// space, every physical line ended by CRLF. Folds fall between whole
    /// characters (grapheme clusters), so no continuation line starts with a
    /// lone combining mark; only a cluster longer than a line is cut, between
    /// its scalars.
    static func fold(_ line: String) -> String {
        var out = ""
        var current = ""
        var octets = 0
        var limit = 75
        func breakLine() {
            out += current + "\r\n "
            current = ""
            octets = 0
            limit = 74 // the leading space takes one octet
        }
        for character in line {
            let size = character.utf8.count
            if octets + size <= limit {
                current.append(character)
                octets += size
                continue
            }
            if size <= 74 {
                breakLine()
                current.append(character)
                octets = size
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarSize = scalar.utf8.count
                if octets + scalarSize > limit { breakLine() }
                current.unicodeScalars.append(scalar)
                octets += scalarSize
            }
        }
        return out + current + "\r\n"
    }

    /// TEXT value escaping: `\` `;` `,` and line breaks (LF or CRLF) as `\\` `\;`
    /// `\,` `\n`; every other control, a lone CR included, made visible by
    /// `TextSafety.display` first.
    static func escape(_ text: String) -> String {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previousCR { current.removeLast() }
                pieces.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
            previousCR = scalar == "\r"
        }
        pieces.append(String(current))
        return pieces.map { piece in
            var escaped = ""
            for character in TextSafety.display(piece).unicodeScalars {
                switch character {
                case "\\": escaped += "\\\\"
                case ";": escaped += "\\;"
                case ",": escaped += "\\,"
                default: escaped.unicodeScalars.append(character)
                }
            }
            return escaped
        }.joined(separator: "\\n")
    }

    // MARK: - Pieces

    /// The clinic's zone when it is known and its id is safe as a TZID parameter.
    static func zone(of clinic: Clinic) -> TimeZone? {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-".unicodeScalars)
        guard !clinic.timeZone.isEmpty, clinic.timeZone.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return TimeZone(identifier: clinic.timeZone)
    }

    /// A stable host-like name for UIDs: the clinic's name as a slug under
    /// "relief-kiosk" ("Test Clinic" -> "test-clinic.relief-kiosk"), so the same
    /// reference from two clinics' calendars cannot collide.
    static func host(of clinic: Clinic) -> String {
        var slug = ""
        for scalar in clinic.name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
            if slug.count >= 40 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "relief-kiosk" : slug + ".relief-kiosk"
    }

    struct Change {
        var at: Date
        var from: Int
        var to: Int
        var daylight: Bool
        var name: String?
    }

    /// VTIMEZONE lines for the zone (see the type's documentation).
    static func timeZoneLines(_ zone: TimeZone, now: Date) -> [String] {
        let year: TimeInterval = 365.25 * 86_400
        var changes: [Change] = []
        var cursor = now.addingTimeInterval(-2 * year)
        let end = now.addingTimeInterval(6 * year)
        while changes.count < 64, let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            changes.append(Change(at: next, from: zone.secondsFromGMT(for: next.addingTimeInterval(-1)),
                                  to: zone.secondsFromGMT(for: next), daylight: zone.isDaylightSavingTime(for: next),
                                  name: zone.abbreviation(for: next)))
            cursor = next
        }
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + zone.identifier]
        if changes.isEmpty {
            let offset = zone.secondsFromGMT(for: now)
            let kind = zone.isDaylightSavingTime(for: now) ? "DAYLIGHT" : "STANDARD"
            lines += ["BEGIN:" + kind, "TZOFFSETFROM:" + DeskTime.offset(offset, colon: false),
                      "TZOFFSETTO:" + DeskTime.offset(offset, colon: false)]
            lines += tzName(zone.abbreviation(for: now))
            lines += ["DTSTART:19700101T000000", "END:" + kind]
        } else {
            for daylight in [true, false] {
                let group = changes.filter { $0.daylight == daylight }
                guard !group.isEmpty else { continue }
                lines += observances(group, kind: daylight ? "DAYLIGHT" : "STANDARD")
            }
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// One observance with a yearly rule when every change fits it, else one per change.
    static func observances(_ group: [Change], kind: String) -> [String] {
        let utc = DeskTime.calendar(TimeZone(secondsFromGMT: 0)!)
        // The onset in the local time before the change, as RFC 5545 wants it.
        func local(_ change: Change) -> Date { change.at.addingTimeInterval(TimeInterval(change.from)) }
        func lines(_ change: Change, rule: String?) -> [String] {
            var out = ["BEGIN:" + kind,
                       "TZOFFSETFROM:" + DeskTime.offset(change.from, colon: false),
                       "TZOFFSETTO:" + DeskTime.offset(change.to, colon: false)]
            out += tzName(change.name)
            out.append("DTSTART:" + DeskTime.basic(local(change), TimeZone(secondsFromGMT: 0)!))
            if let rule { out.append("RRULE:" + rule) }
            out.append("END:" + kind)
            return out
        }
        let days = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
        struct Shape: Hashable { var month, weekday, time, from, to: Int }
        var shapes = Set<Shape>()
        var ordinals = Set<Int>()
        var allLast = true
        for change in group {
            let c = utc.dateComponents([.month, .day, .weekday, .hour, .minute, .second], from: local(change))
            let month = c.month ?? 0, day = c.day ?? 0
            shapes.insert(Shape(month: month, weekday: c.weekday ?? 0,
                                time: (c.hour ?? 0) * 3600 + (c.minute ?? 0) * 60 + (c.second ?? 0),
                                from: change.from, to: change.to))
            ordinals.insert((day - 1) / 7 + 1)
            let monthLength = utc.range(of: .day, in: .month, for: local(change))?.count ?? 31
            if day + 7 <= monthLength { allLast = false }
        }
        if group.count > 1, shapes.count == 1, let shape = shapes.first, (1...7).contains(shape.weekday) {
            let ordinal: Int? = ordinals.count == 1 && ordinals.first! <= 4 ? ordinals.first! : (allLast ? -1 : nil)
            if let ordinal {
                return lines(group[0], rule: "FREQ=YEARLY;BYMONTH=\(shape.month);BYDAY=\(ordinal)\(days[shape.weekday - 1])")
            }
        }
        return group.flatMap { lines($0, rule: nil) }
    }

    /// TZNAME only for a letters-only abbreviation ("CST"); "GMT-6" says nothing the offsets don't.
    static func tzName(_ name: String?) -> [String] {
        guard let name, !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return [] }
        return ["TZNAME:" + name]
    }
}
