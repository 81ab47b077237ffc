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
    /// How many codes `saveFollowUp` draws before giving up (as SQLite's store).
    public static let maxCodeAttempts = SQLiteKioskStore.maxCodeAttempts
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

    // MARK: - Schema

    /// The migrations, in order; each runs once, in one transaction with its row in
    /// `kiosk_migrations`. Column names and meanings follow the SQLite schema (v4).
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (1, "schema", """
            CREATE TABLE assessment (
                id text PRIMARY KEY,
                created_at timestamptz NOT NULL,
                event text,
                language text NOT NULL,
                answers_json jsonb NOT NULL,
                level text NOT NULL,
                outcome text,
                options_shown_json jsonb NOT NULL DEFAULT '[]',
                options_left_out_json jsonb NOT NULL DEFAULT '[]'
            );
            CREATE INDEX assessment_created_at ON assessment (created_at);
            CREATE INDEX assessment_event ON assessment (event, created_at);

            CREATE TABLE follow_up (
                reference text PRIMARY KEY,
                -- insertion order (SQLite's rowid): ties of created_at are listed by it
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                assessment_id text NOT NULL,
                created_at timestamptz NOT NULL,
                event text,
                language text NOT NULL,
                name text NOT NULL,
                phone text,
                email text,
                discipline text,
                professional text,
                preferred_times_json jsonb NOT NULL DEFAULT '[]',
                consent boolean NOT NULL,
                after_clearance boolean NOT NULL DEFAULT false,
                status text NOT NULL DEFAULT 'requested'
                    CHECK (status IN ('requested', 'contacted', 'booked', 'completed', 'cancelled', 'no_show')),
                booked_at timestamptz,
                booked_professional text,
                booked_start timestamptz,
                booked_end timestamptz CHECK (booked_end IS NULL OR booked_end > booked_start),
                notes text,
                flag text
            );
            CREATE INDEX follow_up_created_at ON follow_up (created_at, seq);
            CREATE INDEX follow_up_status ON follow_up (status, created_at, seq);
            CREATE INDEX follow_up_by_event ON follow_up (event, created_at);
            CREATE INDEX follow_up_professional ON follow_up (professional, created_at);
            CREATE INDEX follow_up_booked_professional ON follow_up (booked_professional, created_at);
            CREATE INDEX follow_up_request ON follow_up (assessment_id, created_at);
            -- The database's last word against a double booking of aligned slots; `book`
            -- checks overlaps of any length under a lock per professional.
            CREATE UNIQUE INDEX follow_up_booked_slot ON follow_up (booked_professional, booked_start)
                WHERE booked_start IS NOT NULL AND status = 'booked';

            CREATE TABLE follow_up_event (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                reference text NOT NULL REFERENCES follow_up (reference) ON UPDATE CASCADE,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                from_status text,
                to_status text NOT NULL,
                note text
            );
            CREATE INDEX follow_up_event_reference ON follow_up_event (reference, at);

            CREATE TABLE alert (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                assessment_id text NOT NULL,
                created_at timestamptz NOT NULL,
                level text NOT NULL,
                outcome text NOT NULL,
                event text,
                acknowledged_at timestamptz,
                acknowledged_by text
            );
            CREATE INDEX alert_open ON alert (acknowledged_at, created_at);

            CREATE TABLE session_start (
                id text PRIMARY KEY,
                started_at timestamptz NOT NULL,
                event text,
                language text NOT NULL
            );
            CREATE INDEX session_start_at ON session_start (started_at);

            CREATE TABLE staff_lock (
                id integer PRIMARY KEY CHECK (id = 1),
                salt bytea NOT NULL,
                hash bytea NOT NULL,
                rounds integer NOT NULL,
                failures integer NOT NULL DEFAULT 0,
                locked_until timestamptz
            );
            """),
        (7, "folded-search", """
            -- `find nunez` finds "Núñez": a follow-up is searched by one text, kiosk_search_text,
            -- of its name, email, phone (also without separators) and reference, folded by
            -- kiosk_fold (unaccent, then lower case) and joined by a character nobody types
            -- (U+001F), so that a match never spans two fields. Both are IMMUTABLE wrappers, so
            -- that a trigram index (pg_trgm) can hold the text and answer LIKE '%text%' without
            -- reading every row; they name their schemas, so that they work whatever the
            -- search_path (autovacuum's included). unaccent and pg_trgm come with Debian's
            -- postgresql-15 and are trusted extensions: the database's owner may create them.
            -- The index covers every row: older and imported ones are found too.
            CREATE EXTENSION IF NOT EXISTS unaccent;
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            DO $$
            DECLARE
                home text;
                here text := current_schema();
            BEGIN
                SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'unaccent';
                EXECUTE format('CREATE FUNCTION %I.kiosk_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
                               here, format($f$SELECT lower(%I.unaccent(%L::regdictionary, $1))$f$, home, quote_ident(home) || '.unaccent'));
                EXECUTE format('CREATE FUNCTION %I.kiosk_search_text(name text, email text, phone text, reference text) '
                               'RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L', here,
                               format($f$SELECT %I.kiosk_fold(coalesce(name, '') || chr(31) || coalesce(email, '') || chr(31)
                                      || coalesce(phone, '') || chr(31) || coalesce(\(SQLiteKioskStore.strippedPhoneSQL), '')
                                      || chr(31) || reference)$f$, here));
            END $$;
            CREATE INDEX follow_up_search_text ON follow_up
                USING gin (kiosk_search_text(name, email, phone, reference) gin_trgm_ops);
            """),
        // A referral: a follow-up whose professional is a partner outside the practice
        // (directory.yaml), with the client's consent to pass their contact on to them.
        (8, "referrals", """
            ALTER TABLE follow_up
                ADD COLUMN referral boolean NOT NULL DEFAULT false,
                ADD COLUMN pass_on_consent boolean NOT NULL DEFAULT false;
            CREATE INDEX follow_up_referral ON follow_up (referral, status, created_at);
            """),
        // A returning client (as SQLite's v9): a later visit linked to its follow-up, with
        // consent; the wrong pairs of each kiosk (return_lock, counted by the kiosk as the
        // staff PIN's are) and of each code (return_guard, counted here). The kiosk's role may
        // check a code and its second factor only through kiosk_check_return, which answers
        // yes or no; a right pair also opens the scores of the last visit
        // (kiosk_return_scores) and the link of today's visit (kiosk_link_visit), nothing
        // else. They run as the owner (SECURITY DEFINER) with a search path of this schema
        // alone (pg_temp last, where nobody can put a table of the same name before ours).
        // A code's fifth wrong factor in a row refuses it for 15 minutes by the server's
        // clock, whatever kiosk asks (ReturningLock.code).
        (9, "returning", """
            ALTER TABLE assessment ADD COLUMN follow_up text;
            CREATE INDEX assessment_follow_up ON assessment (follow_up, created_at) WHERE follow_up IS NOT NULL;
            CREATE TABLE return_lock (
                kiosk text PRIMARY KEY,
                failures integer NOT NULL DEFAULT 0,
                total_failures integer NOT NULL DEFAULT 0,
                last_failure_at timestamptz,
                locked_until timestamptz
            );
            CREATE TABLE return_guard (
                reference text PRIMARY KEY,
                failures integer NOT NULL DEFAULT 0,
                locked_until timestamptz
            );
            DO $$
            DECLARE
                here text := current_schema();
            BEGIN
                EXECUTE format($f$
                    CREATE FUNCTION %1$I.kiosk_check_return(code text, factor text) RETURNS boolean
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = %1$I, pg_temp AS $body$
                    DECLARE
                        contact record;
                        guarded record;
                        digits text;
                        matched boolean;
                    BEGIN
                        SELECT phone, email INTO contact FROM follow_up WHERE reference = code;
                        IF NOT FOUND THEN RETURN false; END IF;
                        SELECT failures, locked_until INTO guarded FROM return_guard WHERE reference = code FOR UPDATE;
                        IF FOUND AND guarded.locked_until > now() THEN RETURN false; END IF;
                        digits := regexp_replace(coalesce(contact.phone, ''), '[^0-9]', '', 'g');
                        matched := (length(factor) = 4 AND translate(factor, '0123456789', '') = ''
                                    AND length(digits) >= 4 AND right(digits, 4) = factor)
                                OR (length(factor) = 3 AND length(coalesce(contact.email, '')) >= 3
                                    AND lower(left(contact.email, 3)) = factor);
                        IF matched THEN
                            UPDATE return_guard SET failures = 0, locked_until = NULL WHERE reference = code;
                        ELSE
                            INSERT INTO return_guard AS g (reference, failures, locked_until) VALUES (code, 1, NULL)
                            ON CONFLICT (reference) DO UPDATE SET failures = g.failures + 1,
                                locked_until = CASE WHEN g.failures + 1 >= 5 THEN now() + interval '15 minutes' END;
                        END IF;
                        RETURN matched;
                    END
                    $body$
                    $f$, here);
                EXECUTE format($f$
                    CREATE FUNCTION %1$I.kiosk_return_scores(code text, factor text, questions text[])
                    RETURNS TABLE (kiosk_question text, kiosk_score integer)
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = %1$I, pg_temp AS $body$
                    BEGIN
                        IF NOT kiosk_check_return(code, factor) THEN RETURN; END IF;
                        RETURN QUERY
                            SELECT DISTINCT ON (q.id) q.id, (a.answers_json -> q.id -> 'scale' ->> '_0')::integer
                            FROM unnest(questions) AS q(id)
                            JOIN assessment a ON (a.follow_up = code
                                                  OR a.id = (SELECT f.assessment_id FROM follow_up f WHERE f.reference = code))
                                             AND a.answers_json -> q.id -> 'scale' ->> '_0' IS NOT NULL
                            ORDER BY q.id, a.created_at DESC;
                    END
                    $body$
                    $f$, here);
                EXECUTE format($f$
                    CREATE FUNCTION %1$I.kiosk_link_visit(visit text, code text, factor text) RETURNS boolean
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = %1$I, pg_temp AS $body$
                    BEGIN
                        IF NOT kiosk_check_return(code, factor) THEN RETURN false; END IF;
                        UPDATE assessment SET follow_up = code WHERE id = visit;
                        RETURN FOUND;
                    END
                    $body$
                    $f$, here);
                EXECUTE format('REVOKE ALL ON FUNCTION %1$I.kiosk_check_return(text, text), '
                               '%1$I.kiosk_return_scores(text, text, text[]), %1$I.kiosk_link_visit(text, text, text) '
                               'FROM PUBLIC', here);
            END $$;
            """),
    ]

    /// A number no other program takes as an advisory lock: one migration at a time.
    static let migrationLock: Int64 = 0x4B494F534B_01

    /// The version of the database's schema (0 for an empty database).
    func currentVersion(_ session: PostgresSession) throws -> Int {
        let exists = try session.row("SELECT to_regclass('kiosk_migrations') IS NOT NULL AS present")?["present"]
            .decode(Bool.self) ?? false
        guard exists else { return 0 }
        return try session.row("SELECT coalesce(max(version), 0)::int8 AS version FROM kiosk_migrations")?["version"]
            .decode(Int.self) ?? 0
    }

    /// The versions of the migrations applied to this database (empty for an empty one).
    func appliedVersions(_ session: PostgresSession) throws -> Set<Int> {
        let exists = try session.row("SELECT to_regclass('kiosk_migrations') IS NOT NULL AS present")?["present"]
            .decode(Bool.self) ?? false
        guard exists else { return [] }
        return Set(try session.rows("SELECT version::int8 AS version FROM kiosk_migrations").map { try $0["version"].decode(Int.self) })
    }

    private func migrate() throws {
        let found = try link.session { try currentVersion($0) }
        if found > Self.schemaVersion { throw StoreError.newerSchema(found: found, known: Self.schemaVersion) }
        // Every known migration applied, none skipped (versions of branches developed side by
        // side may be applied out of order: a missing one still runs).
        if try link.session({ try appliedVersions($0) }).isSuperset(of: Self.migrations.map(\.version)) { return }
        do {
            try createOrUpdate()
        } catch let error as StoreError {
            // A role of least privilege (kiosk db roles) may not create tables: say what to do.
            if case let .io(reason) = error, reason.hasPrefix("permission denied") {
                throw StoreError.io(reason: "the database's schema is at version \(found) and this kiosk needs "
                    + "\(Self.schemaVersion), which the role \(url.user) may not create: run `kiosk db migrate` "
                    + "once as the owner of the database, then `kiosk db roles` again")
            }
            throw error
        }
    }

    private func createOrUpdate() throws {
        try link.transaction { session in
            // The desk and a kiosk may open a fresh database at the same moment: one migrates,
            // the other waits here and then finds the work done.
            try session.run("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS kiosk_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let version = try currentVersion(session)
            if version > Self.schemaVersion { throw StoreError.newerSchema(found: version, known: Self.schemaVersion) }
            let applied = try appliedVersions(session)
            for migration in Self.migrations where !applied.contains(migration.version) {
                try session.execute(migration.sql)
                try session.run("INSERT INTO kiosk_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
        }
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
            var code: String?
            for _ in 0..<Self.maxCodeAttempts {
                let candidate = makeCode()
                guard !candidate.isEmpty else { continue }
                let inserted = try session.rows("""
                    INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email,
                                           discipline, professional, preferred_times_json, consent, after_clearance, status,
                                           referral, pass_on_consent)
                    VALUES (\(candidate), \(request.assessmentID), \(created)::timestamptz, \(request.event),
                            \(request.language), \(request.name), \(request.phone), \(request.email),
                            \(request.discipline), \(request.professional), \(times)::jsonb, \(request.consent),
                            \(request.afterMedicalClearance), 'requested', \(request.referral), \(request.passOnConsent))
                    ON CONFLICT (reference) DO NOTHING
                    RETURNING 1 AS inserted
                    """)
                if !inserted.isEmpty { code = candidate; break }
            }
            guard let code else { throw StoreError.noFreeReference(attempts: Self.maxCodeAttempts) }
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
                func status(_ column: String) throws -> FollowUpStatus? {
                    guard let text = try row[column].decode(String?.self) else { return nil }
                    guard let status = FollowUpStatus(rawValue: text) else {
                        throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)' in its history")
                    }
                    return status
                }
                guard let to = try status("to_status") else {
                    throw StoreError.io(reason: "follow-up \(reference) has an event without a status")
                }
                return FollowUpEvent(reference: reference, at: try Self.date(row, "at"),
                                     actor: try row["actor"].decode(String.self),
                                     from: try status("from_status"), to: to,
                                     note: try row["note"].decode(String?.self))
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

    static func json<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.io(reason: "cannot encode a record: \(error)")
        }
    }

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
