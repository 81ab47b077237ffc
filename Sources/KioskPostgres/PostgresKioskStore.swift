#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// The kiosk's records on a PostgreSQL server, for a practice with several machines: the
/// same protocols and the same behaviour as `SQLiteKioskStore`, on one connection per store.
///
/// Every write is one transaction and returns only after COMMIT came back (the server's
/// default `synchronous_commit = on`: the commit is on its disk), so the caller may
/// acknowledge it. Dates are `timestamptz`, written and read at millisecond precision as
/// the SQLite store keeps them. The schema is created and migrated by the kiosk itself
/// (table `kiosk_migrations`); a database from a newer kiosk is refused before anything
/// is written.
public final class PostgresKioskStore: SessionStore, @unchecked Sendable {
    /// The schema this build knows (`max(version)` in `kiosk_migrations`). Versions follow
    /// the SQLite store's numbers from 7 on (2 to 6 were SQLite's alone): 7 accent-blind
    /// search, 8 referrals, 9 returning clients.
    public static let schemaVersion = 9
    /// Rows a purge changes per transaction; rows fetched per round trip when streaming.
    static let purgeBatch = 500
    static let fetchBatch = 500

    let link: PostgresLink
    public let url: PostgresURL

    /// The URL (never with a password), for messages.
    public var location: String { url.description }

    /// Connects and brings the schema up to date.
    /// - Throws: `StoreError.unavailable` (a malformed URL, no server, login refused, TLS
    ///   refused), `.newerSchema`, `.io` (e.g. a role that may not create the schema).
    public convenience init(url text: String) throws(StoreError) {
        try self.init(url: try PostgresURL(text))
    }

    public init(url: PostgresURL) throws(StoreError) {
        self.url = url
        self.link = try PostgresLink(url: url)
        do {
            try migrate()
        } catch let error as StoreError {
            link.close()
            throw error
        } catch {
            link.close()
            throw link.storeError(error)
        }
    }

    public func close() {
        link.close()
    }

    // MARK: - SessionStore

    /// Inserts the assessment, or replaces the one with its id. (Not one upsert: ON CONFLICT
    /// DO UPDATE would need the right to read every column, which the kiosk's role has not.)
    public func saveAssessment(_ record: AssessmentRecord) throws {
        let answers = try Self.json(record.answers)
        let shown = try Self.json(record.optionsShown)
        let leftOut = try Self.json(record.optionsLeftOut)
        let created = StoredDate.text(record.createdAt)
        try link.transaction { session in
            let inserted = try session.rows("""
                INSERT INTO assessment (id, created_at, event, language, answers_json, level, outcome,
                                        options_shown_json, options_left_out_json)
                VALUES (\(record.id), \(created)::timestamptz, \(record.event), \(record.language),
                        \(answers)::jsonb, \(record.level.rawValue), \(record.outcome), \(shown)::jsonb, \(leftOut)::jsonb)
                ON CONFLICT (id) DO NOTHING
                RETURNING 1 AS inserted
                """)
            guard inserted.isEmpty else { return }
            try session.run("""
                UPDATE assessment SET created_at = \(created)::timestamptz, event = \(record.event),
                    language = \(record.language), answers_json = \(answers)::jsonb, level = \(record.level.rawValue),
                    outcome = \(record.outcome), options_shown_json = \(shown)::jsonb, options_left_out_json = \(leftOut)::jsonb
                WHERE id = \(record.id)
                """)
        }
    }

    public func recordSessionStart(id: String, at: Date, event: String?, language: String) throws {
        try link.transaction { session in
            try session.run("""
                INSERT INTO session_start (id, started_at, event, language)
                VALUES (\(id), \(StoredDate.text(at))::timestamptz, \(event), \(language))
                ON CONFLICT (id) DO NOTHING
                """)
        }
    }

    public func raiseAlert(_ alert: Alert) throws {
        try link.transaction { session in
            try session.run("""
                INSERT INTO alert (assessment_id, created_at, level, outcome, event)
                VALUES (\(alert.assessmentID), \(StoredDate.text(alert.createdAt))::timestamptz,
                        \(alert.level.rawValue), \(alert.outcome), \(alert.event))
                """)
        }
    }

    /// Draws codes until one is free (`ON CONFLICT DO NOTHING`: the kiosk's role needs no
    /// right to read other requests), then commits the request and its first audit event.
    public func saveFollowUp(_ request: FollowUpRequest, makeCode: () -> String) throws -> String {
        let times = try Self.json(request.preferredTimes)
        let created = StoredDate.text(request.createdAt)
        return try link.transaction { session in
            let code = try ReferenceCode.drawFree(makeCode) { candidate in
                try !session.rows("""
                    INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email,
                                           discipline, professional, preferred_times_json, consent, after_clearance, status,
                                           referral, pass_on_consent)
                    VALUES (\(candidate), \(request.assessmentID), \(created)::timestamptz, \(request.event),
                            \(request.language), \(request.name), \(request.phone), \(request.email),
                            \(request.discipline), \(request.professional), \(times)::jsonb, \(request.consent),
                            \(request.afterMedicalClearance), 'requested', \(request.referral), \(request.passOnConsent))
                    ON CONFLICT (reference) DO NOTHING
                    RETURNING 1 AS inserted
                    """).isEmpty
            }
            try session.run("""
                INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                VALUES (\(code), \(created)::timestamptz, 'kiosk', NULL, 'requested', NULL)
                """)
            return code
        }
    }

