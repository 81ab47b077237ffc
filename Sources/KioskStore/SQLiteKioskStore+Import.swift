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
/// read transaction, then copied in ONE `BEGIN IMMEDIATE` transaction: all or nothing.
/// A row that does not fit (no contact, unknown status, a slot taken here...) is refused
/// on its own, inside a savepoint, and reported; the rest goes on.
///
/// Importing the same file again adds nothing: assessments, sessions by id; follow-ups by
/// the request itself (assessment id + creation time, whatever its reference here);
/// audit events by (reference, at, to_status, actor); alerts by (assessment, time, outcome).
extension SQLiteKioskStore {
    /// Text shown of a value that came from the other file: safe for a terminal, short.
    private static func shown(_ text: String) -> String { ImportRules.shown(text) }

    /// Reads the kiosk database file at `path` (read-only, checked as for `importDatabase`)
    /// into plain values, for a store of another kind (PostgreSQL) to import.
    public static func readImportSource(path: String) throws(StoreError) -> ImportSource {
        let queue = try openImportSource(path)
        defer { try? queue.close() }
        let data = try readSource(queue, path: path) { db, version in try SourceData(db, version: version) }
        func plain(_ rows: [SourceRow]) -> [ImportRow] { rows.map { ImportRow($0.row) } }
        return ImportSource(version: data.version, assessments: plain(data.assessments), sessions: plain(data.sessions),
                            followUps: plain(data.followUps), events: data.events.mapValues(plain),
                            orphanEvents: plain(data.orphanEvents), alerts: plain(data.alerts))
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
        let queue = try Self.openImportSource(path)
        let source = try Self.readSource(queue, path: path) { db, version in
            try SourceData(db, version: version)
        }
        try? queue.close()

        let name = (path as NSString).lastPathComponent
        var report = ImportReport(source: name, sourceSchemaVersion: source.version)
        var generator = SystemRandomNumberGenerator()
        let draw = makeCode ?? { ReferenceCode.make(using: &generator) }
        return try write { db in
            try Self.copyAssessments(db, source, &report)
            try Self.copySessions(db, source, &report)
            try Self.copyFollowUps(db, source, fileName: name, now: now, draw: draw, &report)
            try Self.copyAlerts(db, source, &report)
            return report
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
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .io(reason: "\(path) is not a SQLite database (or is encrypted)")
        case .SQLITE_CORRUPT:
            return .io(reason: "\(path) is damaged (database disk image is malformed)")
        default:
            return .io(reason: "\(path): \(DatabaseError.explain(error))")
        }
    }

    private static func oneLine(_ text: String) -> String { StoreError.oneLine(text) }

    /// A row of the other file, read by column name; a column its schema lacks reads as NULL.
    /// Values are never decoded with GRDB's trapping subscripts: the file may hold anything.
    struct SourceRow {
        let row: Row
        func value(_ column: String) -> DatabaseValue {
            row.hasColumn(column) ? row[column] as DatabaseValue : .null
        }
        func text(_ column: String) -> String? { String.fromDatabaseValue(value(column)) }
        func number(_ column: String) -> Int64? { Int64.fromDatabaseValue(value(column)) }
        func values(_ columns: [String]) -> StatementArguments {
            StatementArguments(columns.map { value($0) })
        }
    }

    /// Everything the import copies, read in one snapshot.
    struct SourceData {
        var version: Int
        var assessments: [SourceRow]
        var sessions: [SourceRow]
        var followUps: [SourceRow]
        var events: [String: [SourceRow]]
        var orphanEvents: [SourceRow]
        var alerts: [SourceRow]

        init(_ db: Database, version: Int) throws {
            self.version = version
            func rows(_ sql: String) throws -> [SourceRow] { try Row.fetchAll(db, sql: sql).map(SourceRow.init) }
            assessments = try rows("SELECT * FROM assessment ORDER BY created_at, rowid")
            sessions = try db.tableExists("session_start")
                ? rows("SELECT * FROM session_start ORDER BY started_at, rowid") : []
            followUps = try rows("SELECT * FROM follow_up ORDER BY created_at, rowid")
            alerts = try rows("SELECT * FROM alert ORDER BY created_at, id")
            let references = Set(followUps.compactMap { $0.text("reference") })
            events = [:]
            orphanEvents = []
            for event in try rows("SELECT * FROM follow_up_event ORDER BY at, id") {
                if let reference = event.text("reference"), references.contains(reference) {
                    events[reference, default: []].append(event)
                } else {
                    orphanEvents.append(event)
                }
            }
        }
    }

