#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// `kiosk import event.sqlite` into a PostgreSQL practice database: an event laptop's leads
/// come home. The file is read (read-only, checked) by the SQLite store's own reader; the
/// rows are copied with the same rules as `SQLiteKioskStore.importDatabase`, in ONE
/// transaction: all or nothing. A row that does not fit is undone on its own (a savepoint)
/// and reported; importing the same file again adds nothing.
extension PostgresKioskStore {
    public func importDatabase(from path: String, now: Date, makeCode: (() -> String)? = nil) throws -> ImportReport {
        let source = try SQLiteKioskStore.readImportSource(path: path)
        let name = (path as NSString).lastPathComponent
        var report = ImportReport(source: name, sourceSchemaVersion: source.version)
        var generator = SystemRandomNumberGenerator()
        let draw = makeCode ?? { ReferenceCode.make(using: &generator) }
        return try link.transaction { session in
            let copier = Copier(session: session)
            try copier.assessments(source, &report)
            try copier.sessions(source, &report)
            try copier.followUps(source, fileName: name, now: now, draw: draw, &report)
            try copier.alerts(source, &report)
            return report
        }
    }

    /// A row found unfit half-way through its savepoint.
    struct RowRefusal: Error { var reason: String }

    struct Copier {
        let session: PostgresSession
        typealias Rules = ImportRules

        /// Runs `body` in a savepoint: when the row breaks a constraint or holds data this
        /// database refuses, just that row is undone and the reason comes back.
        func attempt(_ body: () throws -> Void) throws -> String? {
            try session.execute("SAVEPOINT kiosk_row")
            do {
                try body()
                try session.execute("RELEASE SAVEPOINT kiosk_row")
                return nil
            } catch let refusal as RowRefusal {
                try session.execute("ROLLBACK TO SAVEPOINT kiosk_row")
                return refusal.reason
            } catch {
                guard let state = PostgresSession.state(error), state.hasPrefix("23") || state.hasPrefix("22") else { throw error }
                try session.execute("ROLLBACK TO SAVEPOINT kiosk_row")
                let message = (error as? PSQLError)?.serverInfo?[.message] ?? state
                return "does not fit this database (\(StoreError.oneLine(message)))"
            }
        }

        /// A 0/1 column of the file as a boolean; anything else does not fit.
        func flag(_ row: ImportRow, _ column: String, default value: Bool? = nil) throws -> Bool {
            switch row.value(column) {
            case .integer(0): return false
            case .integer(1): return true
            case .null: if let value { return value }
            default: break
            }
            throw RowRefusal(reason: "does not fit this database (\(column) is not 0 or 1)")
        }

        func assessments(_ source: ImportSource, _ report: inout ImportReport) throws {
            for row in source.assessments {
                let id = row.text("id") ?? ""
                func refuse(_ why: String) {
                    report.assessments.refused += 1
                    report.refusals.append("assessment \(Rules.shown(id.isEmpty ? "(no id)" : id)): \(why)")
                }
                if let problem = Rules.assessmentProblem(row) { refuse(problem); continue }
                let level = row.text("level")
                var inserted = false
                let refusal = try attempt {
                    inserted = try session.changes("""
                        INSERT INTO assessment (id, created_at, event, language, answers_json, level, outcome,
                                                options_shown_json, options_left_out_json)
                        VALUES (\(id), \(row.text("created_at"))::timestamptz, \(row.text("event")), \(row.text("language")),
                                \(row.text("answers_json"))::jsonb, \(level), \(row.text("outcome")),
                                \(row.text("options_shown_json"))::jsonb, \(row.text("options_left_out_json"))::jsonb)
                        ON CONFLICT (id) DO NOTHING
                        """) > 0
                }
                if let refusal { refuse(refusal) }
                else if inserted { report.assessments.added += 1 }
                else { report.assessments.skipped += 1 }
            }
        }

        func sessions(_ source: ImportSource, _ report: inout ImportReport) throws {
            for row in source.sessions {
                let id = row.text("id") ?? ""
                func refuse(_ why: String) {
                    report.sessions.refused += 1
                    report.refusals.append("session \(Rules.shown(id.isEmpty ? "(no id)" : id)): \(why)")
                }
                if let problem = Rules.sessionProblem(row) { refuse(problem); continue }
                var inserted = false
                let refusal = try attempt {
                    inserted = try session.changes("""
                        INSERT INTO session_start (id, started_at, event, language)
                        VALUES (\(id), \(row.text("started_at"))::timestamptz, \(row.text("event")), \(row.text("language")))
                        ON CONFLICT (id) DO NOTHING
                        """) > 0
                }
                if let refusal { refuse(refusal) }
                else if inserted { report.sessions.added += 1 }
                else { report.sessions.skipped += 1 }
            }
        }

