import Foundation

/// `kiosk import`: how an event laptop's (or another kiosk's) rows come into this database,
/// the same whatever database it is. The store runs `run` inside ONE transaction (all or
/// nothing) and supplies the `ImportTarget` primitives in its own SQL.
///
/// A row that does not fit (no contact, unknown status, a slot taken here...) is refused on
/// its own and reported; the rest goes on. Importing the same file again adds nothing:
/// assessments and sessions by id; follow-ups by the request itself (assessment id +
/// creation time, whatever its reference here); audit events by (reference, at, to_status,
/// actor); alerts by (assessment, time, outcome).
public enum ImportPlan {
    /// Copies `source` into `target`. `draw` gives a reference code for a follow-up whose
    /// code is taken here.
    /// - Throws: `ReferenceCode.NoFreeCode` when no free code came; what `target` throws.
    public static func run(_ source: ImportSource, now: Date, draw: () -> String,
                           into target: some ImportTarget) throws -> ImportReport {
        var report = ImportReport(source: source.file, sourceSchemaVersion: source.version)
        try copyAssessments(source, target, &report)
        try copySessions(source, target, &report)
        try copyFollowUps(source, target, now: now, draw: draw, &report)
        try copyAlerts(source, target, &report)
        return report
    }

    private static func shown(_ text: String) -> String { ImportRules.shown(text) }

    /// Rows found by id: added, already here (skipped), or refused with a reason.
    private static func copyByID(_ rows: [ImportRow], kind: String, into target: some ImportTarget,
                                 _ counts: inout ImportReport.Counts, _ refusals: inout [String],
                                 problem: (ImportRow) -> String?, insert: (ImportRow) throws -> Bool) throws {
        for row in rows {
            let id = row.text("id") ?? ""
            func refuse(_ why: String) {
                counts.refused += 1
                refusals.append("\(kind) \(shown(id.isEmpty ? "(no id)" : id)): \(why)")
            }
            if let problem = problem(row) { refuse(problem); continue }
            var inserted = false
            let refusal = try target.attempt { inserted = try insert(row) }
            if let refusal { refuse(refusal) }
            else if inserted { counts.added += 1 }
            else { counts.skipped += 1 }
        }
    }

    private static func copyAssessments(_ source: ImportSource, _ target: some ImportTarget,
                                        _ report: inout ImportReport) throws {
        try copyByID(source.assessments, kind: "assessment", into: target, &report.assessments, &report.refusals,
                     problem: ImportRules.assessmentProblem, insert: target.insertAssessment)
    }

    private static func copySessions(_ source: ImportSource, _ target: some ImportTarget,
                                     _ report: inout ImportReport) throws {
        try copyByID(source.sessions, kind: "session", into: target, &report.sessions, &report.refusals,
                     problem: ImportRules.sessionProblem, insert: target.insertSession)
    }

    private static func copyAlerts(_ source: ImportSource, _ target: some ImportTarget,
                                   _ report: inout ImportReport) throws {
        for row in source.alerts {
            let assessment = row.text("assessment_id") ?? ""
            let createdAt = row.text("created_at")
            func refuse(_ why: String) {
                report.alerts.refused += 1
                report.refusals.append("alert for assessment \(shown(assessment.isEmpty ? "(none)" : assessment))"
                                       + " at \(shown(createdAt ?? "?")): \(why)")
            }
            if let problem = ImportRules.alertProblem(row) { refuse(problem); continue }
            if try target.hasAlert(row) { report.alerts.skipped += 1; continue }
            let refusal = try target.attempt { try target.insertAlert(row) }
            if let refusal { refuse(refusal) } else { report.alerts.added += 1 }
        }
    }

