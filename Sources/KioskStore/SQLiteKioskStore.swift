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
    public convenience init(path: String, create: Bool = true) throws(StoreError) {
        try self.init(path: path, create: create, migrate: true)
    }

    /// The database at `path` when the file is there and already at this build's schema;
    /// nil when it is missing, needs a migration or cannot be opened (the caller then opens
    /// it with `init(path:create:)`, which makes, migrates or explains). Creates and migrates
    /// nothing, so the kiosk opens it this way while it reads its content.
    public static func openIfCurrent(path: String) -> SQLiteKioskStore? {
        try? SQLiteKioskStore(path: path, create: false, migrate: false)
    }

    private struct NotCurrent: Error {}

    private init(path: String, create: Bool, migrate: Bool) throws(StoreError) {
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
                if try !queue.read(Self.isUpToDate) {
                    guard migrate else { throw NotCurrent() }
                    try Self.migrate(queue)
                }
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
            let code = try ReferenceCode.drawFree(makeCode) { try !Self.isTaken(db, reference: $0) }
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

    /// Whether a follow-up has this reference (a new code must not).
    static func isTaken(_ db: Database, reference: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM follow_up WHERE reference = ?)",
                          arguments: [reference]) ?? true
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
                func text(_ column: String) throws -> String? { try row.decode(String?.self, forColumn: column) }
                let to = try StoredValues.historyTarget(text("to_status"), of: reference)
                return FollowUpEvent(reference: reference, at: try Self.date(row, "at"),
                                     actor: try row.decode(String.self, forColumn: "actor"),
                                     from: try StoredValues.historyStatus(text("from_status"), of: reference), to: to,
                                     note: try text("note"))
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

    private static func json<T: Encodable>(_ value: T) throws(StoreError) -> String { try StoredValues.json(value) }

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

    // MARK: - Search keys

    /// The folded form a name or email is indexed by (v7), nil when the text is ASCII alone
    /// (the indexes then hold the text itself). `find` folds what it is given the same way.
    public static func searchKey(_ text: String) -> String? {
        text.utf8.allSatisfy { $0 < 0x80 } ? nil : TextSafety.folded(text)
    }
}