    // MARK: - Copying, inside the one write transaction

    /// Runs `body` in a savepoint: when the row breaks one of this database's constraints,
    /// just that row is undone and the reason comes back; other errors end the import.
    private static func attempt(_ db: Database, _ body: () throws -> Void) throws -> String? {
        var refusal: String?
        try db.inSavepoint {
            do {
                try body()
                return .commit
            } catch let error as DatabaseError
                where [.SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG].contains(error.resultCode) {
                refusal = "does not fit this database (\(DatabaseError.explain(error)))"
                return .rollback
            } catch let error as RowRefusal {
                refusal = error.reason
                return .rollback
            }
        }
        return refusal
    }

    /// A row found unfit half-way through its savepoint.
    private struct RowRefusal: Error { var reason: String }

    private static func isDate(_ text: String?) -> Bool { ImportRules.isDate(text) }

    private static func decodes<T: Decodable>(_ type: T.Type, _ text: String?) -> Bool {
        ImportRules.decodes(type, text)
    }

    private static func copyAssessments(_ db: Database, _ source: SourceData, _ report: inout ImportReport) throws {
        let columns = ["id", "created_at", "event", "language", "answers_json", "level", "outcome",
                       "options_shown_json", "options_left_out_json"]
        for row in source.assessments {
            let id = row.text("id") ?? ""
            func refuse(_ why: String) {
                report.assessments.refused += 1
                report.refusals.append("assessment \(shown(id.isEmpty ? "(no id)" : id)): \(why)")
            }
            if let problem = ImportRules.assessmentProblem(row) { refuse(problem); continue }
            var inserted = false
            let refusal = try attempt(db) {
                try db.execute(sql: """
                    INSERT INTO assessment (\(columns.joined(separator: ", ")))
                    VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                    ON CONFLICT(id) DO NOTHING
                    """, arguments: row.values(columns))
                inserted = db.changesCount > 0
            }
            if let refusal { refuse(refusal) }
            else if inserted { report.assessments.added += 1 }
            else { report.assessments.skipped += 1 }
        }
    }

    private static func copySessions(_ db: Database, _ source: SourceData, _ report: inout ImportReport) throws {
        let columns = ["id", "started_at", "event", "language"]
        for row in source.sessions {
            let id = row.text("id") ?? ""
            func refuse(_ why: String) {
                report.sessions.refused += 1
                report.refusals.append("session \(shown(id.isEmpty ? "(no id)" : id)): \(why)")
            }
            if let problem = ImportRules.sessionProblem(row) { refuse(problem); continue }
            var inserted = false
            let refusal = try attempt(db) {
                try db.execute(sql: """
                    INSERT INTO session_start (id, started_at, event, language) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO NOTHING
                    """, arguments: row.values(columns))
                inserted = db.changesCount > 0
            }
            if let refusal { refuse(refusal) }
            else if inserted { report.sessions.added += 1 }
            else { report.sessions.skipped += 1 }
        }
    }

