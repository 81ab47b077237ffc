#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// `kiosk import event.sqlite` into a PostgreSQL practice database: an event laptop's leads
/// come home. The file is read (read-only, checked) by the SQLite store's own reader; the
/// rows are copied by `ImportPlan` (KioskCore), as on SQLite, in ONE transaction: all or
/// nothing. A row that does not fit is undone on its own (a savepoint) and reported;
/// importing the same file again adds nothing.
extension PostgresKioskStore {
    public func importDatabase(from path: String, now: Date, makeCode: (() -> String)? = nil) throws -> ImportReport {
        let source = try SQLiteKioskStore.readImportSource(path: path)
        return try link.transaction { session in
            try ImportPlan.run(source, now: now, draw: makeCode ?? ReferenceCode.random,
                               into: ImportInto(session: session))
        }
    }
}

/// `ImportPlan`'s primitives in PostgreSQL, inside the import's one transaction. The file's
/// text dates are cast to timestamptz, its 0/1 columns read as booleans.
private struct ImportInto: ImportTarget {
    let session: PostgresSession

    func attempt(_ body: () throws -> Void) throws -> String? {
        try session.execute("SAVEPOINT kiosk_row")
        do {
            try body()
            try session.execute("RELEASE SAVEPOINT kiosk_row")
            return nil
        } catch let problem as ImportRules.RowProblem {
            try session.execute("ROLLBACK TO SAVEPOINT kiosk_row")
            return problem.reason
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
        throw ImportRules.RowProblem("does not fit this database (\(column) is not 0 or 1)")
    }

    func insertAssessment(_ row: ImportRow) throws -> Bool {
        try session.changes("""
            INSERT INTO assessment (id, created_at, event, language, answers_json, level, outcome,
                                    options_shown_json, options_left_out_json)
            VALUES (\(row.text("id")), \(row.text("created_at"))::timestamptz, \(row.text("event")), \(row.text("language")),
                    \(row.text("answers_json"))::jsonb, \(row.text("level")), \(row.text("outcome")),
                    \(row.text("options_shown_json"))::jsonb, \(row.text("options_left_out_json"))::jsonb)
            ON CONFLICT (id) DO NOTHING
            """) > 0
    }

    func insertSession(_ row: ImportRow) throws -> Bool {
        try session.changes("""
            INSERT INTO session_start (id, started_at, event, language)
            VALUES (\(row.text("id")), \(row.text("started_at"))::timestamptz, \(row.text("event")), \(row.text("language")))
            ON CONFLICT (id) DO NOTHING
            """) > 0
    }

    func hasAlert(_ row: ImportRow) throws -> Bool {
        try session.row("""
            SELECT EXISTS (SELECT 1 FROM alert WHERE assessment_id = \(row.text("assessment_id"))
                AND created_at = \(row.text("created_at"))::timestamptz
                AND outcome IS NOT DISTINCT FROM \(row.text("outcome"))) AS present
            """)?["present"].decode(Bool.self) ?? false
    }

    func insertAlert(_ row: ImportRow) throws {
        try session.run("""
            INSERT INTO alert (assessment_id, created_at, level, outcome, event, acknowledged_at, acknowledged_by)
            VALUES (\(row.text("assessment_id")), \(row.text("created_at"))::timestamptz, \(row.text("level")),
                    \(row.text("outcome")), \(row.text("event")), \(row.text("acknowledged_at"))::timestamptz,
                    \(row.text("acknowledged_by")))
            """)
    }

    func forEachContact(_ body: (String, String?, String?) -> Void) throws {
        try PostgresKioskStore.cursor(session, """
            SELECT reference, phone, email FROM follow_up
            WHERE phone IS NOT NULL OR email IS NOT NULL ORDER BY created_at, seq
            """) { row in
            body(try row["reference"].decode(String.self), try row["phone"].decode(String?.self),
                 try row["email"].decode(String?.self))
            return true
        }
    }

    func hasRequest(assessment: String, createdAt: String) throws -> Bool {
        try session.row("""
            SELECT reference FROM follow_up WHERE assessment_id = \(assessment)
                AND created_at = \(createdAt)::timestamptz LIMIT 1
            """) != nil
    }

    func slotHolder(professional: String, start: String, end: String) throws -> String? {
        try session.row("""
            SELECT reference FROM follow_up
            WHERE status = 'booked' AND booked_professional = \(professional)
              AND booked_start < \(end)::timestamptz AND booked_end > \(start)::timestamptz
            LIMIT 1
            """)?["reference"].decode(String.self)
    }

    func isTaken(reference: String) throws -> Bool {
        try session.row("SELECT 1 AS one FROM follow_up WHERE reference = \(reference)") != nil
    }

    func insertFollowUp(_ row: ImportRow, reference: String, status: FollowUpStatus, flag: String?) throws {
        let consent = try self.flag(row, "consent")
        let afterClearance = try self.flag(row, "after_clearance", default: false)
        // A file from before referrals (v8) holds none.
        let referral = try self.flag(row, "referral", default: false)
        let passOn = try self.flag(row, "pass_on_consent", default: false)
        try session.run("""
            INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email,
                discipline, professional, preferred_times_json, consent, after_clearance, status,
                booked_at, booked_professional, notes, booked_start, booked_end, flag, referral, pass_on_consent)
            VALUES (\(reference), \(row.text("assessment_id")), \(row.text("created_at"))::timestamptz, \(row.text("event")),
                \(row.text("language")), \(row.text("name")), \(row.text("phone")), \(row.text("email")),
                \(row.text("discipline")), \(row.text("professional")), \(row.text("preferred_times_json"))::jsonb,
                \(consent), \(afterClearance), \(status.rawValue), \(row.text("booked_at"))::timestamptz,
                \(row.text("booked_professional")), \(row.text("notes")), \(row.text("booked_start"))::timestamptz,
                \(row.text("booked_end"))::timestamptz, \(flag), \(referral), \(passOn))
            """)
    }

    func hasEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws -> Bool {
        try session.row("""
            SELECT EXISTS (SELECT 1 FROM follow_up_event WHERE reference = \(reference)
                AND at = \(event.text("at"))::timestamptz AND to_status = \(to.rawValue)
                AND actor IS NOT DISTINCT FROM \(event.text("actor")))  AS present
            """)?["present"].decode(Bool.self) ?? false
    }

    func insertEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws {
        try session.run("""
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
            VALUES (\(reference), \(event.text("at"))::timestamptz, \(event.text("actor")),
                    \(event.text("from_status")), \(to.rawValue), \(event.text("note")))
            """)
    }

    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws {
        try DeskInto(session: session).recordEvent(reference: reference, at: at, actor: actor, from: from, to: to, note: note)
    }
}
#endif
