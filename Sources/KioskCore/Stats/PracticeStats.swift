/// The practice's numbers (`kiosk stats`): how many people used the kiosk, how many
/// finished, how many asked to book and what became of those requests, and what
/// people came with.
///
/// Everything here is counted from anonymous records only: session starts, assessments
/// (answers without name or contact) and the status of each follow-up. No name, phone
/// or email ever reaches these numbers: `PracticeStatsBuilder` has no way to take one.
public struct PracticeStats: Sendable, Equatable, Codable {
    /// Sessions started at the kiosk (a client left the welcome screen).
    public var sessions: Int
    /// Assessments stored: sessions that reached the results or a warning sign.
    public var finishedSessions: Int
    /// Assessments with a warning sign, by outcome id (the outcome a client was sent to).
    public var warningOutcomes: [String: Int]
    /// Assessments whose warning sign says: emergency now.
    public var emergency: Int
    /// Assessments whose warning sign says: see a doctor soon.
    public var doctorSoon: Int
    /// Follow-up requests (a client asked to book), whatever their status now.
    public var bookingRequests: Int
    /// `bookingRequests / finishedSessions`, 0 when no session finished.
    public var conversion: Double
    /// Requests still waiting for the desk: status requested or contacted (a referral only
    /// until it is passed on).
    public var waiting: Int
    /// Requests that got an appointment and kept it on the books: status booked, completed
    /// or no-show now. A request cancelled after it was booked counts under `cancelled`
    /// only (its status alone does not say it had been booked).
    public var booked: Int
    /// Requests whose appointment took place (status completed).
    public var completed: Int
    /// Requests whose client did not come to the appointment (status no-show).
    public var noShows: Int
    /// Requests cancelled, before or after booking (status cancelled).
    public var cancelled: Int
    /// Where it hurts: choice id of the `area` question (`ContentIDs.areaQuestion`) → assessments that gave it.
    public var painAreas: [String: Int]
    /// How it started: choice id of the `cause` question (`ContentIDs.causeQuestion`) → assessments that gave it.
    public var causes: [String: Int]
    /// Option id → assessments whose results suggested it.
    public var optionsShown: [String: Int]
    /// Sessions started, by language code.
    public var byLanguage: [String: Int]
    /// Requests that are referrals to a partner outside the practice (also in `bookingRequests`).
    public var referrals: Int
    /// Referrals the desk has passed on to their partner.
    public var referralsPassedOn: Int
    /// Referrals by the partner's id.
    public var referralsByPartner: [String: Int]
    /// Referrals by the partner's discipline id.
    public var referralsByDiscipline: [String: Int]
    /// The same counts for each event side by side (sessions with no event as one row,
    /// `event` nil): events first by name, then no event.
    public var events: [EventStats]

    public init(sessions: Int = 0, finishedSessions: Int = 0, warningOutcomes: [String: Int] = [:],
                emergency: Int = 0, doctorSoon: Int = 0, bookingRequests: Int = 0, conversion: Double = 0,
                waiting: Int = 0, booked: Int = 0, completed: Int = 0, noShows: Int = 0, cancelled: Int = 0,
                painAreas: [String: Int] = [:], causes: [String: Int] = [:], optionsShown: [String: Int] = [:],
                byLanguage: [String: Int] = [:], referrals: Int = 0, referralsPassedOn: Int = 0,
                referralsByPartner: [String: Int] = [:], referralsByDiscipline: [String: Int] = [:],
                events: [EventStats] = []) {
        self.sessions = sessions; self.finishedSessions = finishedSessions
        self.warningOutcomes = warningOutcomes; self.emergency = emergency; self.doctorSoon = doctorSoon
        self.bookingRequests = bookingRequests; self.conversion = conversion; self.waiting = waiting
        self.booked = booked; self.completed = completed; self.noShows = noShows; self.cancelled = cancelled
        self.painAreas = painAreas; self.causes = causes; self.optionsShown = optionsShown
        self.byLanguage = byLanguage; self.events = events
        self.referrals = referrals; self.referralsPassedOn = referralsPassedOn
        self.referralsByPartner = referralsByPartner; self.referralsByDiscipline = referralsByDiscipline
    }