        func alerts(_ source: ImportSource, _ report: inout ImportReport) throws {
            for row in source.alerts {
                let assessment = row.text("assessment_id") ?? ""
                let createdAt = row.text("created_at")
                func refuse(_ why: String) {
                    report.alerts.refused += 1
                    report.refusals.append("alert for assessment \(Rules.shown(assessment.isEmpty ? "(none)" : assessment))"
                                           + " at \(Rules.shown(createdAt ?? "?")): \(why)")
                }
                if let problem = Rules.alertProblem(row) { refuse(problem); continue }
                let level = row.text("level"), acknowledged = row.text("acknowledged_at")
                let present = try session.row("""
                    SELECT EXISTS (SELECT 1 FROM alert WHERE assessment_id = \(row.text("assessment_id"))
                        AND created_at = \(createdAt)::timestamptz AND outcome IS NOT DISTINCT FROM \(row.text("outcome"))) AS present
                    """)?["present"].decode(Bool.self) ?? false
                if present { report.alerts.skipped += 1; continue }
                let refusal = try attempt {
                    try session.run("""
                        INSERT INTO alert (assessment_id, created_at, level, outcome, event, acknowledged_at, acknowledged_by)
                        VALUES (\(row.text("assessment_id")), \(createdAt)::timestamptz, \(level), \(row.text("outcome")),
                                \(row.text("event")), \(acknowledged)::timestamptz, \(row.text("acknowledged_by")))
                        """)
                }
                if let refusal { refuse(refusal) } else { report.alerts.added += 1 }
            }
        }

