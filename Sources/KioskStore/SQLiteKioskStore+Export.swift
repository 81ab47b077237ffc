import Foundation
import GRDB
import GRDBSQLite
import KioskCore

/// `kiosk export csv` on SQLite: one prepared statement stepped row by row, its columns
/// read by index as the bytes SQLite holds, and each record written by
/// `FollowUpCSVEncoder` into one reused buffer, handed over in large chunks.
///
/// Decoding a `DeskFollowUp` per row (column lookup by name, a `String` per column, a
/// `Date` per time) and joining `String` cells took most of an export's time. A row that
/// is not plain (a column that is not where the plain path expects it: an unknown status,
/// a time not in the stored form, preferred times that are not a plain JSON list, a NUL in
/// a text) is decoded and written the general way (`deskFollowUp(from:)`, `CSV.row`), so
/// its CSV, or its error, is what it always was.
extension SQLiteKioskStore {
    /// Bytes handed to the writer at a time.
    static let csvChunk = 256 * 1024

    /// The columns a follow-up is made of, in `exportColumn`'s order, not `*`: `*` would
    /// also compute the search index's generated phone_digits column for every row.
    static func exportQuery(since: Date?) -> (String, StatementArguments) {
        let columns = """
            reference, assessment_id, created_at, event, language, name, phone, email, discipline,
            professional, preferred_times_json, consent, after_clearance, status,
            booked_professional, booked_start, booked_end, notes, flag, referral, pass_on_consent
            """
        if let since {
            return ("SELECT \(columns) FROM follow_up WHERE created_at >= ? ORDER BY created_at, rowid",
                    [StoredDate.text(since)])
        }
        return ("SELECT \(columns) FROM follow_up ORDER BY created_at, rowid", [])
    }

    public func writeFollowUpsCSV(since: Date?, clinic: Clinic, timeZone: TimeZone,
                                  _ write: ([UInt8]) throws -> Void) throws -> Int {
        var generalRows = 0
        return try writeFollowUpsCSV(since: since, clinic: clinic, timeZone: timeZone, generalRows: &generalRows, write)
    }