    public func followUp(reference: String) throws -> FollowUp? {
        try link.session { session in
            try session.row("SELECT \(unescaped: Self.followUpColumns) FROM follow_up WHERE reference = \(reference)")
                .map(Self.followUp(from:))
        }
    }

    public func followUps(status: FollowUpStatus?, limit: Int) throws -> [FollowUp] {
        let limit = max(0, limit)
        return try link.session { session in
            let rows: [PostgresRandomAccessRow]
            if let status {
                rows = try session.rows("""
                    SELECT \(unescaped: Self.followUpColumns) FROM follow_up WHERE status = \(status.rawValue)
                    ORDER BY created_at DESC, seq DESC LIMIT \(limit)
                    """)
            } else {
                rows = try session.rows("""
                    SELECT \(unescaped: Self.followUpColumns) FROM follow_up ORDER BY created_at DESC, seq DESC LIMIT \(limit)
                    """)
            }
            return try rows.map(Self.followUp(from:))
        }
    }

    public func assessment(id: String) throws -> AssessmentRecord? {
        try link.session { session in
            try session.row("SELECT \(unescaped: Self.assessmentColumns) FROM assessment WHERE id = \(id)")
                .map { try Self.assessment(from: $0, decoder: JSONDecoder()) }
        }
    }

    public func unacknowledgedAlerts() throws -> [Alert] {
        try link.session { session in
            try session.rows("""
                SELECT \(unescaped: Self.alertColumns) FROM alert WHERE acknowledged_at IS NULL ORDER BY created_at, id
                """).map { try Self.storedAlert(from: $0).alert }
        }
    }

    /// The audit trail of one follow-up, oldest first.
    public func history(reference: String) throws -> [FollowUpEvent] {
        try link.session { session in
            try session.rows("""
                SELECT \(unescaped: Self.ts("at")) AS at, actor, from_status, to_status, note
                FROM follow_up_event WHERE reference = \(reference) ORDER BY at, id
                """).map { row in
                func text(_ column: String) throws -> String? { try row[column].decode(String?.self) }
                let to = try StoredValues.historyTarget(text("to_status"), of: reference)
                return FollowUpEvent(reference: reference, at: try Self.date(row, "at"), actor: try row["actor"].decode(String.self),
                                     from: try StoredValues.historyStatus(text("from_status"), of: reference), to: to,
                                     note: try text("note"))
            }
        }
    }

    // MARK: - For tests and checks

    /// Rows in one of the kiosk's tables.
    public func rowCount(_ table: String) throws -> Int {
        let known = ["assessment", "session_start", "follow_up", "follow_up_event", "alert", "staff_lock", "kiosk_migrations",
                     "return_lock", "return_guard"]
        guard known.contains(table) else { throw StoreError.io(reason: "no table \(table)") }
        return try link.session { session in
            try session.row("SELECT count(*)::int8 AS n FROM \(unescaped: table)")?["n"].decode(Int.self) ?? 0
        }
    }

    /// Runs SQL as it is (tests only).
    public func executeForTesting(_ sql: String) throws {
        try link.session { try $0.execute(sql) }
    }