    private static func copyAlerts(_ db: Database, _ source: SourceData, _ report: inout ImportReport) throws {
        for row in source.alerts {
            let assessment = row.text("assessment_id") ?? ""
            let createdAt = row.text("created_at")
            func refuse(_ why: String) {
                report.alerts.refused += 1
                report.refusals.append("alert for assessment \(shown(assessment.isEmpty ? "(none)" : assessment))"
                                       + " at \(shown(createdAt ?? "?")): \(why)")
            }
            if let problem = ImportRules.alertProblem(row) { refuse(problem); continue }
            let present = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM alert WHERE assessment_id = ? AND created_at = ? AND outcome IS ?)
                """, arguments: [row.value("assessment_id"), row.value("created_at"), row.value("outcome")]) ?? false
            if present { report.alerts.skipped += 1; continue }
            let refusal = try attempt(db) {
                try db.execute(sql: """
                    INSERT INTO alert (assessment_id, created_at, level, outcome, event, acknowledged_at, acknowledged_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: row.values(["assessment_id", "created_at", "level", "outcome", "event",
                                                "acknowledged_at", "acknowledged_by"]))
            }
            if let refusal { refuse(refusal) } else { report.alerts.added += 1 }
        }
    }

    /// Phone numbers compare by their digits alone ("+41 79 123 45 67" = "41791234567");
    /// fewer than 5 digits is not a number worth matching.
    static func phoneKey(_ phone: String?) -> String? { ImportRules.phoneKey(phone) }

    static func emailKey(_ email: String?) -> String? { ImportRules.emailKey(email) }

    private static let followUpColumns = [
        "reference", "assessment_id", "created_at", "event", "language", "name", "phone", "email",
        "discipline", "professional", "preferred_times_json", "consent", "after_clearance", "status",
        "booked_at", "booked_professional", "notes", "booked_start", "booked_end", "flag",
        "referral", "pass_on_consent",
    ]

    private static func copyFollowUps(_ db: Database, _ source: SourceData, fileName: String, now: Date,
                                      draw: () -> String, _ report: inout ImportReport) throws {
        // The contacts this database held before the import (earlier imports included):
        // a new request with one of them is flagged for the desk, never merged.
        var phones: [String: String] = [:], emails: [String: String] = [:]
        let contacts = try Row.fetchCursor(db, sql: """
            SELECT reference, phone, email FROM follow_up
            WHERE phone IS NOT NULL OR email IS NOT NULL ORDER BY created_at, rowid
            """)
        while let row = try contacts.next() {
            guard let reference = String.fromDatabaseValue(row["reference"] as DatabaseValue) else { continue }
            if let key = phoneKey(String.fromDatabaseValue(row["phone"] as DatabaseValue)) { phones[key] = reference }
            if let key = emailKey(String.fromDatabaseValue(row["email"] as DatabaseValue)) { emails[key] = reference }
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
            let (assessment, createdAt, status) = (checked.assessment, checked.createdAt, checked.status)
            let phone = row.text("phone"), email = row.text("email")

            // The same request (whatever its code here) is already in: nothing to do.
            if try String.fetchOne(db, sql: """
                SELECT reference FROM follow_up WHERE assessment_id = ? AND created_at = ? LIMIT 1
                """, arguments: [assessment, createdAt]) != nil {
                report.followUps.skipped += 1
                report.events.skipped += events.count
                continue
            }

            // A booked slot must not double-book a professional here.
            if status == .booked, let professional = row.text("booked_professional"),
               let start = row.text("booked_start"), let end = row.text("booked_end"),
               let holder = try String.fetchOne(db, sql: """
                   SELECT reference FROM follow_up
                   WHERE status = 'booked' AND booked_professional = ? AND booked_start < ? AND booked_end > ?
                   LIMIT 1
                   """, arguments: [professional, end, start]) {
                refuse("booked with \(shown(professional)) at \(shown(start)), a slot \(holder) holds here: book it again by hand")
                continue
            }

            // The code is taken here by another request (two kiosks drew the same): a new one.
            var reference = old
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM follow_up WHERE reference = ?)",
                                 arguments: [old]) ?? true {
                var fresh: String?
                for _ in 0..<maxCodeAttempts {
                    let candidate = draw()
                    guard !candidate.isEmpty, !sourceReferences.contains(candidate) else { continue }
                    let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM follow_up WHERE reference = ?)",
                                                 arguments: [candidate]) ?? true
                    if !used { fresh = candidate; break }
                }
                guard let fresh else { throw StoreError.noFreeReference(attempts: maxCodeAttempts) }
                reference = fresh
            }

            var flags: [String] = []
            let phoneMatch = phoneKey(phone).flatMap { phones[$0] }
            let emailMatch = emailKey(email).flatMap { emails[$0] }
            if let phoneMatch, phoneMatch == emailMatch {
                flags.append("same phone and email as \(phoneMatch)")
            } else {
                if let phoneMatch { flags.append("same phone as \(phoneMatch)") }
                if let emailMatch { flags.append("same email as \(emailMatch)") }
            }
            if let earlier = row.text("flag"), !earlier.isEmpty { flags.append(earlier) }
            let flag = flags.isEmpty ? nil : flags.joined(separator: "; ")

            var added = 0, skipped = 0
            let refusal = try attempt(db) {
                var values = followUpColumns.map { row.value($0) }
                values[0] = reference.databaseValue
                values[followUpColumns.firstIndex(of: "flag")!] = flag.databaseValue
                // A file from before referrals (v8) holds none.
                for column in ["referral", "pass_on_consent"] where row.value(column).isNull {
                    values[followUpColumns.firstIndex(of: column)!] = false.databaseValue
                }
                // Folded here, whatever the file held: its kiosk may have been older (v7).
                values.append(row.text("name").flatMap(searchKey).databaseValue)
                values.append(email.flatMap(searchKey).databaseValue)
                let columns = followUpColumns + ["name_key", "email_key"]
                try db.execute(sql: """
                    INSERT INTO follow_up (\(columns.joined(separator: ", ")))
                    VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                    """, arguments: StatementArguments(values))
                for event in events {
                    guard let to = event.text("to_status"), FollowUpStatus(rawValue: to) != nil,
                          event.text("from_status").map({ FollowUpStatus(rawValue: $0) != nil }) ?? true,
                          isDate(event.text("at")) else {
                        throw RowRefusal(reason: "has an audit event with an unknown status or an unreadable date")
                    }
                    let present = try Bool.fetchOne(db, sql: """
                        SELECT EXISTS (SELECT 1 FROM follow_up_event
                                       WHERE reference = ? AND at = ? AND to_status = ? AND actor IS ?)
                        """, arguments: [reference, event.value("at"), to, event.value("actor")]) ?? false
                    if present { skipped += 1; continue }
                    try db.execute(sql: """
                        INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [reference, event.value("at"), event.value("actor"),
                                         event.value("from_status"), to, event.value("note")])
                    added += 1
                }
                if reference != old {
                    try recordEvent(db, reference: reference, at: now, actor: "import", from: status, to: status,
                                    note: ImportReport.renameNote(file: fileName, old: old, new: reference))
                }
            }
            if let refusal { refuse(refusal); continue }
            report.followUpImported(old: old, as: reference, flagged: flag != nil,
                                    eventsAdded: added, eventsSkipped: skipped, shown: shown)
        }
        report.orphanEventsRefused(references: source.orphanEvents.map { $0.text("reference") }, shown: shown)
    }
}

/// The file store is a practice store: stats, import and close are defined in its other files.
extension SQLiteKioskStore: PracticeStore {}

/// A row of an imported file as plain values, by column name; a column its schema lacks
/// reads as `.null`.
public struct ImportRow: Sendable {
    public enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    public let values: [String: Value]

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
        self.values = values
    }

    public init(values: [String: Value]) { self.values = values }

    public func value(_ column: String) -> Value { values[column] ?? .null }

    /// The value as a whole number (an integer, or text that reads as one).
    public func number(_ column: String) -> Int64? {
        switch value(column) {
        case let .integer(n): return n
        case let .text(text): return Int64(text)
        default: return nil
        }
    }

    /// The value as text, as SQLite would convert it (numbers as their decimal text).
    public func text(_ column: String) -> String? {
        switch value(column) {
        case .null: return nil
        case let .integer(n): return String(n)
        case let .real(x): return String(x)
        case let .text(text): return text
        case let .blob(bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// Everything `kiosk import` copies from an event's file, read in one snapshot.
public struct ImportSource: Sendable {
    public var version: Int
    public var assessments: [ImportRow]
    public var sessions: [ImportRow]
    public var followUps: [ImportRow]
    /// Audit events by the reference of their follow-up (as in the file).
    public var events: [String: [ImportRow]]
    /// Audit events whose follow-up is not in the file.
    public var orphanEvents: [ImportRow]
    public var alerts: [ImportRow]
}

/// A row of the file being imported, read by column name.
public protocol ImportRowText {
    func text(_ column: String) -> String?
    func number(_ column: String) -> Int64?
}

extension ImportRow: ImportRowText {}
extension SQLiteKioskStore.SourceRow: ImportRowText {}

/// The rules `kiosk import` applies to another file's rows, whatever database it imports into.
public enum ImportRules {
    /// Text shown of a value that came from the other file: safe for a terminal, short.
    public static func shown(_ text: String) -> String {
        let safe = TextSafety.display(text)
        return safe.count > 60 ? String(safe.prefix(60)) + "..." : safe
    }

    public static func isDate(_ text: String?) -> Bool { text.flatMap(StoredDate.date) != nil }

    public static func decodes<T: Decodable>(_ type: T.Type, _ text: String?) -> Bool {
        guard let text else { return false }
        return (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) != nil
    }

    // MARK: Rows refused, and why: the same whatever database the file goes into

    public static func assessmentProblem(_ row: some ImportRowText) -> String? {
        if (row.text("id") ?? "").isEmpty { return "has no id" }
        if !isDate(row.text("created_at")) { return "has an unreadable date" }
        guard let level = row.text("level"), TriageLevel(rawValue: level) != nil else {
            return "has an unknown triage level '\(shown(row.text("level") ?? ""))'"
        }
        guard decodes(Answers.self, row.text("answers_json")),
              decodes([String].self, row.text("options_shown_json")),
              decodes([String].self, row.text("options_left_out_json")) else {
            return "has unreadable answers or options"
        }
        return nil
    }

    public static func sessionProblem(_ row: some ImportRowText) -> String? {
        if (row.text("id") ?? "").isEmpty { return "has no id" }
        if !isDate(row.text("started_at")) { return "has an unreadable date" }
        return nil
    }

    public static func alertProblem(_ row: some ImportRowText) -> String? {
        guard isDate(row.text("created_at")) else { return "has an unreadable date" }
        guard let level = row.text("level"), AlertLevel(rawValue: level) != nil else {
            return "has an unknown level '\(shown(row.text("level") ?? ""))'"
        }
        if let acknowledged = row.text("acknowledged_at"), !isDate(acknowledged) {
            return "has an unreadable acknowledgement date"
        }
        return nil
    }

    /// A follow-up the file holds, checked: what importing it needs.
    public struct CheckedFollowUp: Sendable {
        public var assessment: String
        public var createdAt: String
        public var status: FollowUpStatus
    }

    public static func checkFollowUp(_ row: some ImportRowText) -> Result<CheckedFollowUp, RowProblem> {
        if (row.text("reference") ?? "").isEmpty { return .failure("has no reference code") }
        guard let assessment = row.text("assessment_id"), !assessment.isEmpty else { return .failure("has no assessment") }
        guard let createdAt = row.text("created_at"), isDate(createdAt) else { return .failure("has an unreadable date") }
        guard let statusText = row.text("status"), let status = FollowUpStatus(rawValue: statusText) else {
            return .failure(RowProblem("has an unknown status '\(shown(row.text("status") ?? ""))'"))
        }
        let blank = { (column: String, space: CharacterSet) in (row.text(column) ?? "").trimmingCharacters(in: space).isEmpty }
        if blank("name", .whitespacesAndNewlines) && blank("phone", .whitespaces) && blank("email", .whitespaces) {
            return .failure("has no name, phone or email (nothing to follow up)")
        }
        guard decodes([String].self, row.text("preferred_times_json")) else { return .failure("has unreadable preferred times") }
        // A referral is passed on to a partner outside the practice only with the client's OK.
        if row.number("referral") == 1, row.number("pass_on_consent") != 1 {
            return .failure("is a referral to a partner without consent to pass the contact on")
        }
        if let bad = ["booked_start", "booked_end"].first(where: { row.text($0).map { !isDate($0) } ?? false }) {
            return .failure(RowProblem("has an unreadable \(bad.replacingOccurrences(of: "_", with: " "))"))
        }
        return .success(CheckedFollowUp(assessment: assessment, createdAt: createdAt, status: status))
    }

    /// Why a row is refused, as the import report says it.
    public struct RowProblem: Error, Sendable, ExpressibleByStringLiteral {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public init(stringLiteral reason: String) { self.reason = reason }
    }

    /// Phone numbers compare by their digits alone ("+41 79 123 45 67" = "41791234567");
    /// fewer than 5 digits is not a number worth matching.
    public static func phoneKey(_ phone: String?) -> String? {
        guard let phone else { return nil }
        let digits = String(phone.unicodeScalars.filter { $0.isASCII && CharacterSet.decimalDigits.contains($0) })
        return digits.count >= 5 ? digits : nil
    }

    public static func emailKey(_ email: String?) -> String? {
        guard let email else { return nil }
        let key = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return key.isEmpty ? nil : key
    }
}
