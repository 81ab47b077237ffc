import ArgumentParser
import Foundation
import KioskCore

/// `kiosk directory`: the practice's professionals, the partners outside it, and local
/// medical care with whether each is open now, for the desk. Reads Content only.
struct DirectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "The practice's and partner professionals, and local medical care (open now or not).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Only this kind of professional (an id like chiropractor, or its name). Leaves out medical care.")
    var discipline: String?
    @Option(help: "Only those who speak this language (a code like es, or its name like Español).")
    var language: String?
    @Option(help: "table (for people) or json (for scripts).") var format: Format = .table
    @Option(help: "Whether places are open at this time instead of now (YYYY-MM-DD HH:MM, the clinic's time zone).")
    var at: String?
    @Option(help: "The content folder (default: ./Content or KIOSK_CONTENT).") var content: String?

    func run() throws {
        let loaded = try loadContent(Paths.content(content))
        let clinic = loaded.clinic
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let now: Date
        do { now = try at.map { try DeskContext.moment($0, now: Date(), timeZone: zone) } ?? Date() } catch let failure as DeskFailure {
            throw Exit.fail(failure.description, Exit.usage)
        }
        let names = loaded.messages.texts[MessageKey.languageName.rawValue]?.byLanguage ?? [:]
        let listing: DirectoryListing
        switch DirectoryListing.make(clinic, discipline: discipline, language: language, languageNames: names) {
        case let .success(found): listing = found
        case let .failure(.unknownDiscipline(text, known)):
            let hint = nearest(text, in: known).map { " Did you mean \($0)?" } ?? ""
            throw Exit.fail("No discipline \"\(TextSafety.display(text))\".\(hint) Disciplines: \(known.joined(separator: ", ")).", Exit.usage)
        case let .failure(.unknownLanguage(text, known)):
            throw Exit.fail("No one in the directory speaks \"\(TextSafety.display(text))\". Languages: \(known.joined(separator: ", ")).", Exit.usage)
        }
        let view = DirectoryView(content: loaded, zone: zone, now: now, showsMedicalCare: discipline == nil)
        switch format {
        case .json: print(view.json(listing))
        case .table: print(view.table(listing), terminator: "")
        }
    }
}

/// The directory as text for the desk (English, like the desk's other output; the labels
/// of disciplines and kinds of care are Content's, in the clinic's first language).
struct DirectoryView {
    let content: PracticeContent
    let zone: TimeZone
    let now: Date
    /// False when the listing is for one discipline (medical care has none).
    let showsMedicalCare: Bool

    var clinic: Clinic { content.clinic }
    var language: String { clinic.defaultLanguage }

    func discipline(_ id: String) -> String { content.discipline(id)?.label.resolve(language) ?? id }

    func kind(_ kind: MedicalCareKind) -> String {
        let keys: [MedicalCareKind: MessageKey] = [.urgentCare: .careKindUrgentCare,
                                                   .emergencyDepartment: .careKindEmergencyDepartment,
                                                   .walkInClinic: .careKindWalkInClinic]
        return content.messages.text(keys[kind]!, language)
    }