    /// No sessions, nothing counted.
    public static let zero = PracticeStats()
}

/// One event's sessions, requests and conversion (`kiosk stats`, beside the practice's totals).
public struct EventStats: Sendable, Equatable, Codable {
    /// The event's name as given to `kiosk run --event`; nil for sessions at no event.
    public var event: String?
    public var sessions: Int
    public var finishedSessions: Int
    public var bookingRequests: Int
    /// `bookingRequests / finishedSessions`, 0 when no session finished.
    public var conversion: Double
    public init(event: String?, sessions: Int = 0, finishedSessions: Int = 0, bookingRequests: Int = 0,
                conversion: Double = 0) {
        self.event = event; self.sessions = sessions; self.finishedSessions = finishedSessions
        self.bookingRequests = bookingRequests; self.conversion = conversion
    }
}

/// Counts records one at a time, so a caller can stream any number of them in
/// constant memory. It takes anonymous facts only: a session's language, an
/// assessment (kept without name or contact) and a follow-up's status.
public struct PracticeStatsBuilder: Sendable {
    private var stats = PracticeStats()
    /// By event name; "" holds sessions at no event (an event is never named "").
    private var byEvent: [String: EventStats] = [:]
    private let areaQuestion: String
    private let causeQuestion: String

    public init() {
        self.init(areaQuestion: ContentIDs.areaQuestion, causeQuestion: ContentIDs.causeQuestion)
    }

    /// With other question ids for the pain areas and the causes.
    public init(areaQuestion: String, causeQuestion: String) {
        self.areaQuestion = areaQuestion
        self.causeQuestion = causeQuestion
    }

    public mutating func addSession(language: String, event: String? = nil) {
        stats.sessions += 1
        stats.byLanguage[language, default: 0] += 1
        byEvent[event ?? "", default: EventStats(event: event)].sessions += 1
    }

    public mutating func add(_ assessment: AssessmentRecord) {
        stats.finishedSessions += 1
        byEvent[assessment.event ?? "", default: EventStats(event: assessment.event)].finishedSessions += 1
        switch assessment.level {
        case .emergency: stats.emergency += 1
        case .doctorSoon: stats.doctorSoon += 1
        case .selfCare: break
        }
        if let outcome = assessment.outcome {
            stats.warningOutcomes[outcome, default: 0] += 1
        }
        // Each id once per assessment, whatever the answer holds.
        for id in Set(assessment.answers[areaQuestion]?.choiceIDs ?? []) { stats.painAreas[id, default: 0] += 1 }
        for id in Set(assessment.answers[causeQuestion]?.choiceIDs ?? []) { stats.causes[id, default: 0] += 1 }
        for id in Set(assessment.optionsShown) { stats.optionsShown[id, default: 0] += 1 }
    }

    /// A referral: its partner's id and discipline (who it went to, never who asked).
    public mutating func addFollowUp(status: FollowUpStatus, referralTo partner: String?, discipline: String?,
                                     event: String? = nil) {
        guard let partner else { addFollowUp(status: status, event: event); return }
        stats.referrals += 1
        stats.referralsByPartner[partner, default: 0] += 1
        stats.referralsByDiscipline[discipline ?? "", default: 0] += 1
        if status == StatusMoves.referralPassedOn {
            stats.bookingRequests += 1
            byEvent[event ?? "", default: EventStats(event: event)].bookingRequests += 1
            stats.referralsPassedOn += 1
        } else {
            addFollowUp(status: status, event: event)
        }
    }

    public mutating func addFollowUp(status: FollowUpStatus, event: String? = nil) {
        stats.bookingRequests += 1
        byEvent[event ?? "", default: EventStats(event: event)].bookingRequests += 1
        switch status {
        case .requested, .contacted: stats.waiting += 1
        case .booked: stats.booked += 1
        case .completed: stats.booked += 1; stats.completed += 1
        case .noShow: stats.booked += 1; stats.noShows += 1
        case .cancelled: stats.cancelled += 1
        }
    }