    /// `generalRows`: how many rows were not plain (for the tests).
    func writeFollowUpsCSV(since: Date?, clinic: Clinic, timeZone: TimeZone, generalRows: inout Int,
                           _ write: ([UInt8]) throws -> Void) throws -> Int {
        var encoder = FollowUpCSVEncoder(clinic: clinic, timeZone: timeZone)
        var out = [UInt8]()
        out.reserveCapacity(Self.csvChunk + 16 * 1024)
        var times = [UInt8]()
        var count = 0
        var writeError: (any Error)?
        try read { db in
            let (sql, arguments) = Self.exportQuery(since: since)
            let statement = try db.makeStatement(sql: sql)
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            let sqlite = statement.sqliteStatement
            while let row = try cursor.next() {
                let plain = Self.withStoredFields(sqlite, times: &times) { encoder.append($0, to: &out) }
                if !plain {
                    generalRows += 1
                    let item = try Self.deskFollowUp(from: row)
                    out.append(contentsOf: CSV.row(CSV.followUpCells(item, clinic: clinic, timeZone: timeZone)).utf8)
                }
                count += 1
                if out.count >= Self.csvChunk {
                    do { try write(out) } catch { writeError = error; return }
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        if let writeError { throw writeError }
        if !out.isEmpty { try write(out) }
        return count
    }

    /// Calls `body` with the current row's fields read by index (the order of
    /// `exportQuery`), and returns true; returns false without calling it when the row
    /// is not plain (see above).
    private static func withStoredFields(_ s: SQLiteStatement, times: inout [UInt8],
                                         _ body: (StoredFollowUpFields) -> Void) -> Bool {
        /// A column's text as SQLite holds it (numbers as SQLite writes them, as GRDB reads
        /// a `String`): `.null`, or nil when it holds a NUL (GRDB's `String` ends there).
        func text(_ index: Int32) -> UnsafeBufferPointer<UInt8>?? {
            if sqlite3_column_type(s, index) == SQLITE_NULL { return .some(nil) }
            guard let pointer = sqlite3_column_text(s, index) else { return nil }
            let count = Int(sqlite3_column_bytes(s, index))
            guard memchr(pointer, 0, count) == nil else { return nil }
            return .some(UnsafeBufferPointer(start: pointer, count: count))
        }
        func required(_ index: Int32) -> UnsafeBufferPointer<UInt8>? { text(index) ?? nil }
        func bool(_ index: Int32) -> Bool? {
            sqlite3_column_type(s, index) == SQLITE_NULL ? nil : sqlite3_column_int64(s, index) != 0
        }
        guard let reference = required(0),
              sqlite3_column_type(s, 1) != SQLITE_NULL,                 // assessment_id, not exported
              let created = required(2).flatMap(StoredDate.seconds),
              let event = text(3), let language = required(4), let name = required(5),
              let phone = text(6), let email = text(7), let discipline = text(8), let professional = text(9),
              let timesJSON = required(10), Self.plainList(timesJSON, joinedInto: &times),
              bool(11) != nil, let afterClearance = bool(12),            // consent, not exported
              let statusText = required(13), let status = Self.status(statusText),
              let bookedProfessional = text(14), let bookedStart = text(15), let bookedEnd = text(16),
              let notes = text(17), let referral = bool(19), bool(20) != nil
        else { return false }
        var appointment: (professional: UnsafeBufferPointer<UInt8>, start: Int64, end: Int64)?
        if let bookedProfessional, let bookedStart, let bookedEnd {
            guard let start = StoredDate.seconds(bookedStart), let end = StoredDate.seconds(bookedEnd) else { return false }
            appointment = (bookedProfessional, start, end)
        }
        times.withUnsafeBufferPointer { preferred in
            body(StoredFollowUpFields(
                reference: reference, createdAt: created, status: status, name: name, phone: phone, email: email,
                discipline: discipline, professional: professional, preferredTimes: preferred,
                appointment: appointment, event: event, language: language,
                afterMedicalClearance: afterClearance, notes: notes, referral: referral))
        }
        return true
    }

    private static let statuses = FollowUpStatus.allCases.map { ($0, Array($0.rawValue.utf8)) }

    private static func status(_ text: UnsafeBufferPointer<UInt8>) -> FollowUpStatus? {
        statuses.first { $0.1.elementsEqual(text) }?.0
    }

    /// A `["a","b"]` list of printable ASCII without escapes (what `plainStringList`
    /// reads), its items joined by "; " into `out`; false for anything else.
    static func plainList(_ bytes: UnsafeBufferPointer<UInt8>, joinedInto out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }), bytes.first == UInt8(ascii: "[") else { return false }
        var i = 1
        func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
        skipSpaces()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { return i == bytes.count - 1 }
        var first = true
        while i < bytes.count {
            guard bytes[i] == 0x22 else { return false }
            var end = i + 1
            while end < bytes.count, bytes[end] != 0x22 {
                if bytes[end] == UInt8(ascii: "\\") { return false }
                end += 1
            }
            guard end < bytes.count else { return false }
            if !first { out.append(0x3B); out.append(0x20) }
            first = false
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]))
            i = end + 1
            skipSpaces()
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "]") { return i == bytes.count - 1 }
            guard bytes[i] == UInt8(ascii: ",") else { return false }
            i += 1
            skipSpaces()
        }
        return false
    }
}

extension StoredDate {
    /// Whole seconds since 1970 of a time in the form `text(_:)` writes,
    /// "YYYY-MM-DDTHH:MM:SS.fffZ" (the same as `date(_:)` rounded down); nil for any
    /// other form (then `date(_:)` decides).
    static func seconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b[19] == 0x2E, b[23] == 0x5A else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2), number(20, 3) != nil,
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // Days since 1970-01-01 (H. Hinnant's days_from_civil), as timegm counts them.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days * 86_400 + hour * 3600 + minute * 60 + second)
    }
}
