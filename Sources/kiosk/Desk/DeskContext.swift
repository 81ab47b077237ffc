import ArgumentParser
import Foundation
import KioskContent
import KioskCore
import KioskStore

/// What every desk command works with: the practice's content (professionals,
/// hours, time zone) and the database, plus the look-ups a person types.
struct DeskContext {
    let content: PracticeContent
    let store: any PracticeStore
    let timeZone: TimeZone
    let actor: String
    /// The database as given (a path or a URL), for what the desk remembers about it.
    var location: String = ""

    static func open(content contentDir: String?, db: String?) throws -> DeskContext {
        // The database first: a mistyped or missing one is refused before anything else
        // is read or written (the content's snapshot included).
        let location = Paths.database(db)
        let store = try StoreOpening.open(location)
        let content = try loadContent(Paths.content(contentDir))
        let zone = TimeZone(identifier: content.clinic.timeZone) ?? .current
        let user = Paths.variable("USER") ?? "desk"
        return DeskContext(content: content, store: store, timeZone: zone, actor: "desk:\(user)", location: location)
    }

    var clinic: Clinic { content.clinic }

    // MARK: - Look-ups, each with a one-line message naming the nearest valid choice

    /// The reference code `text` spells ("k7m2qx", "K7M-2QX"), or nil when it is no code.
    static func referenceCode(_ text: String) -> String? {
        SQLiteKioskStore.referenceSpellings(text).first(where: ReferenceCode.isValid)
    }

    func followUp(_ reference: String) throws -> DeskFollowUp {
        let ref = reference.uppercased()
        if let found = try store.deskFollowUp(reference: ref) { return found }
        let near = try store.find(String(ref.prefix(3)), limit: 50).map(\.reference)
        let hint = nearest(ref, in: near).map { " Did you mean \($0)?" } ?? " Try: find TEXT"
        throw DeskFailure("No follow-up \(TextSafety.display(reference)).\(hint)")
    }

    /// A professional by id, or by the start of their name when only one matches.
    func professional(_ text: String) throws -> Professional {
        let people = clinic.professionals
        let key = TextSafety.folded(text)
        if let exact = people.first(where: { $0.id == text || TextSafety.folded($0.name) == key }) { return exact }
        let matches = people.filter { TextSafety.folded($0.name).hasPrefix(key) || $0.id.hasPrefix(key) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw DeskFailure("\"\(TextSafety.display(text))\" could be: \(matches.map(\.id).joined(separator: ", ")).")
        }
        let hint = nearest(text, in: people.map(\.id)).map { " Did you mean \($0)?" } ?? ""
        throw DeskFailure("No professional \"\(TextSafety.display(text))\".\(hint) Professionals: \(people.map(\.id).joined(separator: ", ")).")
    }

    /// One of the practice's professionals, or a partner outside it, by name (else the id).
    func professionalName(_ id: String?) -> String {
        guard let id else { return "-" }
        return clinic.personName(id) ?? id
    }

    /// A professional of the practice or a partner, by id or the start of the name, for
    /// filtering lists (booking takes the practice's own only: `professional(_:)`).
    func anyoneID(_ text: String) throws -> String {
        if let own = try? professional(text) { return own.id }
        let key = TextSafety.folded(text)
        let partners = clinic.partners.filter { $0.id == text || TextSafety.folded($0.name).hasPrefix(key) || $0.id.hasPrefix(key) }
        if partners.count == 1 { return partners[0].id }
        return try professional(text).id
    }

    func disciplineName(_ id: String?) -> String {
        guard let id else { return "anyone" }
        return content.discipline(id)?.label.resolve(clinic.defaultLanguage) ?? id
    }

    static let statusWords: [String: FollowUpStatus] = [
        "requested": .requested, "contacted": .contacted, "booked": .booked, "completed": .completed,
        "cancelled": .cancelled, "canceled": .cancelled, "no-show": .noShow, "no_show": .noShow, "noshow": .noShow,
    ]

    static func status(_ text: String) throws -> FollowUpStatus {
        if let status = statusWords[text.lowercased()] { return status }
        let names = ["requested", "contacted", "booked", "completed", "no-show", "cancelled"]
        let hint = nearest(text.lowercased(), in: names).map { " Did you mean \($0)?" } ?? ""
        throw DeskFailure("No status \"\(TextSafety.display(text))\".\(hint) Statuses: \(names.joined(separator: ", ")).")
    }

    // MARK: - Dates in the clinic's time zone

    /// "2026-12-01", "today", "tomorrow": the start of that day in the clinic's time zone.
    func day(_ text: String, now: Date = Date()) throws -> Date { try Self.day(text, now: now, timeZone: timeZone) }

    /// "2026-12-01 09:00" or "2026-12-01T09:00" in the clinic's time zone.
    func moment(_ text: String, now: Date = Date()) throws -> Date { try Self.moment(text, now: now, timeZone: timeZone) }

    static func day(_ text: String, now: Date, timeZone: TimeZone) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch text.lowercased() {
        case "today": return calendar.startOfDay(for: now)
        case "tomorrow": return calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        default:
            let parts = text.split(separator: "-").map { Int($0) }
            guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2],
                  let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
                  // Calendar rolls 2026-13-01 over into 2027: refuse what does not round-trip.
                  calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: y, month: m, day: d) else {
                throw DeskFailure("\"\(TextSafety.display(text))\" is not a date: use YYYY-MM-DD (like 2026-12-01), today or tomorrow.")
            }
            return date
        }
    }

    static func moment(_ text: String, now: Date, timeZone: TimeZone) throws -> Date {
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        let usage = "\"\(TextSafety.display(text))\" is not a time: use \"YYYY-MM-DD HH:MM\" (like \"2026-12-01 09:00\")."
        guard parts.count == 2 else { throw DeskFailure(usage) }
        let start = try day(String(parts[0]), now: now, timeZone: timeZone)
        let hm = parts[1].split(separator: ":").map { Int($0) }
        guard hm.count == 2, let h = hm[0], let m = hm[1], (0..<24).contains(h), (0..<60).contains(m) else {
            throw DeskFailure(usage)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(bySettingHour: h, minute: m, second: 0, of: start) else { throw DeskFailure(usage) }
        return date
    }

    func local(_ date: Date, withDay: Bool = true) -> String { Self.local(date, withDay: withDay, timeZone: timeZone) }

    static func local(_ date: Date, withDay: Bool = true, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = withDay ? "EEE yyyy-MM-dd HH:mm" : "HH:mm"
        return formatter.string(from: date)
    }
}

/// A desk command that could not be done: one line, and nothing changed.
struct DeskFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The closest of `candidates` to `text` by edit distance, if it is close enough to help.
func nearest(_ text: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, cb) in b.enumerated() {
                let saved = row[j + 1]
                row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (ca == cb ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }
    let key = Array(text.lowercased())
    let scored = candidates.map { ($0, distance(key, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
    guard let (best, score) = scored, score <= max(2, key.count / 3) else { return nil }
    return best
}
