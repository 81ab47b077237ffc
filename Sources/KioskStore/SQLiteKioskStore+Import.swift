#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
import KioskCore

/// `kiosk import`: an event laptop's (or another kiosk's) database brought into this one.
///
/// The source is opened read-only and checked first (missing, not SQLite, damaged, not a
/// kiosk database, newer schema: `StoreError`, nothing imported). Its rows are read in one
/// read transaction, then copied by `ImportPlan` (KioskCore, the rules and the walk) in ONE
/// `BEGIN IMMEDIATE` transaction: all or nothing. A row that does not fit is refused on its
/// own, inside a savepoint, and reported; the rest goes on.
extension SQLiteKioskStore {
    /// Reads the kiosk database file at `path` (read-only, checked as for `importDatabase`)
    /// into plain values, for `ImportPlan` (on this store or another kind, PostgreSQL).
    public static func readImportSource(path: String) throws(StoreError) -> ImportSource {
        let queue = try openImportSource(path)
        defer { try? queue.close() }
        return try readSource(queue, path: path) { db, version in
            try importSource(db, file: (path as NSString).lastPathComponent, version: version)
        }
    }

    /// The schema version of the kiosk database at `path`, opened read-only and checked.
    /// - Throws: `StoreError.io` when the file is missing, not a SQLite database, damaged
    ///   or not a kiosk database; `.newerSchema` when a newer kiosk wrote it.
    @discardableResult
    public static func checkImportSource(path: String) throws(StoreError) -> Int {
        let queue = try openImportSource(path)
        defer { try? queue.close() }
        return try readSource(queue, path: path) { db, version in version }
    }

    /// Brings the kiosk database at `path` into this one (see the type's notes).
    /// `makeCode` draws a reference code for a follow-up whose code is taken here.
    public func importDatabase(from path: String, now: Date,
                               makeCode: (() -> String)? = nil) throws(StoreError) -> ImportReport {
        if let own = self.path, Self.sameFile(own, path) {
            throw StoreError.io(reason: "\(path) is the database it would be imported into")
        }
        let source = try Self.readImportSource(path: path)
        return try write { db in
            try ImportPlan.run(source, now: now, draw: makeCode ?? ReferenceCode.random, into: ImportInto(db: db))
        }
    }

    // MARK: - The source file

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Opens `path` read-only. SQLite never writes the main file through this connection.
    private static func openImportSource(_ path: String) throws(StoreError) -> DatabaseQueue {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StoreError.io(reason: "\(path) does not exist")
        }
        guard !isFolder.boolValue else {
            throw StoreError.io(reason: "\(path) is a folder, not a kiosk database file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StoreError.io(reason: "\(path) cannot be read (permission denied)")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "KioskImportSource"
        do {
            return try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw sourceError(path, error)
        }
    }

    /// Checks the file is a healthy kiosk database this kiosk can read, then runs `body`
    /// in one read transaction (a consistent snapshot) with its schema version.
    private static func readSource<T>(_ queue: DatabaseQueue, path: String,
                                      _ body: (Database, Int) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw StoreError.io(reason: "\(path) is damaged (\(oneLine(check.prefix(3).joined(separator: "; "))))")
                }
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                let needed: Set<String> = ["grdb_migrations", "assessment", "follow_up", "follow_up_event", "alert"]
                guard needed.isSubset(of: tables),
                      try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = 'v1')") ?? false
                else {
                    throw StoreError.io(reason: "\(path) is a SQLite database but not a kiosk database")
                }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let migrator = Self.migrator
                let applied = try migrator.appliedIdentifiers(db).count
                let superseded = try migrator.hasBeenSuperseded(db)
                if version > schemaVersion || superseded {
                    throw StoreError.newerSchema(found: max(version, applied), known: schemaVersion)
                }
                return try body(db, version)
            }
        } catch {
            throw sourceError(path, error)
        }
    }

    private static func sourceError(_ path: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return .io(reason: "\(path): \(oneLine(String(describing: error)))") }
        return .file(path, error)
    }

    private static func oneLine(_ text: String) -> String { StoreError.oneLine(text) }

    /// Everything the import copies, read in one snapshot.
    private static func importSource(_ db: Database, file: String, version: Int) throws -> ImportSource {
        func rows(_ sql: String) throws -> [ImportRow] { try Row.fetchAll(db, sql: sql).map(ImportRow.init) }
        let followUps = try rows("SELECT * FROM follow_up ORDER BY created_at, rowid")
        let references = Set(followUps.compactMap { $0.text("reference") })
        var events: [String: [ImportRow]] = [:], orphanEvents: [ImportRow] = []
        for event in try rows("SELECT * FROM follow_up_event ORDER BY at, id") {
            if let reference = event.text("reference"), references.contains(reference) {
                events[reference, default: []].append(event)
            } else {
                orphanEvents.append(event)
            }
        }
        return ImportSource(
            file: file, version: version,
            assessments: try rows("SELECT * FROM assessment ORDER BY created_at, rowid"),
            sessions: try db.tableExists("session_start") ? rows("SELECT * FROM session_start ORDER BY started_at, rowid") : [],
            followUps: followUps, events: events, orphanEvents: orphanEvents,
            alerts: try rows("SELECT * FROM alert ORDER BY created_at, id"))
    }
}

extension ReferenceCode {
    /// A code drawn with the system's random numbers: the stores' default for `kiosk import`.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }
}