    /// Sets up an empty database as an older kiosk left it: the migrations up to `version`,
    /// then `sql` (tests only). A store opened on it afterwards migrates the rest.
    public static func createForTesting(url: String, upTo version: Int, _ sql: String) throws {
        let link = try PostgresLink(url: try PostgresURL(url))
        defer { link.close() }
        try link.transaction { session in
            try session.execute("""
                CREATE TABLE kiosk_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            for migration in migrations where migration.version <= version {
                try session.execute(migration.sql)
                try session.run("INSERT INTO kiosk_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
            try session.execute(sql)
        }
    }

    /// The server's facts that matter for durability: `synchronous_commit` and `fsync`,
    /// the schema version, and whether this connection uses TLS.
    public struct ConnectionSettings: Sendable, Equatable {
        public var synchronousCommit: String
        public var fsync: String
        public var schemaVersion: Int
        public var tls: Bool
    }

    public func connectionSettings() throws -> ConnectionSettings {
        try link.session { session in
            let row = try session.row("""
                SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fs,
                       coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS tls
                """)
            return ConnectionSettings(synchronousCommit: try row?["sc"].decode(String.self) ?? "",
                                      fsync: try row?["fs"].decode(String.self) ?? "",
                                      schemaVersion: try currentVersion(session),
                                      tls: try row?["tls"].decode(Bool.self) ?? false)
        }
    }

    // MARK: - Rows

    /// A timestamptz column as the SQLite store's date text ("2025-03-01T09:30:00.000Z").
    static func ts(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    static let followUpColumns = """
        reference, assessment_id, \(ts("created_at")) AS created_at, event, language, name, phone, email,
        discipline, professional, preferred_times_json::text AS preferred_times_json, consent, after_clearance,
        status, booked_professional, \(ts("booked_start")) AS booked_start, \(ts("booked_end")) AS booked_end,
        notes, flag, referral, pass_on_consent
        """

    static let assessmentColumns = """
        id, \(ts("created_at")) AS created_at, event, language, answers_json::text AS answers_json, level, outcome,
        options_shown_json::text AS options_shown_json, options_left_out_json::text AS options_left_out_json
        """

    static let alertColumns = """
        id, assessment_id, \(ts("created_at")) AS created_at, level, outcome, event,
        \(ts("acknowledged_at")) AS acknowledged_at, acknowledged_by
        """

    static func date(_ row: PostgresRandomAccessRow, _ column: String) throws -> Date {
        let text = try row[column].decode(String.self)
        guard let date = StoredDate.date(text) else {
            throw StoreError.io(reason: "unreadable date '\(text)' in column \(column)")
        }
        return date
    }

    static func optionalDate(_ row: PostgresRandomAccessRow, _ column: String) throws -> Date? {
        try row[column].decode(String?.self) == nil ? nil : try date(row, column)
    }

    static func followUp(from row: PostgresRandomAccessRow) throws -> FollowUp {
        let reference = try row["reference"].decode(String.self)
        let statusText = try row["status"].decode(String.self)
        guard let status = FollowUpStatus(rawValue: statusText) else {
            throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(statusText)'")
        }
        let request = FollowUpRequest(
            assessmentID: try row["assessment_id"].decode(String.self),
            createdAt: try date(row, "created_at"),
            event: try row["event"].decode(String?.self),
            language: try row["language"].decode(String.self),
            name: try row["name"].decode(String.self),
            phone: try row["phone"].decode(String?.self),
            email: try row["email"].decode(String?.self),
            discipline: try row["discipline"].decode(String?.self),
            professional: try row["professional"].decode(String?.self),
            preferredTimes: try decodeJSON([String].self, row, "preferred_times_json", JSONDecoder()),
            consent: try row["consent"].decode(Bool.self),
            afterMedicalClearance: try row["after_clearance"].decode(Bool.self),
            referral: try row["referral"].decode(Bool.self),
            passOnConsent: try row["pass_on_consent"].decode(Bool.self))
        return FollowUp(reference: reference, request: request, status: status)
    }

    static func deskFollowUp(from row: PostgresRandomAccessRow) throws -> DeskFollowUp {
        let followUp = try followUp(from: row)
        var appointment: Appointment?
        if let professional = try row["booked_professional"].decode(String?.self),
           let start = try optionalDate(row, "booked_start"), let end = try optionalDate(row, "booked_end") {
            appointment = Appointment(professional: professional, start: start, end: end)
        }
        return DeskFollowUp(followUp: followUp, appointment: appointment,
                            notes: try row["notes"].decode(String?.self), flag: try row["flag"].decode(String?.self))
    }

    static func assessment(from row: PostgresRandomAccessRow, decoder: JSONDecoder) throws -> AssessmentRecord {
        let id = try row["id"].decode(String.self)
        let levelText = try row["level"].decode(String.self)
        guard let level = TriageLevel(rawValue: levelText) else {
            throw StoreError.io(reason: "assessment \(id) has an unknown level '\(levelText)'")
        }
        return AssessmentRecord(
            id: id, createdAt: try date(row, "created_at"), event: try row["event"].decode(String?.self),
            language: try row["language"].decode(String.self),
            answers: try decodeJSON(Answers.self, row, "answers_json", decoder),
            level: level, outcome: try row["outcome"].decode(String?.self),
            optionsShown: try decodeJSON([String].self, row, "options_shown_json", decoder),
            optionsLeftOut: try decodeJSON([String].self, row, "options_left_out_json", decoder))
    }

    static func storedAlert(from row: PostgresRandomAccessRow) throws -> StoredAlert {
        let levelText = try row["level"].decode(String.self)
        guard let level = AlertLevel(rawValue: levelText) else {
            throw StoreError.io(reason: "an alert has an unknown level '\(levelText)'")
        }
        let alert = Alert(assessmentID: try row["assessment_id"].decode(String.self),
                          createdAt: try date(row, "created_at"), level: level,
                          outcome: try row["outcome"].decode(String.self), event: try row["event"].decode(String?.self))
        return StoredAlert(id: try row["id"].decode(Int64.self), alert: alert,
                           acknowledgedAt: try optionalDate(row, "acknowledged_at"),
                           acknowledgedBy: try row["acknowledged_by"].decode(String?.self))
    }

    static func json<T: Encodable>(_ value: T) throws(StoreError) -> String { try StoredValues.json(value) }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ row: PostgresRandomAccessRow, _ column: String,
                                         _ decoder: JSONDecoder) throws -> T {
        let text = try row[column].decode(String.self)
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.io(reason: "unreadable JSON in column \(column)")
        }
    }
}
#endif