    public func build() -> PracticeStats {
        var out = stats
        out.conversion = out.finishedSessions == 0 ? 0 : Double(out.bookingRequests) / Double(out.finishedSessions)
        out.events = byEvent.values.map { event in
            var event = event
            event.conversion = event.finishedSessions == 0 ? 0 : Double(event.bookingRequests) / Double(event.finishedSessions)
            return event
        }.sorted { a, b in
            switch (a.event, b.event) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            default: return false
            }
        }
        return out
    }
}

/// The numbers as text for a terminal: a summary, then each breakdown as a bar chart
/// (`Low back      ████████████ 12`), largest first.
public enum StatsReport {
    /// The breakdowns, in the order they are shown.
    public enum Section: String, Sendable, CaseIterable {
        case outcomes, painAreas, causes, options, languages, referralPartners, referralDisciplines

        public var title: String {
            switch self {
            case .outcomes: "Warning signs, by outcome"
            case .painAreas: "Where it hurts"
            case .causes: "How it started"
            case .options: "Options suggested"
            case .languages: "Sessions by language"
            case .referralPartners: "Referrals, by partner"
            case .referralDisciplines: "Referrals, by discipline"
            }
        }

        func counts(_ stats: PracticeStats) -> [String: Int] {
            switch self {
            case .outcomes: stats.warningOutcomes
            case .painAreas: stats.painAreas
            case .causes: stats.causes
            case .options: stats.optionsShown
            case .languages: stats.byLanguage
            case .referralPartners: stats.referralsByPartner
            case .referralDisciplines: stats.referralsByDiscipline
            }
        }
    }

    /// The report, `labels` giving the human name of an id (ids of different kinds share
    /// the one closure; see the other `table` to tell them apart).
    public static func table(_ stats: PracticeStats, labels: (String) -> String, width: Int,
                             ascii: Bool = false) -> String {
        table(stats, width: width, ascii: ascii, sectionLabels: { _, id in labels(id) })
    }

    /// The report.
    /// - Parameters:
    ///   - width: the columns to fill (bars shrink to fit; at least about 30 is sensible).
    ///   - ascii: draw bars with `#` and cut long labels with `...` (for terminals without UTF-8).
    ///   - title: a first line, if any.
    ///   - known: ids to list even when nobody gave them, so that they show as 0.
    ///   - levelLabels: the summary's words for the warning-sign levels, from Content
    ///     (`stats.emergency`, `stats.doctor_soon`); a level without one shows its id.
    ///   - sectionLabels: the human name of an id in a section (an id shows as itself when
    ///     this returns it). Every label is made safe for the terminal.
    public static func table(_ stats: PracticeStats, width: Int, ascii: Bool = false, title: String? = nil,
                             known: [Section: [String]] = [:], levelLabels: [TriageLevel: String] = [:],
                             sectionLabels: (Section, String) -> String) -> String {
        var lines: [String] = []
        if let title { lines.append(TextSafety.display(title)); lines.append("") }

        // Summary: a label column and right-aligned numbers.
        let summary: [(String, String, String?)] = [
            ("Sessions started", "\(stats.sessions)", nil),
            ("Sessions finished", "\(stats.finishedSessions)", "assessments stored"),
            ("Booking requests", "\(stats.bookingRequests)", nil),
            ("Conversion", percent(stats.conversion), "requests per finished session"),
            ("Waiting", "\(stats.waiting)", "requested or contacted"),
            ("Booked", "\(stats.booked)", "booked, completed or no-show"),
            ("Completed", "\(stats.completed)", nil),
            ("No-shows", "\(stats.noShows)", nil),
            ("Cancelled", "\(stats.cancelled)", nil),
            ("Referrals", "\(stats.referrals)", "to partners outside the practice"),
            ("Passed on", "\(stats.referralsPassedOn)", "referrals given to their partner"),
            (TextSafety.display(levelLabels[.emergency] ?? TriageLevel.emergency.rawValue), "\(stats.emergency)", "warning sign"),
            (TextSafety.display(levelLabels[.doctorSoon] ?? TriageLevel.doctorSoon.rawValue), "\(stats.doctorSoon)", "warning sign"),
        ]
        let summaryLabel = summary.map { TextWidth.columns($0.0) }.max() ?? 0
        let summaryNumber = summary.map { TextWidth.columns($0.1) }.max() ?? 0
        for (label, number, note) in summary {
            var line = "  " + TextWidth.padded(label, to: summaryLabel) + "  " + TextWidth.rightAligned(number, to: summaryNumber)
            if let note, TextWidth.columns(line) + 4 + TextWidth.columns(note) <= width { line += "  (" + note + ")" }
            lines.append(line)
        }

        lines += eventLines(stats, width: width, ascii: ascii)

        // Breakdowns: one label column for all, bars scaled per section.
        let rows: [(Section, [(label: String, count: Int)])] = Section.allCases.map { section in
            var counts = section.counts(stats)
            for id in known[section] ?? [] where counts[id] == nil { counts[id] = 0 }
            let items = counts.map { (id, count) in
                (label: TextSafety.display(sectionLabels(section, id)), id: id, count: count)
            }.sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.label != b.label { return a.label < b.label }
                return a.id < b.id
            }
            return (section, items.map { (label: $0.label, count: $0.count) })
        }
        let numberWidth = max(1, rows.flatMap { $0.1 }.map { String($0.count).count }.max() ?? 1)
        let longest = rows.flatMap { $0.1 }.map { TextWidth.columns($0.label) }.max() ?? 0
        let labelWidth = min(longest, max(6, (width - 4 - numberWidth) / 2))
        let barMax = max(1, width - 2 - labelWidth - 2 - numberWidth)
        let block: Character = ascii ? "#" : "█"

