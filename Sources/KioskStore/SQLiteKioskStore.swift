import Foundation
import GRDB
import KioskCore

/// The kiosk's records in one SQLite file, shared with the front desk.
///
/// WAL journal with `synchronous=FULL`: a write has reached the disk when the method
/// returns, so the caller may acknowledge it to the client. Writes take the write lock
/// up front (`BEGIN IMMEDIATE`) and wait up to 5 s for another program holding it.
public final class SQLiteKioskStore: SessionStore, Sendable {
    /// The schema this build knows (`PRAGMA user_version`).
    /// 7: accent-blind search (v7-folded-search); 8: referrals (v8-referrals); 9: returning
    /// clients (v9-returning).
    public static let schemaVersion = 9
    /// How long a write waits for another program's write to finish.
    public static let busyTimeout: TimeInterval = 5
    /// How many codes `saveFollowUp` draws before giving up.
    public static let maxCodeAttempts = 20

    private let writer: any DatabaseWriter

    /// The file, or nil for an in-memory store.
    public let path: String?

    /// The file, for messages.
    public var location: String { path ?? ":memory:" }

    /// Opens the database at `path`, creating the folder (0700) and file (0600) if needed
    /// (with `create`; without it, a missing file is refused and nothing is made), and brings
    /// its schema up to date.
    /// - Throws: `StoreError.notALocation` for a text shaped like a URL (never a path),
    ///   `.noDatabase` for a missing file without `create`, `.cannotCreate` when the folder
    ///   or file cannot be made or written, `.io` for a file that is not a usable database,
    ///   `.newerSchema` for a newer file.
    public init(path: String, create: Bool = true) throws(StoreError) {
        try StoreLocation.refuseForeignURL(path)
        if !create { try StoreLocation.requireExisting(path, fileToo: true) }
        try FilePreparation.prepare(path: path)
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "KioskStore"
        config.prepareDatabase { db in
            // WAL is kept in the file; setting it again is a no-op. A kiosk or a desk is one
            // program doing one thing at a time: one connection (a queue), not a pool, and
            // none of GRDB's pool set-up (a schema-changing write at every start).
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                throw DatabaseError(message: "could not use a write-ahead log at \(path)")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // Switching a new file to WAL needs a lock SQLite does not wait for (the busy
        // handler is not called): when the front desk opens the same new file at the same
        // moment, one of us gets SQLITE_BUSY at once. Retry the opening for the busy timeout.
        let deadline = Date().addingTimeInterval(Self.busyTimeout)
        var pause: UInt32 = 10_000
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                // A file already at this build's schema needs no migration (and no write).
                if try !queue.read(Self.isUpToDate) { try Self.migrate(queue) }
                self.writer = queue
                self.path = path
                return
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                usleep(pause)
                pause = min(pause * 2, 200_000)
            } catch {
                throw StoreError.opening(path, error)
            }
        }
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
        self.path = nil
    }

    /// A store in memory, gone when released: for tests.
    public static func inMemory() throws(StoreError) -> SQLiteKioskStore {
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: config)
        } catch {
            throw StoreError.wrap(error)
        }
        do {
            try migrate(queue)
        } catch {
            throw StoreError.opening(":memory:", error)
        }
        return SQLiteKioskStore(writer: queue)
    }

    /// Closes the connections; later calls throw. Releasing the store closes it too.
    /// Folds the write-ahead log into the database file, then closes: afterwards the
    /// one `.sqlite` file holds everything (an event laptop's file can be copied alone).
    public func close() throws(StoreError) {
        do {
            if let queue = writer as? DatabaseQueue {
                if path != nil { _ = try? queue.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
                try queue.close()
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    // MARK: - Connection facts

    /// The settings of the writing connection, for a health check.
    public struct ConnectionSettings: Sendable, Equatable {
        public var journalMode: String
        /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
        public var synchronous: Int
        public var foreignKeys: Bool
        public var busyTimeoutMilliseconds: Int
        public var schemaVersion: Int
    }

    public func connectionSettings() throws(StoreError) -> ConnectionSettings {
        try run {
            try writer.writeWithoutTransaction { db in
                ConnectionSettings(
                    journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                    foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                    busyTimeoutMilliseconds: try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0,
                    schemaVersion: try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
            }
        }
    }

    // MARK: - SessionStore

    public func saveAssessment(_ record: AssessmentRecord) throws {
        let answers = try Self.json(record.answers)
        let shown = try Self.json(record.optionsShown)
        let leftOut = try Self.json(record.optionsLeftOut)
        try writeSyncedLater { db in
            try db.execute(sql: """
                INSERT INTO assessment
                    (id, created_at, event, language, answers_json, level, outcome,
                     options_shown_json, options_left_out_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    created_at = excluded.created_at, event = excluded.event,
                    language = excluded.language, answers_json = excluded.answers_json,
                    level = excluded.level, outcome = excluded.outcome,
                    options_shown_json = excluded.options_shown_json,
                    options_left_out_json = excluded.options_left_out_json
                """, arguments: [record.id, StoredDate.text(record.createdAt), record.event,
                                 record.language, answers, record.level.rawValue, record.outcome,
                                 shown, leftOut])
        }
    }

    public func raiseAlert(_ alert: Alert) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO alert (assessment_id, created_at, level, outcome, event)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [alert.assessmentID, StoredDate.text(alert.createdAt),
                                 alert.level.rawValue, alert.outcome, alert.event])
        }
    }

    public func recordSessionStart(id: String, at: Date, event: String?, language: String) throws {
        try writeSyncedLater { db in
            try db.execute(sql: """
                INSERT INTO session_start (id, started_at, event, language) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO NOTHING
                """, arguments: [id, StoredDate.text(at), event, language])
        }
    }

    public func saveFollowUp(_ request: FollowUpRequest, makeCode: () -> String) throws -> String {
        let times = try Self.json(request.preferredTimes)
        let now = StoredDate.text(request.createdAt)
        // Returns only after COMMIT: the code is never handed out for a row that is not stored.
        return try write { db in
            var code: String?
            for _ in 0..<Self.maxCodeAttempts {
                let candidate = makeCode()
                guard !candidate.isEmpty else { continue }
                let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM follow_up WHERE reference = ?)",
                                             arguments: [candidate]) ?? true
                if !used { code = candidate; break }
            }
            guard let code else { throw StoreError.noFreeReference(attempts: Self.maxCodeAttempts) }
            try db.execute(sql: """
                INSERT INTO follow_up
                    (reference, assessment_id, created_at, event, language, name, phone, email,
                     discipline, professional, preferred_times_json, consent, after_clearance, status,
                     referral, pass_on_consent, name_key, email_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?, ?)
                """, arguments: [code, request.assessmentID, StoredDate.text(request.createdAt), request.event,
                                 request.language, request.name, request.phone, request.email,
                                 request.discipline, request.professional, times, request.consent,
                                 request.afterMedicalClearance, request.referral, request.passOnConsent,
                                 Self.searchKey(request.name), request.email.flatMap(Self.searchKey)])
            try db.execute(sql: """
                INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                VALUES (?, ?, 'kiosk', NULL, 'requested', NULL)
                """, arguments: [code, now])
            return code
        }
    }

    public func followUp(reference: String) throws -> FollowUp? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM follow_up WHERE reference = ?", arguments: [reference])
                .map(Self.followUp(from:))
        }
    }

    public func followUps(status: FollowUpStatus?, limit: Int) throws -> [FollowUp] {
        let limit = max(0, limit)
        return try read { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM follow_up WHERE status = ?
                    ORDER BY created_at DESC, rowid DESC LIMIT ?
                    """, arguments: [status.rawValue, limit])
            } else {
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM follow_up ORDER BY created_at DESC, rowid DESC LIMIT ?
                    """, arguments: [limit])
            }
            return try rows.map(Self.followUp(from:))
        }
    }

    public func assessment(id: String) throws -> AssessmentRecord? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM assessment WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let levelText = try row.decode(String.self, forColumn: "level")
            guard let level = TriageLevel(rawValue: levelText) else {
                throw StoreError.io(reason: "assessment \(id) has an unknown level '\(levelText)'")
            }
            return AssessmentRecord(
                id: try row.decode(String.self, forColumn: "id"),
                createdAt: try Self.date(row, "created_at"),
                event: try row.decode(String?.self, forColumn: "event"),
                language: try row.decode(String.self, forColumn: "language"),
                answers: try Self.decodeJSON(Answers.self, row, "answers_json"),
                level: level,
                outcome: try row.decode(String?.self, forColumn: "outcome"),
                optionsShown: try Self.decodeJSON([String].self, row, "options_shown_json"),
                optionsLeftOut: try Self.decodeJSON([String].self, row, "options_left_out_json"))
        }
    }

    public func unacknowledgedAlerts() throws -> [Alert] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM alert WHERE acknowledged_at IS NULL ORDER BY created_at, id
                """)
            return try rows.map { row in
                let levelText = try row.decode(String.self, forColumn: "level")
                guard let level = AlertLevel(rawValue: levelText) else {
                    throw StoreError.io(reason: "an alert has an unknown level '\(levelText)'")
                }
                return Alert(assessmentID: try row.decode(String.self, forColumn: "assessment_id"),
                             createdAt: try Self.date(row, "created_at"),
                             level: level,
                             outcome: try row.decode(String.self, forColumn: "outcome"),
                             event: try row.decode(String?.self, forColumn: "event"))
            }
        }
    }

    /// The audit trail of one follow-up, oldest first.
    public func history(reference: String) throws -> [FollowUpEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM follow_up_event WHERE reference = ? ORDER BY at, id
                """, arguments: [reference]).map { row in
                func status(_ column: String) throws -> FollowUpStatus? {
                    guard let text = try row.decode(String?.self, forColumn: column) else { return nil }
                    guard let status = FollowUpStatus(rawValue: text) else {
                        throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)' in its history")
                    }
                    return status
                }
                guard let to = try status("to_status") else {
                    throw StoreError.io(reason: "follow-up \(reference) has an event without a status")
                }
                return FollowUpEvent(reference: reference, at: try Self.date(row, "at"),
                                     actor: try row.decode(String.self, forColumn: "actor"),
                                     from: try status("from_status"), to: to,
                                     note: try row.decode(String?.self, forColumn: "note"))
            }
        }
    }

    // MARK: - For tests (internal)

    func rowCount(_ table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }

    func executeForTesting(_ sql: String) throws {
        try run { try writer.writeWithoutTransaction { try $0.execute(sql: sql) } }
    }

    /// A new database file with the schema as `migration` left it (an older kiosk's file).
    static func createForTesting(path: String, upTo migration: String, _ sql: String) throws {
        try bulkLoad(path: path, upTo: migration) { try $0.execute(sql: sql) }
    }

    /// Fills a new file for a benchmark: `load` runs in one transaction on the schema before
    /// the word index (v5), then the file is brought up to date, which builds that index in
    /// one pass instead of row by row through its triggers (a million rows: about 85 s, not 260).
    public static func bulkLoad(path: String, _ load: (Database) throws -> Void) throws {
        try bulkLoad(path: path, upTo: "v5-search", load)
        _ = try SQLiteKioskStore(path: path)
    }

    private static func bulkLoad(path: String, upTo migration: String, _ load: (Database) throws -> Void) throws {
        try FilePreparation.prepare(path: path)
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: migration)
        try queue.write(load)
        try queue.close()
    }

    /// The references `find` reads past the exact reference: by the word index (v6), nil
    /// when it cannot answer alone, and by the trigram index (v5).
    func wordIndexReferencesForTesting(_ needle: String, limit: Int) throws -> [String]? {
        try read { db in
            try Self.wordsContaining(needle, db).map { try Self.followUps(holding: $0, limit: limit, db).map(\.reference) }
        }
    }

    func trigramReferencesForTesting(_ needle: String, limit: Int) throws -> [String] {
        try read { db in try Self.trigramFollowUps(needle, limit: limit, db).map(\.reference) }
    }

    // MARK: - Access

    /// One `BEGIN IMMEDIATE ... COMMIT`; returns after COMMIT has returned.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try run {
            try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// Like `write`, for what nobody is told was saved (a session's start, its anonymous
    /// assessment): committed without waiting for the disk (`synchronous = NORMAL`, for this
    /// one transaction). The write-ahead log is written in order, so the next synchronous
    /// commit (a booking) or checkpoint makes it durable too; a crash of the kiosk alone
    /// loses nothing, a power cut may lose it. Spares a client one or two disk flushes.
    func writeSyncedLater<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try run {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                let outcome = Result { () throws -> T in
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        return .commit
                    }
                    return result!
                }
                // Every other write waits for the disk again, whatever happened above.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                return try outcome.get()
            }
        }
    }

    /// Like `write`, but a `DeskError` thrown by `body` (a refusal: nothing was changed)
    /// comes out as it is; every other failure becomes a `StoreError`.
    func deskWrite<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DeskError {
            throw error
        } catch {
            throw StoreError.wrap(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try run { try writer.read(body) }
    }

    private func run<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw StoreError.wrap(error) }
    }

    // MARK: - Rows

    static func followUp(from row: Row) throws -> FollowUp {
        let reference = try row.decode(String.self, forColumn: "reference")
        let statusText = try row.decode(String.self, forColumn: "status")
        guard let status = FollowUpStatus(rawValue: statusText) else {
            throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(statusText)'")
        }
        let request = FollowUpRequest(
            assessmentID: try row.decode(String.self, forColumn: "assessment_id"),
            createdAt: try date(row, "created_at"),
            event: try row.decode(String?.self, forColumn: "event"),
            language: try row.decode(String.self, forColumn: "language"),
            name: try row.decode(String.self, forColumn: "name"),
            phone: try row.decode(String?.self, forColumn: "phone"),
            email: try row.decode(String?.self, forColumn: "email"),
            discipline: try row.decode(String?.self, forColumn: "discipline"),
            professional: try row.decode(String?.self, forColumn: "professional"),
            preferredTimes: try decodeJSON([String].self, row, "preferred_times_json"),
            consent: try row.decode(Bool.self, forColumn: "consent"),
            afterMedicalClearance: try row.decode(Bool.self, forColumn: "after_clearance"),
            referral: try row.decode(Bool.self, forColumn: "referral"),
            passOnConsent: try row.decode(Bool.self, forColumn: "pass_on_consent"))
        return FollowUp(reference: reference, request: request, status: status)
    }

    static func date(_ row: Row, _ column: String) throws -> Date {
        let text = try row.decode(String.self, forColumn: column)
        guard let date = StoredDate.date(text) else {
            throw StoreError.io(reason: "unreadable date '\(text)' in column \(column)")
        }
        return date
    }

    private static func json<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.io(reason: "cannot encode a record: \(error)")
        }
    }

    private static func decodeJSON<T: Decodable>(_ type: T.Type, _ row: Row, _ column: String) throws -> T {
        let text = try row.decode(String.self, forColumn: column)
        // Lists of ids (preferred times, options) are read for every row of an export:
        // a plain ["a","b"] without escapes is split here; anything else goes to JSONDecoder.
        if T.self == [String].self, let list = plainStringList(text) { return list as! T }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.io(reason: "unreadable JSON in column \(column)")
        }
    }

    /// `["a","b"]` (no escapes) as strings, read byte by byte; nil if not that simple.
    static func plainStringList(_ text: String) -> [String]? {
        var result: [String]?
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0, out: [String] = []
            func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
            guard bytes.first == UInt8(ascii: "[") else { return }
            i = 1
            skipSpaces()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { result = i == bytes.count - 1 ? [] : nil; return }
            while i < bytes.count {
                guard bytes[i] == 0x22 else { return }
                let start = i + 1
                var end = start
                while end < bytes.count, bytes[end] != 0x22 {
                    if bytes[end] == UInt8(ascii: "\\") { return }
                    end += 1
                }
                guard end < bytes.count else { return }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                i = end + 1
                skipSpaces()
                guard i < bytes.count else { return }
                if bytes[i] == UInt8(ascii: "]") { result = i == bytes.count - 1 ? out : nil; return }
                guard bytes[i] == UInt8(ascii: ",") else { return }
                i += 1
                skipSpaces()
            }
        }
        return result
    }

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE assessment (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_at TEXT NOT NULL,
                    event TEXT,
                    language TEXT NOT NULL,
                    answers_json TEXT NOT NULL,
                    level TEXT NOT NULL,
                    outcome TEXT,
                    options_shown_json TEXT NOT NULL DEFAULT '[]',
                    options_left_out_json TEXT NOT NULL DEFAULT '[]'
                );
                CREATE INDEX assessment_created_at ON assessment(created_at);

                CREATE TABLE follow_up (
                    reference TEXT PRIMARY KEY NOT NULL,
                    assessment_id TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    event TEXT,
                    language TEXT NOT NULL,
                    name TEXT NOT NULL,
                    phone TEXT,
                    email TEXT,
                    discipline TEXT,
                    professional TEXT,
                    preferred_times_json TEXT NOT NULL DEFAULT '[]',
                    consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
                    after_clearance INTEGER NOT NULL DEFAULT 0 CHECK (after_clearance IN (0, 1)),
                    status TEXT NOT NULL DEFAULT 'requested'
                        CHECK (status IN ('requested', 'contacted', 'booked', 'completed', 'cancelled', 'no_show')),
                    booked_at TEXT,
                    booked_professional TEXT,
                    notes TEXT
                );
                CREATE INDEX follow_up_created_at ON follow_up(created_at);
                CREATE INDEX follow_up_status ON follow_up(status, created_at);

                CREATE TABLE follow_up_event (
                    id INTEGER PRIMARY KEY,
                    reference TEXT NOT NULL REFERENCES follow_up(reference) ON UPDATE CASCADE,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    note TEXT
                );
                CREATE INDEX follow_up_event_reference ON follow_up_event(reference, at);

                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY,
                    assessment_id TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    level TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    event TEXT,
                    acknowledged_at TEXT,
                    acknowledged_by TEXT
                );
                CREATE INDEX alert_open ON alert(acknowledged_at, created_at);

                PRAGMA user_version = 1;
                """)
        }
        migrator.registerMigration("v2-staff-lock") { db in
            // One row: the staff PIN as a salted PBKDF2 hash, and the wrong tries against it.
            try db.execute(sql: """
                CREATE TABLE staff_lock (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    salt BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    rounds INTEGER NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    locked_until TEXT
                );
                PRAGMA user_version = 2;
                """)
        }
        migrator.registerMigration("v3-desk") { db in
            // The booked slot: booked_professional (from v1) with booked_start/booked_end
            // (StoredDate text, end exclusive). booked_at (v1) stays unused: the time a
            // booking was made is in follow_up_event. The columns are kept after the
            // follow-up is completed, cancelled or marked no-show (what was booked); only
            // status 'booked' holds the slot.
            //
            // No two booked follow-ups may hold one professional at overlapping times.
            // `book` checks the overlap inside its BEGIN IMMEDIATE transaction (slots may
            // differ in length); the partial UNIQUE index is the database's last word for
            // the usual case of fixed-length, aligned slots (same professional, same start).
            try db.execute(sql: """
                ALTER TABLE follow_up ADD COLUMN booked_start TEXT;
                ALTER TABLE follow_up ADD COLUMN booked_end TEXT
                    CHECK (booked_end IS NULL OR booked_end > booked_start);
                CREATE UNIQUE INDEX follow_up_booked_slot ON follow_up(booked_professional, booked_start)
                    WHERE booked_start IS NOT NULL AND status = 'booked';
                CREATE INDEX follow_up_by_event ON follow_up(event, created_at);
                CREATE INDEX follow_up_professional ON follow_up(professional, created_at);
                CREATE INDEX follow_up_booked_professional ON follow_up(booked_professional, created_at);
                PRAGMA user_version = 3;
                """)
        }
        migrator.registerMigration("v4-events") { db in
            // Every session a client starts (anonymous: when, where, which language), for
            // the practice's numbers; and a flag the desk sees on an imported request.
            try db.execute(sql: """
                CREATE TABLE session_start (
                    id TEXT PRIMARY KEY NOT NULL,
                    started_at TEXT NOT NULL,
                    event TEXT,
                    language TEXT NOT NULL
                );
                CREATE INDEX session_start_at ON session_start(started_at);
                CREATE INDEX assessment_event ON assessment(event, created_at);
                ALTER TABLE follow_up ADD COLUMN flag TEXT;
                PRAGMA user_version = 4;
                """)
        }
        migrator.registerMigration("v5-search") { db in
            // The desk's `find` looks for any part of a name, phone, email or reference:
            // a trigram full-text index answers that without reading every row, so a
            // search costs about the same at a thousand follow-ups as at a million.
            let digits = SQLiteKioskStore.strippedPhoneSQL
            try db.execute(sql: """
                ALTER TABLE follow_up ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (\(digits)) VIRTUAL;
                CREATE VIRTUAL TABLE follow_up_search USING fts5(
                    reference, name, phone, email, phone_digits,
                    content = 'follow_up', content_rowid = 'rowid', tokenize = 'trigram');
                INSERT INTO follow_up_search(follow_up_search) VALUES ('rebuild');
                CREATE TRIGGER follow_up_search_insert AFTER INSERT ON follow_up BEGIN
                    INSERT INTO follow_up_search(rowid, reference, name, phone, email, phone_digits)
                    VALUES (new.rowid, new.reference, new.name, new.phone, new.email, new.phone_digits);
                END;
                CREATE TRIGGER follow_up_search_delete AFTER DELETE ON follow_up BEGIN
                    INSERT INTO follow_up_search(follow_up_search, rowid, reference, name, phone, email, phone_digits)
                    VALUES ('delete', old.rowid, old.reference, old.name, old.phone, old.email, old.phone_digits);
                END;
                CREATE TRIGGER follow_up_search_update AFTER UPDATE OF reference, name, phone, email ON follow_up BEGIN
                    INSERT INTO follow_up_search(follow_up_search, rowid, reference, name, phone, email, phone_digits)
                    VALUES ('delete', old.rowid, old.reference, old.name, old.phone, old.email, old.phone_digits);
                    INSERT INTO follow_up_search(rowid, reference, name, phone, email, phone_digits)
                    VALUES (new.rowid, new.reference, new.name, new.phone, new.email, new.phone_digits);
                END;
                PRAGMA user_version = 5;
                """)
        }
        migrator.registerMigration("v6-words") { db in
            // The trigram index (v5) finds any part of a field, but a phrase of trigrams
            // is an AND of their row lists: for a surname made of common trigrams it steps
            // through thousands of rows that have the trigrams but not the name, so a page
            // of 50 hits costs ever more as the follow-ups grow. Here the same fields are
            // also split into words: each distinct word once (follow_up_word), its own
            // trigram index (a word list is small), and the follow-ups that hold it
            // (follow_up_word_row, newest first by index order). Text without a word
            // separator lies inside one word, so the follow-ups holding the words that
            // contain it are exactly the ones the trigram index would find.
            //
            // Words shorter than three characters or of digits only are left out: `find`
            // only asks for text of three or more characters with a non-digit in it here.
            // A word stays in follow_up_word when its last follow-up changes (harmless:
            // it finds no rows); follow_up_word_row follows every insert, update and delete.
            let rowWords = { (row: String) in SQLiteKioskStore.wordsSQL(of: row) }
            let keep = SQLiteKioskStore.keptWordSQL
            // A follow-up's words: added for its new values, removed for its old ones.
            let addNewWords = """
                    INSERT OR IGNORE INTO follow_up_word (word)
                        SELECT value FROM \(rowWords("new")) WHERE \(keep("value"));
                    INSERT OR IGNORE INTO follow_up_word_row (word_id, row)
                        SELECT id, new.rowid FROM follow_up_word
                        WHERE word IN (SELECT value FROM \(rowWords("new")) WHERE \(keep("value")));
                """
            let removeOldWords = """
                    DELETE FROM follow_up_word_row WHERE row = old.rowid AND word_id IN (
                        SELECT id FROM follow_up_word WHERE word IN (SELECT value FROM \(rowWords("old"))));
                """
            try db.execute(sql: """
                CREATE TABLE follow_up_word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
                CREATE TABLE follow_up_word_row (
                    word_id INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (word_id, row)
                ) WITHOUT ROWID;
                CREATE VIRTUAL TABLE follow_up_word_search USING fts5(
                    word, content = 'follow_up_word', content_rowid = 'id', tokenize = 'trigram');
                INSERT OR IGNORE INTO follow_up_word (word)
                    SELECT w.value FROM follow_up, \(rowWords("follow_up")) AS w WHERE \(keep("w.value"));
                INSERT OR IGNORE INTO follow_up_word_row (word_id, row)
                    SELECT follow_up_word.id, follow_up.rowid
                    FROM follow_up, \(rowWords("follow_up")) AS w JOIN follow_up_word ON follow_up_word.word = w.value
                    WHERE \(keep("w.value"));
                INSERT INTO follow_up_word_search(follow_up_word_search) VALUES ('rebuild');
                INSERT INTO follow_up_word_search(follow_up_word_search) VALUES ('optimize');
                CREATE TRIGGER follow_up_word_insert AFTER INSERT ON follow_up_word BEGIN
                    INSERT INTO follow_up_word_search(rowid, word) VALUES (new.id, new.word);
                END;
                CREATE TRIGGER follow_up_words_insert AFTER INSERT ON follow_up BEGIN
                \(addNewWords)
                END;
                CREATE TRIGGER follow_up_words_delete AFTER DELETE ON follow_up BEGIN
                \(removeOldWords)
                END;
                CREATE TRIGGER follow_up_words_update AFTER UPDATE OF reference, name, phone, email ON follow_up BEGIN
                \(removeOldWords)
                \(addNewWords)
                END;
                PRAGMA user_version = 6;
                """)
        }
        migrator.registerMigration("v7-folded-search") { db in
            // `find nunez` finds "Núñez": the indexes (v5, v6) hold a name and an email folded
            // (accents removed, lower case: TextSafety.folded) by the kiosk when it writes them,
            // in name_key and email_key. A key is NULL for text of ASCII alone, which the
            // trigram indexes already match in any case: then the text itself is indexed, as
            // before. Rows written before (or by another program) are folded here; only those
            // with other characters change, through the triggers, which take out what v5 and v6
            // indexed for them and put in their keys. A change to TextSafety.folded needs a
            // migration that folds every key again. (FTS5's 'rebuild' of follow_up_search would
            // read the raw columns, not the keys: after v7, rebuild it from these triggers' fields.)
            try db.execute(sql: """
                ALTER TABLE follow_up ADD COLUMN name_key TEXT;
                ALTER TABLE follow_up ADD COLUMN email_key TEXT;
                DROP TRIGGER follow_up_search_insert;
                DROP TRIGGER follow_up_search_delete;
                DROP TRIGGER follow_up_search_update;
                DROP TRIGGER follow_up_words_insert;
                DROP TRIGGER follow_up_words_delete;
                DROP TRIGGER follow_up_words_update;
                \(SQLiteKioskStore.searchTriggersSQL)
                """)
            // Never lowered: a later migration (v8) may have run first on a file from a branch
            // developed beside this one; GRDB runs a missing earlier migration after it.
            if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < 7 { try db.execute(sql: "PRAGMA user_version = 7") }
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid, name, email FROM follow_up WHERE name GLOB '*[^ -~]*' OR email GLOB '*[^ -~]*'
                """)
            let update = try db.makeStatement(sql: "UPDATE follow_up SET name_key = ?, email_key = ? WHERE rowid = ?")
            for row in rows {
                let name: String? = row["name"], email: String? = row["email"]
                try update.execute(arguments: [name.flatMap(searchKey), email.flatMap(searchKey), row["rowid"] as Int64])
            }
        }
        migrator.registerMigration("v8-referrals") { db in
            // A referral is a follow-up whose professional is a partner outside the practice
            // (directory.yaml), with the client's consent to pass their contact on to them.
            try db.execute(sql: """
                ALTER TABLE follow_up ADD COLUMN referral INTEGER NOT NULL DEFAULT 0 CHECK (referral IN (0, 1));
                ALTER TABLE follow_up ADD COLUMN pass_on_consent INTEGER NOT NULL DEFAULT 0
                    CHECK (pass_on_consent IN (0, 1));
                CREATE INDEX follow_up_referral ON follow_up(referral, status, created_at);
                PRAGMA user_version = 8;
                """)
        }
        migrator.registerMigration("v9-returning") { db in
            // A returning client's later visit is linked to the follow-up it belongs to
            // (assessment.follow_up, its reference), only with the client's consent; the
            // follow-up's own assessment is its first visit. Purge removes the links.
            // return_lock: the wrong code-and-factor pairs of each kiosk, as staff_lock keeps
            // the PIN's (ReturningLock.kiosk). return_guard: the wrong factors in a row of each
            // code, whatever kiosk asked (ReturningLock.code).
            try db.execute(sql: """
                ALTER TABLE assessment ADD COLUMN follow_up TEXT;
                CREATE INDEX assessment_follow_up ON assessment(follow_up, created_at) WHERE follow_up IS NOT NULL;
                CREATE TABLE return_lock (
                    kiosk TEXT PRIMARY KEY NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    total_failures INTEGER NOT NULL DEFAULT 0,
                    last_failure_at TEXT,
                    locked_until TEXT
                );
                CREATE TABLE return_guard (
                    reference TEXT PRIMARY KEY NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    locked_until TEXT
                );
                PRAGMA user_version = 9;
                """)
        }
        return migrator
    }

    /// The folded form a name or email is indexed by (v7), nil when the text is ASCII alone
    /// (the indexes then hold the text itself). `find` folds what it is given the same way.
    public static func searchKey(_ text: String) -> String? {
        text.utf8.allSatisfy { $0 < 0x80 } ? nil : TextSafety.folded(text)
    }

    /// The fields the search indexes hold for a row (`new`, `old` or a table), keys first.
    static func searchedFields(of row: String) -> [String] {
        ["\(row).reference", "coalesce(\(row).name_key, \(row).name)", "\(row).phone",
         "coalesce(\(row).email_key, \(row).email)", "\(row).phone_digits"]
    }

    /// The triggers that keep the trigram index (v5) and the word index (v6) in step with
    /// follow_up, on the searched fields (v7).
    static var searchTriggersSQL: String {
        func fields(_ row: String) -> String { searchedFields(of: row).joined(separator: ", ") }
        let rowWords = { (row: String) in SQLiteKioskStore.wordsSQL(fields: searchedFields(of: row)) }
        let keep = SQLiteKioskStore.keptWordSQL
        let addNewWords = """
                INSERT OR IGNORE INTO follow_up_word (word)
                    SELECT value FROM \(rowWords("new")) WHERE \(keep("value"));
                INSERT OR IGNORE INTO follow_up_word_row (word_id, row)
                    SELECT id, new.rowid FROM follow_up_word
                    WHERE word IN (SELECT value FROM \(rowWords("new")) WHERE \(keep("value")));
            """
        let removeOldWords = """
                DELETE FROM follow_up_word_row WHERE row = old.rowid AND word_id IN (
                    SELECT id FROM follow_up_word WHERE word IN (SELECT value FROM \(rowWords("old"))));
            """
        let columns = "reference, name, phone, email, phone_digits"
        let changed = "reference, name, phone, email, name_key, email_key"
        return """
            CREATE TRIGGER follow_up_search_insert AFTER INSERT ON follow_up BEGIN
                INSERT INTO follow_up_search(rowid, \(columns)) VALUES (new.rowid, \(fields("new")));
            END;
            CREATE TRIGGER follow_up_search_delete AFTER DELETE ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, \(columns)) VALUES ('delete', old.rowid, \(fields("old")));
            END;
            CREATE TRIGGER follow_up_search_update AFTER UPDATE OF \(changed) ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, \(columns)) VALUES ('delete', old.rowid, \(fields("old")));
                INSERT INTO follow_up_search(rowid, \(columns)) VALUES (new.rowid, \(fields("new")));
            END;
            CREATE TRIGGER follow_up_words_insert AFTER INSERT ON follow_up BEGIN
            \(addNewWords)
            END;
            CREATE TRIGGER follow_up_words_delete AFTER DELETE ON follow_up BEGIN
            \(removeOldWords)
            END;
            CREATE TRIGGER follow_up_words_update AFTER UPDATE OF \(changed) ON follow_up BEGIN
            \(removeOldWords)
            \(addNewWords)
            END;
            """
    }

    /// The characters that end a word for the word index (v6). A comma comes first: the
    /// others are replaced by `","`, which holds one. None of them is a letter or digit,
    /// nor part of an escape that json_quote writes (`\"`, `\\`, `\n`, `\u0001`).
    /// The v6 triggers hold this list as it was then: changing it needs a new migration.
    public static let wordSeparators: [Character] = [",", " ", ".", "@", "-", "+", "(", ")", "/", ";", ":", "_", "'"]

    /// The words of a follow-up's reference, name, phone, email and phone digits (`row` is
    /// a table name, or `new`/`old` in a trigger) as a table-valued json_each: the fields,
    /// joined by spaces, as one JSON string whose separators become `","`.
    static func wordsSQL(of row: String) -> String {
        wordsSQL(fields: ["reference", "name", "phone", "email", "phone_digits"].map { "\(row).\($0)" })
    }

    /// The words of these SQL expressions, as `wordsSQL(of:)` gives them.
    static func wordsSQL(fields expressions: [String]) -> String {
        let fields = expressions
            .map { "coalesce(CAST(\($0) AS TEXT), '')" }.joined(separator: " || ' ' || ")
        let list = wordSeparators.reduce("json_quote(\(fields))") { sql, separator in
            "replace(\(sql), '\(separator == "'" ? "''" : String(separator))', '\",\"')"
        }
        return "json_each('[' || \(list) || ']')"
    }

    /// Which words the word index keeps: three characters or more, not only digits.
    static func keptWordSQL(_ value: String) -> String {
        "length(\(value)) >= 3 AND \(value) GLOB '*[^0-9]*'"
    }

    /// Brings the schema up to date; throws `StoreError.newerSchema` for a newer file,
    /// and lets GRDB's errors through for the caller to map or retry.
    /// True when every migration this build knows has run, and no other.
    private static func isUpToDate(_ db: Database) throws -> Bool {
        guard try Int.fetchOne(db, sql: "PRAGMA user_version") == schemaVersion,
              try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'") == true
        else { return false }
        return try migrator.hasCompletedMigrations(db) && !migrator.hasBeenSuperseded(db)
    }

    private static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = Self.migrator
        let (version, superseded, applied) = try writer.read { db in
            let exists = try db.tableExists("grdb_migrations")
            return (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    exists ? try migrator.hasBeenSuperseded(db) : false,
                    exists ? try migrator.appliedIdentifiers(db).count : 0)
        }
        if version > schemaVersion || superseded {
            throw StoreError.newerSchema(found: max(version, applied), known: schemaVersion)
        }
        // Another program (the front desk) may be migrating the same new file at this
        // moment: a migration of ours then fails ("table already exists", "locked").
        // Migrating again picks up where that program got to, so retry for a while.
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                let done = (try? writer.read { try migrator.hasCompletedMigrations($0) }) ?? false
                if done { return }
                attempt += 1
                if attempt >= 50 { throw error }
                usleep(100_000)
            }
        }
    }
}