        func followUps(_ source: ImportSource, fileName: String, now: Date, draw: () -> String,
                       _ report: inout ImportReport) throws {
            // The contacts this database held before the import: a new request with one of
            // them is flagged for the desk, never merged.
            var phones: [String: String] = [:], emails: [String: String] = [:]
            try PostgresKioskStore.cursor(session, """
                SELECT reference, phone, email FROM follow_up
                WHERE phone IS NOT NULL OR email IS NOT NULL ORDER BY created_at, seq
                """) { row in
                let reference = try row["reference"].decode(String.self)
                if let key = Rules.phoneKey(try row["phone"].decode(String?.self)) { phones[key] = reference }
                if let key = Rules.emailKey(try row["email"].decode(String?.self)) { emails[key] = reference }
                return true
            }
            let sourceReferences = Set(source.followUps.compactMap { $0.text("reference") })

            for row in source.followUps {
                let old = row.text("reference") ?? ""
                let events = source.events[old] ?? []
                func refuse(_ why: String) {
                    report.followUps.refused += 1
                    report.events.refused += events.count
                    report.refusals.append("follow-up \(old.isEmpty ? "(no reference)" : Rules.shown(old)): \(why)")
                }
                let checked: Rules.CheckedFollowUp
                switch Rules.checkFollowUp(row) {
                case let .failure(problem): refuse(problem.reason); continue
                case let .success(row): checked = row
                }
                let (assessment, createdAt, status) = (checked.assessment, checked.createdAt, checked.status)
                let phone = row.text("phone"), email = row.text("email")

                // The same request (whatever its code here) is already in: nothing to do.
                if try session.row("""
                    SELECT reference FROM follow_up WHERE assessment_id = \(assessment)
                        AND created_at = \(createdAt)::timestamptz LIMIT 1
                    """) != nil {
                    report.followUps.skipped += 1
                    report.events.skipped += events.count
                    continue
                }

                // A booked slot must not double-book a professional here.
                if status == .booked, let professional = row.text("booked_professional"),
                   let start = row.text("booked_start"), let end = row.text("booked_end"),
                   let holder = try session.row("""
                       SELECT reference FROM follow_up
                       WHERE status = 'booked' AND booked_professional = \(professional)
                         AND booked_start < \(end)::timestamptz AND booked_end > \(start)::timestamptz
                       LIMIT 1
                       """)?["reference"].decode(String.self) {
                    refuse("booked with \(Rules.shown(professional)) at \(Rules.shown(start)), a slot \(holder) holds here: book it again by hand")
                    continue
                }

                // The code is taken here by another request (two kiosks drew the same): a new one.
                func used(_ code: String) throws -> Bool {
                    try session.row("SELECT 1 AS one FROM follow_up WHERE reference = \(code)") != nil
                }
                var reference = old
                if try used(old) {
                    var fresh: String?
                    for _ in 0..<PostgresKioskStore.maxCodeAttempts {
                        let candidate = draw()
                        guard !candidate.isEmpty, !sourceReferences.contains(candidate) else { continue }
                        if try !used(candidate) { fresh = candidate; break }
                    }
                    guard let fresh else { throw StoreError.noFreeReference(attempts: PostgresKioskStore.maxCodeAttempts) }
                    reference = fresh
                }

                var flags: [String] = []
                let phoneMatch = Rules.phoneKey(phone).flatMap { phones[$0] }
                let emailMatch = Rules.emailKey(email).flatMap { emails[$0] }
                if let phoneMatch, phoneMatch == emailMatch {
                    flags.append("same phone and email as \(phoneMatch)")
                } else {
                    if let phoneMatch { flags.append("same phone as \(phoneMatch)") }
                    if let emailMatch { flags.append("same email as \(emailMatch)") }
                }
                if let earlier = row.text("flag"), !earlier.isEmpty { flags.append(earlier) }
                let flag = flags.isEmpty ? nil : flags.joined(separator: "; ")

                var added = 0, skipped = 0
                let refusal = try attempt {
                    let consent = try self.flag(row, "consent")
                    let afterClearance = try self.flag(row, "after_clearance", default: false)
                    // A file from before referrals (v8) holds none.
                    let referral = try self.flag(row, "referral", default: false)
                    let passOn = try self.flag(row, "pass_on_consent", default: false)
                    try session.run("""
                        INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email,
                            discipline, professional, preferred_times_json, consent, after_clearance, status,
                            booked_at, booked_professional, notes, booked_start, booked_end, flag, referral, pass_on_consent)
                        VALUES (\(reference), \(assessment), \(createdAt)::timestamptz, \(row.text("event")),
                            \(row.text("language")), \(row.text("name")), \(phone), \(email), \(row.text("discipline")),
                            \(row.text("professional")), \(row.text("preferred_times_json"))::jsonb, \(consent),
                            \(afterClearance), \(status.rawValue), \(row.text("booked_at"))::timestamptz,
                            \(row.text("booked_professional")), \(row.text("notes")), \(row.text("booked_start"))::timestamptz,
                            \(row.text("booked_end"))::timestamptz, \(flag), \(referral), \(passOn))
                        """)
                    for event in events {
                        guard let to = event.text("to_status"), FollowUpStatus(rawValue: to) != nil,
                              event.text("from_status").map({ FollowUpStatus(rawValue: $0) != nil }) ?? true,
                              Rules.isDate(event.text("at")) else {
                            throw RowRefusal(reason: "has an audit event with an unknown status or an unreadable date")
                        }
                        let present = try session.row("""
                            SELECT EXISTS (SELECT 1 FROM follow_up_event WHERE reference = \(reference)
                                AND at = \(event.text("at"))::timestamptz AND to_status = \(to)
                                AND actor IS NOT DISTINCT FROM \(event.text("actor")))  AS present
                            """)?["present"].decode(Bool.self) ?? false
                        if present { skipped += 1; continue }
                        try session.run("""
                            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                            VALUES (\(reference), \(event.text("at"))::timestamptz, \(event.text("actor")),
                                    \(event.text("from_status")), \(to), \(event.text("note")))
                            """)
                        added += 1
                    }
                    if reference != old {
                        try PostgresKioskStore.recordEvent(session, reference: reference, at: now, actor: "import",
                                                           from: status, to: status,
                                                           note: ImportReport.renameNote(file: fileName, old: old, new: reference))
                    }
                }
                if let refusal { refuse(refusal); continue }
                report.followUpImported(old: old, as: reference, flagged: flag != nil,
                                        eventsAdded: added, eventsSkipped: skipped, shown: Rules.shown)
            }
            report.orphanEventsRefused(references: source.orphanEvents.map { $0.text("reference") }, shown: Rules.shown)
        }
    }
}
#endif