    /// "mon 09:00-12:00, 13:00-17:00; wed 09:00-12:00", or "daily 08:00-22:00".
    static func hours(_ hours: [String: [String]]) -> String {
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let written = days.compactMap { day in hours[day].flatMap { $0.isEmpty ? nil : (day, $0) } }
        if written.count == 7, Set(written.map { $0.1 }).count == 1 { return "daily " + written[0].1.joined(separator: ", ") }
        return written.isEmpty ? "no hours" : written.map { "\($0.0) \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
    }

    func status(_ place: MedicalCare) -> OpeningHours.Status { OpeningHours.status(place.hours, at: now, timeZone: zone) }

    func statusText(_ status: OpeningHours.Status) -> String {
        switch status {
        case .open(until: nil): return "open now, all hours"
        case let .open(until?): return "open now until \(DeskContext.local(until, withDay: false, timeZone: zone))"
        case let .closed(opens?): return "closed now, opens \(DeskContext.local(opens, timeZone: zone))"
        case .closed(opens: nil): return "closed all week"
        }
    }

    func table(_ listing: DirectoryListing) -> String {
        var lines = ["\(TextSafety.display(clinic.name)): the directory (\(DeskContext.local(now, timeZone: zone)), \(clinic.timeZone))"]
        func person(_ id: String, _ name: String, _ disciplineID: String, _ languages: [String], _ newClients: Bool) {
            lines.append("  \(TextSafety.display(name)) (\(id)): \(discipline(disciplineID)); speaks \(languages.joined(separator: ", "))"
                + (newClients ? "" : "; takes NO new clients"))
        }
        lines += ["", "At the practice: \(TextSafety.display(clinic.address)), \(clinic.phone)"]
        if listing.own.isEmpty { lines.append("  none") }
        for p in listing.own {
            person(p.id, p.name, p.discipline, p.languages, p.newClients)
            lines.append("      " + Self.hours(p.hours))
        }
        lines += ["", "Partners outside the practice (referrals)"]
        if listing.partners.isEmpty { lines.append("  none") }
        for p in listing.partners {
            person(p.id, p.name, p.discipline, p.languages, p.newClients)
            lines.append("      \(p.phone); \(TextSafety.display(p.address))")
            lines.append("      " + Self.hours(p.hours))
        }
        if showsMedicalCare {
            lines += ["", "Local medical care"]
            if listing.medicalCare.isEmpty { lines.append("  none") }
            for place in listing.medicalCare {
                lines.append("  \(TextSafety.display(place.name)) (\(place.id)): \(kind(place.kind)); \(statusText(status(place)))")
                lines.append("      \(place.phone); \(TextSafety.display(place.address))")
                lines.append("      " + Self.hours(place.hours))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct PersonRow: Encodable {
        var id, name, discipline, disciplineLabel: String
        var languages: [String]
        var hours: [String: [String]]
        var newClients: Bool
        var phone, address: String
        var note: String?
    }

    struct CareRow: Encodable {
        var id, name, kind, kindLabel, phone, address: String
        var hours: [String: [String]]
        var openNow: Bool
        /// ISO 8601: when it closes (open now) or opens (closed now); nil when it does not within a week.
        var until, opens: String?
    }

    struct Listing: Encodable {
        var at: String
        var timeZone: String
        var professionals: [PersonRow]
        var partners: [PersonRow]
        var medicalCare: [CareRow]
    }

    func json(_ listing: DirectoryListing) -> String {
        let iso = ISO8601DateFormatter()
        iso.timeZone = zone
        let note = { (text: LocalizedText?) in text?.resolve(language) }
        let out = Listing(
            at: iso.string(from: now), timeZone: clinic.timeZone,
            professionals: listing.own.map {
                PersonRow(id: $0.id, name: $0.name, discipline: $0.discipline, disciplineLabel: discipline($0.discipline),
                          languages: $0.languages, hours: $0.hours, newClients: $0.newClients,
                          phone: clinic.phone, address: clinic.address, note: note($0.note))
            },
            partners: listing.partners.map {
                PersonRow(id: $0.id, name: $0.name, discipline: $0.discipline, disciplineLabel: discipline($0.discipline),
                          languages: $0.languages, hours: $0.hours, newClients: $0.newClients,
                          phone: $0.phone, address: $0.address, note: note($0.note))
            },
            medicalCare: listing.medicalCare.map { place in
                let now = status(place)
                var row = CareRow(id: place.id, name: place.name, kind: place.kind.rawValue, kindLabel: kind(place.kind),
                                  phone: place.phone, address: place.address, hours: place.hours, openNow: now.isOpen)
                switch now {
                case let .open(until): row.until = until.map(iso.string)
                case let .closed(opens): row.opens = opens.map(iso.string)
                }
                return row
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(out)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
