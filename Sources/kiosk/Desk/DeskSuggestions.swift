import Foundation
import KioskContent
import KioskCore

/// The slots `slots REF` last listed for a request, so that `book REF N` books exactly the
/// slot the desk saw as number N (never another one because the list moved meanwhile: a slot
/// taken by another desk is refused as taken). Kept per database and reference, 0600, in the
/// desk's cache folder (`$XDG_CACHE_HOME/relief-kiosk`), as professional ids and times only:
/// no name, contact or health detail. The console also keeps them in memory.
enum SuggestionMemory {
    /// How long a listing may be booked from; after that, `slots REF` again.
    static let lifetime: TimeInterval = 12 * 3600

    struct Listing: Equatable {
        var made: Date
        var slots: [Appointment]
    }

    nonisolated(unsafe) private static var inMemory: [String: Listing] = [:]  // the console's one thread

    static func key(_ location: String, _ reference: String) -> String { location + "\n" + reference }

    static func file(_ key: String) -> String? {
        guard let folder = ContentSnapshot.defaultCacheDirectory(variable: Paths.variable) else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return folder + "/desk-slots-" + String(hash, radix: 16) + ".txt"
    }

    static func remember(_ slots: [Appointment], location: String, reference: String, now: Date) {
        let key = key(location, reference)
        inMemory[key] = Listing(made: now, slots: slots)
        guard let path = file(key) else { return }
        var text = "\(reference)\t\(Int64(now.timeIntervalSince1970))\n"
        for slot in slots {
            text += "\(slot.professional)\t\(Int64(slot.start.timeIntervalSince1970))\t\(Int64(slot.end.timeIntervalSince1970))\n"
        }
        let folder = (path as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return }
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    static func recall(location: String, reference: String) -> Listing? {
        let key = key(location, reference)
        if let listing = inMemory[key] { return listing }
        guard let path = file(key), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        guard let first = lines.first, first.count == 2, first[0] == reference, let made = Int64(first[1]) else { return nil }
        lines.removeFirst()
        var slots: [Appointment] = []
        for fields in lines {
            guard fields.count == 3, let start = Int64(fields[1]), let end = Int64(fields[2]) else { return nil }
            slots.append(Appointment(professional: fields[0], start: Date(timeIntervalSince1970: Double(start)),
                                     end: Date(timeIntervalSince1970: Double(end))))
        }
        return Listing(made: Date(timeIntervalSince1970: Double(made)), slots: slots)
    }
}

extension DeskContext {
    /// The suggested slots for a follow-up from the start of `from` (a day) for `days` days.
    func suggestions(for followUp: DeskFollowUp, from: Date, days: Int, now: Date) throws -> [Appointment] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let until = calendar.date(byAdding: .day, value: days, to: from) ?? from.addingTimeInterval(Double(days) * 86_400)
        let booked = try store.appointments(professional: nil, from: from, until: until)
        return SlotSuggestions.suggest(for: followUp.followUp.request, content: content, from: from, until: until,
                                       booked: booked, now: now)
    }

    /// What the client asked for, in a few words: "Physical therapist, Weekday evenings".
    func asked(_ request: FollowUpRequest) -> String {
        let lang = clinic.defaultLanguage
        let who = request.professional.map(professionalName) ?? disciplineName(request.discipline)
        let times = request.preferredTimes.compactMap { id in content.bookingTimes.first { $0.id == id }?.label.resolve(lang) }
        return TextSafety.display(who) + ", " + (times.isEmpty ? "any time" : times.joined(separator: ", "))
    }

    /// The waiting requests a slot of `professional` suits, oldest first, at most `limit`.
    func waiting(for slot: Appointment, professional: Professional, limit: Int = 20) throws -> [DeskFollowUp] {
        var found: [DeskFollowUp] = []
        try store.forEachWaitingFollowUp { followUp in
            if Waitlist.fits(followUp, slot: slot, professional: professional, content: content) { found.append(followUp) }
            return found.count < limit
        }
        return found
    }

    /// The waiting list for a slot, as the desk reads it.
    func waitingReport(for slot: Appointment) throws -> String {
        guard let person = clinic.professionals.first(where: { $0.id == slot.professional }) else {
            return "\(TextSafety.display(slot.professional)) is not one of the clinic's professionals now."
        }
        let rows = try waiting(for: slot, professional: person)
        let when = "\(person.name) on \(local(slot.start))"
        guard !rows.isEmpty else { return "Nobody waiting asked for \(when)." }
        var lines = ["Waiting for \(when), oldest first:"]
        lines.append(DeskFormat.table(rows, self))
        lines.append("Book one: book REF \(person.id) \(local(slot.start).dropFirst(4))")
        return lines.joined(separator: "\n")
    }
}