extension ImportRow {
    /// The row as GRDB read it from the file, every value kept as it was stored.
    init(_ row: Row) {
        var values: [String: Value] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: values[column] = .null
            case let .int64(n): values[column] = .integer(n)
            case let .double(x): values[column] = .real(x)
            case let .string(text): values[column] = .text(text)
            case let .blob(data): values[column] = .blob(Array(data))
            }
        }
        self.init(values: values)
    }

    /// A column's value as it was in the file, to be stored as it is.
    func databaseValue(_ column: String) -> DatabaseValue {
        switch value(column) {
        case .null: return .null
        case let .integer(n): return n.databaseValue
        case let .real(x): return x.databaseValue
        case let .text(text): return text.databaseValue
        case let .blob(bytes): return Data(bytes).databaseValue
        }
    }

    func values(_ columns: [String]) -> StatementArguments { StatementArguments(columns.map(databaseValue)) }
}

/// `ImportPlan`'s primitives in SQLite, inside the import's one write transaction.
private struct ImportInto: ImportTarget {
    let db: Database

    static let followUpColumns = [
        "reference", "assessment_id", "created_at", "event", "language", "name", "phone", "email",
        "discipline", "professional", "preferred_times_json", "consent", "after_clearance", "status",
        "booked_at", "booked_professional", "notes", "booked_start", "booked_end", "flag",
        "referral", "pass_on_consent",
    ]

    func attempt(_ body: () throws -> Void) throws -> String? {
        var refusal: String?
        try db.inSavepoint {
            do {
                try body()
                return .commit
            } catch let error as DatabaseError
                where [.SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG].contains(error.resultCode) {
                refusal = "does not fit this database (\(DatabaseError.explain(error)))"
                return .rollback
            } catch let problem as ImportRules.RowProblem {
                refusal = problem.reason
                return .rollback
            }
        }
        return refusal
    }

    func insertAssessment(_ row: ImportRow) throws -> Bool {
        let columns = ["id", "created_at", "event", "language", "answers_json", "level", "outcome",
                       "options_shown_json", "options_left_out_json"]
        try db.execute(sql: """
            INSERT INTO assessment (\(columns.joined(separator: ", ")))
            VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT(id) DO NOTHING
            """, arguments: row.values(columns))
        return db.changesCount > 0
    }

    func insertSession(_ row: ImportRow) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO session_start (id, started_at, event, language) VALUES (?, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """, arguments: row.values(["id", "started_at", "event", "language"]))
        return db.changesCount > 0
    }

    func hasAlert(_ row: ImportRow) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM alert WHERE assessment_id = ? AND created_at = ? AND outcome IS ?)
            """, arguments: row.values(["assessment_id", "created_at", "outcome"])) ?? false
    }

    func insertAlert(_ row: ImportRow) throws {
        try db.execute(sql: """
            INSERT INTO alert (assessment_id, created_at, level, outcome, event, acknowledged_at, acknowledged_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: row.values(["assessment_id", "created_at", "level", "outcome", "event",
                                        "acknowledged_at", "acknowledged_by"]))
    }

    func forEachContact(_ body: (String, String?, String?) -> Void) throws {
        let contacts = try Row.fetchCursor(db, sql: """
            SELECT reference, phone, email FROM follow_up
            WHERE phone IS NOT NULL OR email IS NOT NULL ORDER BY created_at, rowid
            """)
        while let row = try contacts.next() {
            guard let reference = String.fromDatabaseValue(row["reference"] as DatabaseValue) else { continue }
            body(reference, String.fromDatabaseValue(row["phone"] as DatabaseValue),
                 String.fromDatabaseValue(row["email"] as DatabaseValue))
        }
    }

    func hasRequest(assessment: String, createdAt: String) throws -> Bool {
        try String.fetchOne(db, sql: """
            SELECT reference FROM follow_up WHERE assessment_id = ? AND created_at = ? LIMIT 1
            """, arguments: [assessment, createdAt]) != nil
    }

    func slotHolder(professional: String, start: String, end: String) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT reference FROM follow_up
            WHERE status = 'booked' AND booked_professional = ? AND booked_start < ? AND booked_end > ?
            LIMIT 1
            """, arguments: [professional, end, start])
    }

    func isTaken(reference: String) throws -> Bool {
        try SQLiteKioskStore.isTaken(db, reference: reference)
    }

    func insertFollowUp(_ row: ImportRow, reference: String, status: FollowUpStatus, flag: String?) throws {
        let columns = Self.followUpColumns
        var values = columns.map(row.databaseValue)
        values[0] = reference.databaseValue
        values[columns.firstIndex(of: "flag")!] = flag.databaseValue
        // A file from before referrals (v8) holds none.
        for column in ["referral", "pass_on_consent"] where row.value(column) == .null {
            values[columns.firstIndex(of: column)!] = false.databaseValue
        }
        // Folded here, whatever the file held: its kiosk may have been older (v7).
        values.append(row.text("name").flatMap(SQLiteKioskStore.searchKey).databaseValue)
        values.append(row.text("email").flatMap(SQLiteKioskStore.searchKey).databaseValue)
        let all = columns + ["name_key", "email_key"]
        try db.execute(sql: """
            INSERT INTO follow_up (\(all.joined(separator: ", ")))
            VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments(values))
    }

    func hasEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM follow_up_event
                           WHERE reference = ? AND at = ? AND to_status = ? AND actor IS ?)
            """, arguments: [reference, event.databaseValue("at"), to.rawValue, event.databaseValue("actor")]) ?? false
    }

    func insertEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws {
        try db.execute(sql: """
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [reference, event.databaseValue("at"), event.databaseValue("actor"),
                             event.databaseValue("from_status"), to.rawValue, event.databaseValue("note")])
    }

    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws {
        try DeskInto(db: db).recordEvent(reference: reference, at: at, actor: actor, from: from, to: to, note: note)
    }
}

/// The file store is a practice store: stats, import and close are defined in its other files.
extension SQLiteKioskStore: PracticeStore {}

