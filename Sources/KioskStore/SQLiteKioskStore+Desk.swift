import Foundation
import GRDB
import KioskCore

/// What the front desk needs beside the kiosk: status moves, bookings, lists, search,
/// alerts and the purge of old contact details (schema "v3-desk").
///
/// Every change is one `BEGIN IMMEDIATE` transaction that first reads what it changes
/// (the status, the professional's other bookings), so two desks (or the desk and the
/// kiosk) on one file cannot both act on the same stale state. Refusals throw
/// `DeskError` and change nothing; database failures throw `StoreError`.
extension SQLiteKioskStore: DeskStore {
    /// Rows a purge changes per transaction, so the kiosk never waits long for the write lock.
    static let purgeBatch = 500

    // MARK: - Reading

    public func followUps(_ filter: FollowUpFilter, limit: Int, offset: Int) throws -> [DeskFollowUp] {
        var (whereSQL, arguments) = Self.filterSQL(filter)
        arguments.append(max(0, limit)); arguments.append(max(0, offset))
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM follow_up \(whereSQL)
                ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments)).map(Self.deskFollowUp(from:))
        }
    }

    public func countFollowUps(_ filter: FollowUpFilter) throws -> Int {
        let (whereSQL, arguments) = Self.filterSQL(filter)
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM follow_up \(whereSQL)",
                             arguments: StatementArguments(arguments)) ?? 0
        }
    }

    /// The WHERE clause of a filter (empty for none) and its arguments.
    static func filterSQL(_ filter: FollowUpFilter) -> (String, [(any DatabaseValueConvertible)?]) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status = filter.status {
            clauses.append("status = ?"); arguments.append(status.rawValue)
        }
        if let professional = filter.professional {
            clauses.append("(professional = ? OR booked_professional = ?)")
            arguments.append(professional); arguments.append(professional)
        }
        if let from = filter.from {
            clauses.append("created_at >= ?"); arguments.append(StoredDate.text(from))
        }
        if let until = filter.until {
            clauses.append("created_at < ?"); arguments.append(StoredDate.text(until))
        }
        if let event = filter.event {
            clauses.append("event = ?"); arguments.append(event)
        }
        if let referral = filter.referral {
            clauses.append("referral = ?"); arguments.append(referral)
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    public func deskFollowUp(reference: String) throws -> DeskFollowUp? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM follow_up WHERE reference = ?", arguments: [reference])
                .map(Self.deskFollowUp(from:))
        }
    }

    /// First the follow-up whose reference is `text` (any case, with or without the dash),
    /// then the newest follow-ups whose name, phone, email or reference contains `text`.
    /// A whole, valid reference code that exists returns that follow-up alone (an index
    /// lookup, no scan).
    ///
    /// Accents and case: names and emails are searched by their folded keys (v7), and the
    /// text is folded the same way (`searchKey`), so "nunez", "NUNEZ" and "Núñez" all find
    /// "Núñez"; the indexes and LIKE match ASCII in any case. Phone numbers are also compared
    /// without spaces, dashes, dots, slashes and brackets ("791234567" finds "+41 79 123 45 67").
    /// Text of one or two characters walks the created_at index newest first and stops
    /// after `limit` hits: quick for common text, a full scan (O(rows)) for rare text.
    /// Longer text is looked up, newest first by insertion: text inside one word that few
    /// distinct words hold (a surname) in the word index (v6), a page for about the cost
    /// of its rows however many follow-ups there are; any other in the trigram index (v5).
    public func find(_ text: String, limit: Int) throws -> [DeskFollowUp] {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard limit > 0, !typed.isEmpty else { return [] }
        let references = Self.referenceSpellings(typed)
        let needle = Self.searchKey(typed) ?? typed
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        let pattern = "%" + Self.escapeLike(needle) + "%"
        for column in ["coalesce(name_key, name)", "phone", "coalesce(email_key, email)", "reference"] {
            clauses.append("\(column) LIKE ? ESCAPE '\\'")
            arguments.append(pattern)
        }
        if let digits = Self.phoneDigits(needle) {
            clauses.append("\(Self.strippedPhoneSQL) LIKE ? ESCAPE '\\'")
            arguments.append("%" + Self.escapeLike(digits) + "%")
        }
        let marks = references.map { _ in "?" }.joined(separator: ", ")
        return try read { db in
            var found = try Self.deskFollowUps(db, sql: """
                SELECT \(Self.deskColumns) FROM follow_up WHERE reference IN (\(marks))
                ORDER BY created_at DESC, rowid DESC
                """, arguments: StatementArguments(references))
            found = Array(found.prefix(limit))
            // A whole reference code that exists is what the desk is after: skip the scan.
            if !found.isEmpty, references.contains(where: ReferenceCode.isValid) { return found }
            guard found.count < limit else { return found }
            let exact = found.map(\.reference)
            let rest: [DeskFollowUp]
            if let words = try Self.wordsContaining(needle, db) {
                // Text inside one word, held by few distinct words: the follow-ups that hold
                // those words (v6), newest first by insertion, as the trigram index gives them.
                rest = try Self.followUps(holding: words, limit: limit + exact.count, db)
            } else if needle.count >= 3 {
                // Three characters or more: the trigram index (v5), newest first by insertion.
                rest = try Self.trigramFollowUps(needle, limit: limit + exact.count, db)
            } else {
                rest = try Self.deskFollowUps(db, sql: """
                    SELECT \(Self.deskColumns) FROM follow_up WHERE (\(clauses.joined(separator: " OR ")))
                    ORDER BY created_at DESC, rowid DESC LIMIT ?
                    """, arguments: StatementArguments(arguments + [limit + exact.count]))
            }
            for item in rest where found.count < limit && !exact.contains(item.reference) {
                found.append(item)
            }
            return found
        }
    }

    /// The newest `limit` follow-ups (by rowid) whose fields contain `needle` (three
    /// characters or more), or its digits as a phone number, by the trigram index (v5).
    static func trigramFollowUps(_ needle: String, limit: Int, _ db: Database) throws -> [DeskFollowUp] {
        var phrases = [needle]
        if let digits = phoneDigits(needle), digits.count >= 3 { phrases.append(digits) }
        let match = phrases.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            .joined(separator: " OR ")
        return try deskFollowUps(db, sql: """
            SELECT \(deskColumns) FROM follow_up_search JOIN follow_up ON follow_up.rowid = follow_up_search.rowid
            WHERE follow_up_search MATCH ? ORDER BY follow_up_search.rowid DESC LIMIT ?
            """, arguments: [match, limit])
    }

    /// At most this many distinct words are followed for one `find`; text in more words
    /// (a short or common piece: its rows are dense) goes to the trigram index instead.
    static let wordSearchLimit = 16

    /// The ids of the distinct words (v6) that contain `needle` (any case, as the trigram
    /// index compares), or nil when the word index cannot answer alone: the text is shorter
    /// than three characters (no trigram), holds a word separator (it may span words or
    /// fields), only digits (such words are not kept: phone numbers), or is in more than
    /// `wordSearchLimit` words.
    static func wordsContaining(_ needle: String, _ db: Database) throws -> [Int64]? {
        guard needle.count >= 3, !needle.contains(where: wordSeparators.contains),
              needle.unicodeScalars.contains(where: { !(48...57).contains($0.value) }) else { return nil }
        let phrase = "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let ids = try Int64.fetchAll(db, sql: """
            SELECT rowid FROM follow_up_word_search WHERE follow_up_word_search MATCH ? LIMIT ?
            """, arguments: [phrase, wordSearchLimit + 1])
        return ids.count > wordSearchLimit ? nil : ids
    }

    /// The newest `limit` follow-ups (by rowid) holding any of `words`: each word's newest
    /// `limit` from the index, merged.
    static func followUps(holding words: [Int64], limit: Int, _ db: Database) throws -> [DeskFollowUp] {
        guard !words.isEmpty else { return [] }
        let each = words.map { _ in
            "SELECT row FROM (SELECT row FROM follow_up_word_row WHERE word_id = ? ORDER BY row DESC LIMIT ?)"
        }.joined(separator: " UNION ")
        var arguments = StatementArguments()
        for word in words { arguments += [word, limit] }
        arguments += [limit]
        return try deskFollowUps(db, sql: """
            SELECT \(deskColumns) FROM (\(each) ORDER BY row DESC LIMIT ?) AS hit
            JOIN follow_up ON follow_up.rowid = hit.row ORDER BY hit.row DESC
            """, arguments: arguments)
    }

    /// Follow-ups decoded straight from the statement: a row that GRDB copies (fetchAll)
    /// looks a column up by lowercasing every column name, for each of the 19 a follow-up
    /// reads; the statement's own row looks it up in a table.
    static func deskFollowUps(_ db: Database, sql: String, arguments: StatementArguments) throws -> [DeskFollowUp] {
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var items: [DeskFollowUp] = []
        while let row = try cursor.next() { items.append(try deskFollowUp(from: row)) }
        return items
    }

    /// The columns a follow-up is made of, not `*`: `*` would also compute the search
    /// index's generated phone_digits column for every row read.
    static let deskColumns = """
        follow_up.reference, follow_up.assessment_id, follow_up.created_at, follow_up.event, follow_up.language,
        follow_up.name, follow_up.phone, follow_up.email, follow_up.discipline, follow_up.professional,
        follow_up.preferred_times_json, follow_up.consent, follow_up.after_clearance, follow_up.status,
        follow_up.booked_professional, follow_up.booked_start, follow_up.booked_end, follow_up.notes, follow_up.flag,
        follow_up.referral, follow_up.pass_on_consent
        """

    public func countFollowUps(status: FollowUpStatus) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM follow_up WHERE status = ?",
                             arguments: [status.rawValue]) ?? 0
        }
    }

    /// Booked follow-ups whose slot overlaps `from..<until`, earliest first.
    public func appointments(professional: String?, from: Date, until: Date) throws -> [Appointment] {
        var sql = """
            SELECT booked_professional, booked_start, booked_end FROM follow_up
            WHERE status = 'booked' AND booked_start < ? AND booked_end > ?
            """
        var arguments: [(any DatabaseValueConvertible)?] = [StoredDate.text(until), StoredDate.text(from)]
        if let professional {
            sql += " AND booked_professional = ?"
            arguments.append(professional)
        }
        sql += " ORDER BY booked_start, booked_professional"
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                Appointment(professional: try row.decode(String.self, forColumn: "booked_professional"),
                            start: try Self.date(row, "booked_start"),
                            end: try Self.date(row, "booked_end"))
            }
        }
    }

    public func bookedFollowUps(from: Date, until: Date) throws -> [DeskFollowUp] {
        try read { db in
            try Self.deskFollowUps(db, sql: """
                SELECT \(Self.deskColumns) FROM follow_up
                WHERE status = 'booked' AND booked_start >= ? AND booked_start < ?
                ORDER BY booked_start, rowid
                """, arguments: [StoredDate.text(from), StoredDate.text(until)])
        }
    }

    /// In one read transaction, by the (status, created_at) index.
    public func forEachWaitingFollowUp(_ body: (DeskFollowUp) throws -> Bool) throws {
        var bodyError: (any Error)?
        let statuses = Waitlist.waiting.map(\.rawValue).sorted()
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT \(Self.deskColumns) FROM follow_up
                WHERE status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))
                ORDER BY created_at, rowid
                """, arguments: StatementArguments(statuses))
            while let row = try cursor.next() {
                let item = try Self.deskFollowUp(from: row)
                do { if try !body(item) { return } } catch { bodyError = error; return }
            }
        }
        if let bodyError { throw bodyError }
    }

    /// Oldest first: the desk handles the longest-waiting warning first.
    public func alerts(includeAcknowledged: Bool) throws -> [StoredAlert] {
        let whereSQL = includeAcknowledged ? "" : "WHERE acknowledged_at IS NULL"
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert \(whereSQL) ORDER BY created_at, id")
                .map(Self.storedAlert(from:))
        }
    }

    /// Streams inside one read transaction (a consistent snapshot), one row in memory at a
    /// time. `body` must not use this store (an in-memory store would not allow it); an
    /// error thrown by `body` ends the walk and comes out as it is.
    public func forEachFollowUp(since: Date?, _ body: (DeskFollowUp) throws -> Void) throws {
        var bodyError: (any Error)?
        try read { db in
            let (sql, arguments) = Self.exportQuery(since: since)
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                let item = try Self.deskFollowUp(from: row)
                do { try body(item) } catch { bodyError = error; return }
            }
        }
        if let bodyError { throw bodyError }
    }

    // MARK: - Changing

    /// Any legal move except into `booked` (that is `book`, which needs an appointment).
    public func setStatus(reference: String, to: FollowUpStatus, actor: String, note: String?, now: Date) throws {
        try deskWrite { db in
            try DeskChanges.setStatus(reference: reference, to: to, actor: actor, note: note, now: now, in: DeskInto(db: db))
        }
    }

    /// Books a requested or contacted follow-up, or moves a booked one (freeing its old slot).
    /// - Throws: `DeskError.unknownReference`, `.illegalMove(from:to: .booked)` for a closed
    ///   follow-up, `.slotTaken` when another booked follow-up holds the professional at an
    ///   overlapping time; `StoreError.io` for an appointment that does not end after it
    ///   starts or has no professional.
    public func book(reference: String, appointment: Appointment, actor: String, note: String?, now: Date) throws {
        guard let slot = BookingSlot(appointment) else { throw StoreError.io(reason: BookingSlot.unfit) }
        try deskWrite { db in
            try DeskChanges.book(reference: reference, slot: slot, actor: actor, note: note, now: now, in: DeskInto(db: db))
        }
    }

    /// Acknowledging an acknowledged alert changes nothing (the first time and actor stay).
    public func acknowledgeAlert(id: Int64, actor: String, now: Date) throws {
        try deskWrite { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert WHERE id = ?)", arguments: [id]) ?? false else {
                throw DeskError.unknownAlert(id)
            }
            try db.execute(sql: """
                UPDATE alert SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL
                """, arguments: [StoredDate.text(now), actor, id])
        }
    }

    /// Blanks name (to '', the column is NOT NULL), phone and email of closed follow-ups
    /// created before `before`, and unlinks the later visits of a returning client (v9),
    /// with one audit event per row. Works in transactions of
    /// `purgeBatch` rows (each row with its event), so the kiosk never waits long for the
    /// write lock; an interrupted purge can simply be run again. Each batch goes on from
    /// the last one's (status, created_at, rowid), so the whole purge is one pass over the
    /// (status, created_at) index.
    public func purgeContactDetails(before: Date, dryRun: Bool, actor: String, now: Date) throws -> Int {
        // Closed statuses, and a referral once passed on (StatusMoves.isClosed).
        let closed = FollowUpStatus.allCases.filter(StatusMoves.closed.contains).map { ($0.rawValue, "") }
            + [(StatusMoves.referralPassedOn.rawValue, " AND referral = 1")]
        let cutOff = StoredDate.text(before)
        let holdsContact = "(name <> '' OR phone IS NOT NULL OR email IS NOT NULL)"
        if dryRun {
            return try read { db in
                var count = 0
                for (status, also) in closed {
                    count += try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM follow_up WHERE status = ?\(also) AND created_at < ? AND \(holdsContact)
                        """, arguments: [status, cutOff]) ?? 0
                }
                return count
            }
        }
        let at = StoredDate.text(now)
        var total = 0
        for (status, also) in closed {
            var after = (createdAt: "", rowid: Int64(0))
            while true {
                let batch = try deskWrite { db -> [Row] in
                    let rows = try Row.fetchAll(db, sql: """
                        SELECT rowid, created_at FROM follow_up
                        WHERE status = ?\(also) AND created_at < ? AND (created_at, rowid) > (?, ?) AND \(holdsContact)
                        ORDER BY created_at, rowid LIMIT ?
                        """, arguments: [status, cutOff, after.createdAt, after.rowid, Self.purgeBatch])
                    guard !rows.isEmpty else { return rows }
                    let ids: [Int64] = rows.map { $0[0] }
                    let idMarks = ids.map { _ in "?" }.joined(separator: ", ")
                    try db.execute(sql: """
                        INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                        SELECT reference, ?, ?, status, status, 'contact details removed'
                        FROM follow_up WHERE rowid IN (\(idMarks))
                        """, arguments: StatementArguments([at, actor]) + StatementArguments(ids))
                    try db.execute(sql: """
                        UPDATE follow_up SET name = '', phone = NULL, email = NULL, name_key = NULL, email_key = NULL
                        WHERE rowid IN (\(idMarks))
                        """, arguments: StatementArguments(ids))
                    // A returning client's later visits go with the contact details (v9).
                    try db.execute(sql: """
                        UPDATE assessment SET follow_up = NULL
                        WHERE follow_up IN (SELECT reference FROM follow_up WHERE rowid IN (\(idMarks)))
                        """, arguments: StatementArguments(ids))
                    return rows
                }
                total += batch.count
                guard let last = batch.last, batch.count == Self.purgeBatch else { break }
                after = (createdAt: last[1], rowid: last[0])
            }
        }
        return total
    }

    // MARK: - Helpers

    /// The appointment is there once the follow-up was booked, and stays (as what was
    /// booked) after it is completed, cancelled or marked no-show; only `booked` holds the slot.
    static func deskFollowUp(from row: Row) throws -> DeskFollowUp {
        let followUp = try followUp(from: row)
        var appointment: Appointment?
        if let professional = try row.decode(String?.self, forColumn: "booked_professional"),
           try row.decode(String?.self, forColumn: "booked_start") != nil,
           try row.decode(String?.self, forColumn: "booked_end") != nil {
            appointment = Appointment(professional: professional, start: try date(row, "booked_start"),
                                      end: try date(row, "booked_end"))
        }
        return DeskFollowUp(followUp: followUp, appointment: appointment,
                            notes: try row.decode(String?.self, forColumn: "notes"),
                            flag: try row.decode(String?.self, forColumn: "flag"))
    }

    static func storedAlert(from row: Row) throws -> StoredAlert {
        let levelText = try row.decode(String.self, forColumn: "level")
        guard let level = AlertLevel(rawValue: levelText) else {
            throw StoreError.io(reason: "an alert has an unknown level '\(levelText)'")
        }
        let alert = Alert(assessmentID: try row.decode(String.self, forColumn: "assessment_id"),
                          createdAt: try date(row, "created_at"), level: level,
                          outcome: try row.decode(String.self, forColumn: "outcome"),
                          event: try row.decode(String?.self, forColumn: "event"))
        let acknowledgedAt = try row.decode(String?.self, forColumn: "acknowledged_at") != nil
            ? try date(row, "acknowledged_at") : nil
        return StoredAlert(id: try row.decode(Int64.self, forColumn: "id"), alert: alert,
                           acknowledgedAt: acknowledgedAt,
                           acknowledgedBy: try row.decode(String?.self, forColumn: "acknowledged_by"))
    }

    /// How a reference may have been typed: as is, upper case, and "ABC-DEF" for "abcdef" or "abc def".
    public static func referenceSpellings(_ text: String) -> [String] {
        var spellings = [text, text.uppercased()]
        let compact = text.uppercased().filter { $0 != "-" && $0 != " " }
        if compact.count == 6 {
            spellings.append(String(compact.prefix(3)) + "-" + String(compact.suffix(3)))
        }
        var seen = Set<String>()
        return spellings.filter { seen.insert($0).inserted }
    }

    /// The characters phone numbers are written with but compared without.
    public static let phoneSeparators: [Character] = [" ", "-", ".", "/", "(", ")"]

    public static var strippedPhoneSQL: String {
        phoneSeparators.reduce("phone") { "replace(\($0), '\($1)', '')" }
    }

    /// `text` without separators when it looks like (part of) a phone number: at least
    /// three digits, otherwise only "+" and separators.
    public static func phoneDigits(_ text: String) -> String? {
        let stripped = text.filter { !phoneSeparators.contains($0) }
        guard stripped.filter(\.isASCII).filter(\.isNumber).count >= 3,
              stripped.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "+" }) else { return nil }
        return stripped
    }

    public static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// `DeskChanges`' primitives in SQLite, inside the desk's write transaction.
struct DeskInto: DeskTransaction {
    let db: Database

    /// Read inside the desk's transaction (its write lock keeps the row as it is).
    func status(of reference: String) throws -> FollowUpStatus {
        guard let text = try String.fetchOne(db, sql: "SELECT status FROM follow_up WHERE reference = ?",
                                             arguments: [reference]) else {
            throw DeskError.unknownReference(reference)
        }
        guard let status = FollowUpStatus(rawValue: text) else {
            throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)'")
        }
        return status
    }

    func setStatus(_ status: FollowUpStatus, reference: String) throws {
        try db.execute(sql: "UPDATE follow_up SET status = ? WHERE reference = ?", arguments: [status.rawValue, reference])
    }

    func isHeld(_ slot: BookingSlot, except reference: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM follow_up
                WHERE status = 'booked' AND booked_professional = ? AND booked_start < ? AND booked_end > ?
                  AND reference <> ?)
            """, arguments: [slot.professional, slot.end, slot.start, reference]) ?? true
    }

    func booking(of reference: String) throws -> (professional: String, start: String)? {
        guard let old = try Row.fetchOne(db, sql: """
                  SELECT booked_professional, booked_start FROM follow_up WHERE reference = ?
                  """, arguments: [reference]),
              let professional: String = old["booked_professional"], let start: String = old["booked_start"]
        else { return nil }
        return (professional, start)
    }

    func setBooked(reference: String, slot: BookingSlot) throws {
        do {
            try db.execute(sql: """
                UPDATE follow_up SET status = 'booked', booked_professional = ?, booked_start = ?, booked_end = ?
                WHERE reference = ?
                """, arguments: [slot.professional, slot.start, slot.end, reference])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw slot.taken
        }
    }

    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws {
        try db.execute(sql: """
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [reference, StoredDate.text(at), actor, from?.rawValue, to.rawValue, note])
    }
}