        for (section, items) in rows {
            lines.append("")
            lines.append(section.title)
            if items.isEmpty { lines.append("  none yet"); continue }
            let top = items.map(\.count).max() ?? 0
            for item in items {
                var length = 0
                if item.count > 0, top > 0 {
                    length = max(1, Int((Double(item.count) * Double(barMax) / Double(top)).rounded()))
                }
                let bar = String(repeating: block, count: length)
                let label = TextWidth.cell(item.label, labelWidth, mark: ascii ? "..." : "…")
                lines.append("  " + label + " " + (bar.isEmpty ? "" : bar + " ") + "\(item.count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The events side by side, then every event together (the practice's totals), when
    /// any session or request was at an event.
    static func eventLines(_ stats: PracticeStats, width: Int, ascii: Bool) -> [String] {
        guard stats.events.contains(where: { $0.event != nil }) else { return [] }
        let total = EventStats(event: nil, sessions: stats.sessions, finishedSessions: stats.finishedSessions,
                               bookingRequests: stats.bookingRequests, conversion: stats.conversion)
        let rows: [(String, EventStats)] = stats.events.map { (TextSafety.display($0.event ?? "(no event)"), $0) }
            + [("All", total)]
        let headers = ["Sessions", "Finished", "Requests", "Conversion"]
        let numbers = rows.map { _, e in ["\(e.sessions)", "\(e.finishedSessions)", "\(e.bookingRequests)", percent(e.conversion)] }
        let widths = headers.indices.map { i in max(TextWidth.columns(headers[i]), numbers.map { TextWidth.columns($0[i]) }.max() ?? 0) }
        let numbersWidth = widths.reduce(0) { $0 + $1 + 2 }
        let longest = rows.map { TextWidth.columns($0.0) }.max() ?? 0
        let labelWidth = max(6, min(max(longest, "Events".count), width - 2 - numbersWidth))
        func line(_ label: String, _ cells: [String]) -> String {
            var text = "  " + TextWidth.cell(label, labelWidth, mark: ascii ? "..." : "…")
            for (i, cell) in cells.enumerated() { text += "  " + TextWidth.rightAligned(cell, to: widths[i]) }
            return text
        }
        var lines = ["", "Events"]
        lines.append(line("", headers))
        for (index, row) in rows.enumerated() { lines.append(line(row.0, numbers[index])) }
        return lines
    }

    /// "40.0%": one decimal, no locale.
    static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "0.0%" }
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