    private static func copyFollowUps(_ source: ImportSource, _ target: some ImportTarget, now: Date,
                                      draw: () -> String, _ report: inout ImportReport) throws {
        // The contacts this database held before the import (earlier imports included):
        // a new request with one of them is flagged for the desk, never merged.
        var phones: [String: String] = [:], emails: [String: String] = [:]
        try target.forEachContact { reference, phone, email in
            if let key = ImportRules.phoneKey(phone) { phones[key] = reference }
            if let key = ImportRules.emailKey(email) { emails[key] = reference }
        }
        // Codes of the file's own follow-ups are never drawn for a renamed one.
        let sourceReferences = Set(source.followUps.compactMap { $0.text("reference") })

        for row in source.followUps {
            let old = row.text("reference") ?? ""
            let events = source.events[old] ?? []
            func refuse(_ why: String) {
                report.followUps.refused += 1
                report.events.refused += events.count
                report.refusals.append("follow-up \(old.isEmpty ? "(no reference)" : shown(old)): \(why)")
            }
            let checked: ImportRules.CheckedFollowUp
            switch ImportRules.checkFollowUp(row) {
            case let .failure(problem): refuse(problem.reason); continue
            case let .success(row): checked = row
            }
            let status = checked.status

            // The same request (whatever its code here) is already in: nothing to do.
            if try target.hasRequest(assessment: checked.assessment, createdAt: checked.createdAt) {
                report.followUps.skipped += 1
                report.events.skipped += events.count
                continue
            }

            // A booked slot must not double-book a professional here.
            if status == .booked, let professional = row.text("booked_professional"),
               let start = row.text("booked_start"), let end = row.text("booked_end"),
               let holder = try target.slotHolder(professional: professional, start: start, end: end) {
                refuse("booked with \(shown(professional)) at \(shown(start)), a slot \(holder) holds here: book it again by hand")
                continue
            }

            // The code is taken here by another request (two kiosks drew the same): a new one.
            var reference = old
            if try target.isTaken(reference: old) {
                reference = try ReferenceCode.drawFree(draw, avoiding: sourceReferences) { try !target.isTaken(reference: $0) }
            }

            let flag = contactFlag(row, phones: phones, emails: emails)
            var added = 0, skipped = 0
            let refusal = try target.attempt {
                try target.insertFollowUp(row, reference: reference, status: status, flag: flag)
                for event in events {
                    guard let to = event.text("to_status").flatMap(FollowUpStatus.init(rawValue:)),
                          event.text("from_status").map({ FollowUpStatus(rawValue: $0) != nil }) ?? true,
                          ImportRules.isDate(event.text("at")) else {
                        throw ImportRules.RowProblem("has an audit event with an unknown status or an unreadable date")
                    }
                    if try target.hasEvent(event, reference: reference, to: to) { skipped += 1; continue }
                    try target.insertEvent(event, reference: reference, to: to)
                    added += 1
                }
                if reference != old {
                    try target.recordEvent(reference: reference, at: now, actor: "import", from: status, to: status,
                                           note: ImportReport.renameNote(file: source.file, old: old, new: reference))
                }
            }
            if let refusal { refuse(refusal); continue }
            report.followUpImported(old: old, as: reference, flagged: flag != nil,
                                    eventsAdded: added, eventsSkipped: skipped, shown: shown)
        }
        report.orphanEventsRefused(references: source.orphanEvents.map { $0.text("reference") }, shown: shown)
    }

    /// The desk's flag on an imported follow-up: the phone or email of a follow-up held here
    /// before, then whatever flag the file held.
    static func contactFlag(_ row: ImportRow, phones: [String: String], emails: [String: String]) -> String? {
        var flags: [String] = []
        let phoneMatch = ImportRules.phoneKey(row.text("phone")).flatMap { phones[$0] }
        let emailMatch = ImportRules.emailKey(row.text("email")).flatMap { emails[$0] }
        if let phoneMatch, phoneMatch == emailMatch {
            flags.append("same phone and email as \(phoneMatch)")
        } else {
            if let phoneMatch { flags.append("same phone as \(phoneMatch)") }
            if let emailMatch { flags.append("same email as \(emailMatch)") }
        }
        if let earlier = row.text("flag"), !earlier.isEmpty { flags.append(earlier) }
        return flags.isEmpty ? nil : flags.joined(separator: "; ")
    }
}
