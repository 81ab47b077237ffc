import ArgumentParser
import Foundation
import KioskCommandLine
import KioskContent
import KioskCore
import KioskStore
import KioskTerminal

/// `kiosk stats`: the practice's numbers (sessions, bookings, conversion, common pain
/// areas), from anonymous records only.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "The practice's numbers: sessions, bookings, conversion, pain areas.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Only this event (as given to `kiosk run --event`).") var event: String?
    @Option(help: "Only from this day on (YYYY-MM-DD, today; in the clinic's time zone).") var since: String?
    @Option(help: "table (for people) or json (for scripts).") var format: Format = .table
    @OptionGroup var database: DatabaseOption
    @Option(help: "The content folder, for labels and the time zone (default: ./Content or KIOSK_CONTENT).")
    var content: String?

    func run() throws {
        let desk = try DeskContext.open(content: content, db: database.db)
        let from: Date?
        do { from = try since.map { try desk.day($0) } } catch let failure as DeskFailure {
            throw Exit.fail(failure.description, Exit.usage)
        }
        let stats: PracticeStats, returning: ReturningStats
        do {
            stats = try desk.store.practiceStats(event: event, since: from)
            returning = try Self.returningStats(desk, event: event, since: from)
        } catch let error as StoreError {
            throw Exit.fail(error.description, Exit.code(for: error))
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Report(stats: stats, returning: returning)), as: UTF8.self))
        case .table:
            let ascii = Paths.variable("TERM") == "dumb"
            print(StatsReport.table(stats, width: min(terminalWidth(), 100), ascii: ascii,
                                    title: title(desk, from: from), known: known(desk.content),
                                    levelLabels: levelLabels(desk),
                                    sectionLabels: { label(desk, $0, $1) }), terminator: "")
            print("\n" + returning.tableLines().joined(separator: "\n"))
        }
    }

    private func title(_ desk: DeskContext, from: Date?) -> String {
        var text = "\(desk.clinic.name): the numbers"
        var scope: [String] = []
        if let event { scope.append("event \(event)") }
        if let from { scope.append("since \(String(desk.local(from).dropFirst(4).prefix(10)))") }
        if !scope.isEmpty { text += " (" + scope.joined(separator: ", ") + ")" }
        return text
    }

    /// Content's words for the warning-sign levels, in the clinic's first language.
    private func levelLabels(_ desk: DeskContext) -> [TriageLevel: String] {
        let language = desk.clinic.defaultLanguage
        return [.emergency: desk.content.messages.text(.statsEmergency, language),
                .doctorSoon: desk.content.messages.text(.statsDoctorSoon, language)]
    }

    /// Every id the content knows, so that what nobody chose shows as 0.
    private func known(_ content: PracticeContent) -> [StatsReport.Section: [String]] {
        [
            .outcomes: content.outcomes.filter { $0.level != .selfCare }.map(\.id),
            .painAreas: content.question(ContentIDs.areaQuestion)?.choices.map(\.id) ?? [],
            .causes: content.question(ContentIDs.causeQuestion)?.choices.map(\.id) ?? [],
            .options: content.options.map(\.id),
            .languages: content.clinic.languages,
            .referralPartners: content.clinic.partners.map(\.id),
            .referralDisciplines: Array(Set(content.clinic.partners.map(\.discipline))),
        ]
    }

    /// The words the practice's content uses for an id, in its default language.
    private func label(_ desk: DeskContext, _ section: StatsReport.Section, _ id: String) -> String {
        let language = desk.clinic.defaultLanguage
        let content = desk.content
        switch section {
        case .outcomes:
            return content.outcome(id)?.title.resolve(language) ?? id
        case .painAreas:
            return content.question(ContentIDs.areaQuestion)?.choices.first { $0.id == id }?.label.resolve(language) ?? id
        case .causes:
            return content.question(ContentIDs.causeQuestion)?.choices.first { $0.id == id }?.label.resolve(language) ?? id
        case .options:
            return content.option(id)?.name.resolve(language) ?? id
        case .languages:
            return id
        case .referralPartners:
            return content.clinic.partner(id)?.name ?? id
        case .referralDisciplines:
            return content.discipline(id)?.label.resolve(language) ?? id
        }
    }
}
