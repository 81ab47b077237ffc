#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// The front desk on PostgreSQL, with the SQLite store's rules. Every change is one
/// transaction that first locks what it changes: the follow-up's row (`FOR UPDATE`) and,
/// for a booking, the professional's calendar (an advisory lock per professional), so two
/// desks on different machines cannot both act on the same stale state. Refusals throw
/// `DeskError` and change nothing.
extension PostgresKioskStore: DeskStore {
    // MARK: - Reading

    /// Builds a query from SQL pieces with `$n` placeholders added in order.
    struct Builder {
        var sql = ""
        var binds = PostgresBindings()
        var count = 0
        mutating func placeholder() -> String { count += 1; return "$\(count)" }
        mutating func bind(_ text: String?) -> String { binds.append(text); return placeholder() }
        mutating func bind(_ number: Int) -> String { binds.append(number); return placeholder() }
        mutating func bind(_ flag: Bool) -> String { binds.append(flag); return placeholder() }
        mutating func bindDate(_ date: Date) -> String { binds.append(StoredDate.text(date)); return placeholder() + "::timestamptz" }
        var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
    }

    /// The WHERE clause of a filter (empty for none), its values bound in `b`.
    static func filterSQL(_ filter: FollowUpFilter, _ b: inout Builder) -> String {
        var clauses: [String] = []
        if let status = filter.status { clauses.append("status = \(b.bind(status.rawValue))") }
        if let professional = filter.professional {
            let p = b.bind(professional)
            clauses.append("(professional = \(p) OR booked_professional = \(p))")
        }
        if let from = filter.from { clauses.append("created_at >= \(b.bindDate(from))") }
        if let until = filter.until { clauses.append("created_at < \(b.bindDate(until))") }
        if let event = filter.event { clauses.append("event = \(b.bind(event))") }
        if let referral = filter.referral { clauses.append("referral = \(b.bind(referral))") }
        return clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }

    public func countFollowUps(_ filter: FollowUpFilter) throws -> Int {
        var b = Builder()
        b.sql = "SELECT count(*)::int8 AS n FROM follow_up " + Self.filterSQL(filter, &b)
        let query = b.query
        return try link.session { try $0.row(query)?["n"].decode(Int.self) ?? 0 }
    }

    public func followUps(_ filter: FollowUpFilter, limit: Int, offset: Int) throws -> [DeskFollowUp] {
        var b = Builder()
        let whereSQL = Self.filterSQL(filter, &b)
        b.sql = """
            SELECT \(Self.followUpColumns) FROM follow_up \(whereSQL)
            ORDER BY created_at DESC, seq DESC LIMIT \(b.bind(max(0, limit))) OFFSET \(b.bind(max(0, offset)))
            """
        let query = b.query
        return try link.session { try $0.rows(query).map(Self.deskFollowUp(from:)) }
    }

    public func deskFollowUp(reference: String) throws -> DeskFollowUp? {
        try link.session { session in
            try session.row("SELECT \(unescaped: Self.followUpColumns) FROM follow_up WHERE reference = \(reference)")
                .map(Self.deskFollowUp(from:))
        }
    }

    /// As the SQLite store: an exact reference first (alone when it is a whole valid code),
    /// then the newest follow-ups whose name, phone, email or reference contains the text,
    /// blind to accents and case (kiosk_search_text, v7), phone numbers also without
    /// separators, by one trigram index (v7).
    public func find(_ text: String, limit: Int) throws -> [DeskFollowUp] {
        let needle = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard limit > 0, !needle.isEmpty else { return [] }
        let references = SQLiteKioskStore.referenceSpellings(needle)
        var b = Builder()
        let searched = "kiosk_search_text(name, email, phone, reference)"
        var clauses = ["\(searched) LIKE kiosk_fold(\(b.bind("%" + SQLiteKioskStore.escapeLike(needle) + "%"))) ESCAPE '\\'"]
        if let digits = SQLiteKioskStore.phoneDigits(needle) {
            clauses.append("\(searched) LIKE \(b.bind("%" + SQLiteKioskStore.escapeLike(digits) + "%")) ESCAPE '\\'")
        }
        let exactQuery: PostgresQuery = """
            SELECT \(unescaped: Self.followUpColumns) FROM follow_up WHERE reference = ANY(\(references))
            ORDER BY created_at DESC, seq DESC
            """
        return try link.session { session in
            var found = Array(try session.rows(exactQuery).map(Self.deskFollowUp(from:)).prefix(limit))
            if !found.isEmpty, references.contains(where: ReferenceCode.isValid) { return found }
            guard found.count < limit else { return found }
            let exact = found.map(\.reference)
            var rest = b
            rest.sql = """
                SELECT \(Self.followUpColumns) FROM follow_up WHERE (\(clauses.joined(separator: " OR ")))
                ORDER BY created_at DESC, seq DESC LIMIT \(rest.bind(limit + exact.count))
                """
            for row in try session.rows(rest.query) where found.count < limit {
                let item = try Self.deskFollowUp(from: row)
                if !exact.contains(item.reference) { found.append(item) }
            }
            return found
        }
    }

    public func countFollowUps(status: FollowUpStatus) throws -> Int {
        try link.session { session in
            try session.row("SELECT count(*)::int8 AS n FROM follow_up WHERE status = \(status.rawValue)")?["n"]
                .decode(Int.self) ?? 0
        }
    }

    public func appointments(professional: String?, from: Date, until: Date) throws -> [Appointment] {
        var b = Builder()
        var sql = """
            SELECT booked_professional, \(Self.ts("booked_start")) AS booked_start, \(Self.ts("booked_end")) AS booked_end
            FROM follow_up
            WHERE status = 'booked' AND booked_start < \(b.bindDate(until)) AND booked_end > \(b.bindDate(from))
            """
        if let professional { sql += " AND booked_professional = \(b.bind(professional))" }
        sql += " ORDER BY booked_start, booked_professional"
        b.sql = sql
        let query = b.query
        return try link.session { session in
            try session.rows(query).map { row in
                Appointment(professional: try row["booked_professional"].decode(String.self),
                            start: try Self.date(row, "booked_start"), end: try Self.date(row, "booked_end"))
            }
        }
    }

    public func bookedFollowUps(from: Date, until: Date) throws -> [DeskFollowUp] {
        var b = Builder()
        b.sql = """
            SELECT \(Self.followUpColumns) FROM follow_up
            WHERE status = 'booked' AND booked_start >= \(b.bindDate(from)) AND booked_start < \(b.bindDate(until))
            ORDER BY booked_start, seq
            """
        let query = b.query
        return try link.session { try $0.rows(query).map(Self.deskFollowUp(from:)) }
    }

    public func forEachWaitingFollowUp(_ body: (DeskFollowUp) throws -> Bool) throws {
        var b = Builder()
        let statuses = Waitlist.waiting.map(\.rawValue).sorted().map { b.bind($0) }
        b.sql = """
            SELECT \(Self.followUpColumns) FROM follow_up WHERE status IN (\(statuses.joined(separator: ", ")))
            ORDER BY created_at, seq
            """
        var bodyError: (any Error)?
        try walk(b.query) { row in
            let item = try Self.deskFollowUp(from: row)
            do { return try body(item) } catch { bodyError = error; return false }
        }
        if let bodyError { throw bodyError }
    }

    public func alerts(includeAcknowledged: Bool) throws -> [StoredAlert] {
        let whereSQL = includeAcknowledged ? "" : "WHERE acknowledged_at IS NULL"
        return try link.session { session in
            try session.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.alertColumns) FROM alert \(whereSQL) ORDER BY created_at, id"))
                .map(Self.storedAlert(from:))
        }
    }

    /// Streams through a cursor in one read-only snapshot, `fetchBatch` rows per round trip,
    /// oldest first. `body` runs on the caller's thread and must not use this store.
    public func forEachFollowUp(since: Date?, _ body: (DeskFollowUp) throws -> Void) throws {
        var b = Builder()
        let whereSQL = since.map { "WHERE created_at >= \(b.bindDate($0))" } ?? ""
        b.sql = "SELECT \(Self.followUpColumns) FROM follow_up \(whereSQL) ORDER BY created_at, seq"
        var bodyError: (any Error)?
        try walk(b.query) { row in
            let item = try Self.deskFollowUp(from: row)
            do { try body(item) } catch { bodyError = error; return false }
            return true
        }
        if let bodyError { throw bodyError }
    }

    /// Runs `query` through a cursor in a read-only REPEATABLE READ transaction (one
    /// snapshot), calling `each` per row until it returns false.
    func walk(_ query: PostgresQuery, _ each: (PostgresRandomAccessRow) throws -> Bool) throws {
        try snapshot { session in try Self.cursor(session, query, each) }
    }

    /// One read-only REPEATABLE READ transaction: every query in `body` sees the same snapshot.
    func snapshot<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try link.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Walks `query` through a cursor, `fetchBatch` rows per round trip, inside the caller's
    /// transaction, calling `each` per row until it returns false.
    static func cursor(_ session: PostgresSession, _ query: PostgresQuery,
                       _ each: (PostgresRandomAccessRow) throws -> Bool) throws {
        try session.run(PostgresQuery(unsafeSQL: "DECLARE kiosk_walk NO SCROLL CURSOR FOR " + query.sql, binds: query.binds))
        defer { try? session.execute("CLOSE kiosk_walk") }
        while true {
            let rows = try session.rows(PostgresQuery(unsafeSQL: "FETCH \(fetchBatch) FROM kiosk_walk"))
            for row in rows where try !each(row) { return }
            if rows.count < fetchBatch { return }
        }
    }

    // MARK: - Changing

    public func setStatus(reference: String, to: FollowUpStatus, actor: String, note: String?, now: Date) throws {
        try link.transaction { session in
            try DeskChanges.setStatus(reference: reference, to: to, actor: actor, note: note, now: now,
                                      in: DeskInto(session: session))
        }
    }

    /// Books or moves a follow-up. Two desks booking the same professional take turns on an
    /// advisory lock for that professional; the second then sees the first's booking and
    /// gets `.slotTaken`. The partial unique index stays the last word.
    public func book(reference: String, appointment: Appointment, actor: String, note: String?, now: Date) throws {
        guard let slot = BookingSlot(appointment) else { throw StoreError.io(reason: BookingSlot.unfit) }
        do {
            try link.transaction { session in
                try session.run("SELECT pg_advisory_xact_lock(hashtextextended('relief-kiosk slot ' || \(slot.professional), 0))")
                try DeskChanges.book(reference: reference, slot: slot, actor: actor, note: note, now: now,
                                     in: DeskInto(session: session))
            }
        } catch let error as StoreError {
            // The unique index refused it: another booking holds this professional and start.
            if case let .io(reason) = error, reason.contains("follow_up_booked_slot") { throw slot.taken }
            throw error
        }
    }

    public func acknowledgeAlert(id: Int64, actor: String, now: Date) throws {
        try link.transaction { session in
            guard try session.row("SELECT id FROM alert WHERE id = \(id) FOR UPDATE") != nil else {
                throw DeskError.unknownAlert(id)
            }
            try session.run("""
                UPDATE alert SET acknowledged_at = \(StoredDate.text(now))::timestamptz, acknowledged_by = \(actor)
                WHERE id = \(id) AND acknowledged_at IS NULL
                """)
        }
    }

    /// As the SQLite store: blanks name, phone and email of closed follow-ups created before
    /// `before`, with one audit event each, `purgeBatch` rows per transaction.
    public func purgeContactDetails(before: Date, dryRun: Bool, actor: String, now: Date) throws -> Int {
        let closed = FollowUpStatus.allCases.filter(StatusMoves.closed.contains).map(\.rawValue)
        let cutOff = StoredDate.text(before)
        let holdsContact = "(name <> '' OR phone IS NOT NULL OR email IS NOT NULL)"
        // Closed statuses, and a referral once passed on (StatusMoves.isClosed).
        let passedOn = StatusMoves.referralPassedOn.rawValue
        if dryRun {
            return try link.session { session in
                try session.row("""
                    SELECT count(*)::int8 AS n FROM follow_up
                    WHERE (status = ANY(\(closed)) OR (referral AND status = \(passedOn)))
                      AND created_at < \(cutOff)::timestamptz AND \(unescaped: holdsContact)
                    """)?["n"].decode(Int.self) ?? 0
            }
        }
        let at = StoredDate.text(now)
        var total = 0
        for (status, also) in closed.map({ ($0, "") }) + [(passedOn, " AND referral")] {
            var after: (createdAt: String, seq: Int64)?
            while true {
                let batch: [(String, Int64)] = try link.transaction { session in
                    var b = Builder()
                    var sql = """
                        SELECT seq, \(Self.ts("created_at")) AS created_at FROM follow_up
                        WHERE status = \(b.bind(status))\(also) AND created_at < \(b.bind(cutOff))::timestamptz AND \(holdsContact)
                        """
                    if let after {
                        sql += " AND (created_at, seq) > (\(b.bind(after.createdAt))::timestamptz, \(b.bind(Int(after.seq))))"
                    }
                    sql += " ORDER BY created_at, seq LIMIT \(b.bind(Self.purgeBatch)) FOR UPDATE"
                    b.sql = sql
                    let rows = try session.rows(b.query).map { row in
                        (try row["created_at"].decode(String.self), try row["seq"].decode(Int64.self))
                    }
                    guard !rows.isEmpty else { return rows }
                    let ids = rows.map(\.1)
                    try session.run("""
                        INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
                        SELECT reference, \(at)::timestamptz, \(actor), status, status, 'contact details removed'
                        FROM follow_up WHERE seq = ANY(\(ids)) ORDER BY created_at, seq
                        """)
                    try session.run("UPDATE follow_up SET name = '', phone = NULL, email = NULL WHERE seq = ANY(\(ids))")
                    // A returning client's later visits go with the contact details (v9).
                    try session.run("""
                        UPDATE assessment SET follow_up = NULL
                        WHERE follow_up IN (SELECT reference FROM follow_up WHERE seq = ANY(\(ids)))
                        """)
                    return rows
                }
                total += batch.count
                guard let last = batch.last, batch.count == Self.purgeBatch else { break }
                after = (createdAt: last.0, seq: last.1)
            }
        }
        return total
    }
}
/// `DeskChanges`' primitives in PostgreSQL, inside the desk's transaction.
struct DeskInto: DeskTransaction {
    let session: PostgresSession

    /// Its row locked until the transaction ends.
    func status(of reference: String) throws -> FollowUpStatus {
        guard let text = try session.row("SELECT status FROM follow_up WHERE reference = \(reference) FOR UPDATE")?["status"]
            .decode(String.self) else {
            throw DeskError.unknownReference(reference)
        }
        guard let status = FollowUpStatus(rawValue: text) else {
            throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)'")
        }
        return status
    }

    func setStatus(_ status: FollowUpStatus, reference: String) throws {
        try session.run("UPDATE follow_up SET status = \(status.rawValue) WHERE reference = \(reference)")
    }

    func isHeld(_ slot: BookingSlot, except reference: String) throws -> Bool {
        try session.row("""
            SELECT EXISTS (SELECT 1 FROM follow_up
                WHERE status = 'booked' AND booked_professional = \(slot.professional)
                  AND booked_start < \(slot.end)::timestamptz AND booked_end > \(slot.start)::timestamptz
                  AND reference <> \(reference)) AS clash
            """)?["clash"].decode(Bool.self) ?? true
    }

    func booking(of reference: String) throws -> (professional: String, start: String)? {
        guard let old = try session.row("""
                  SELECT booked_professional, \(unescaped: PostgresKioskStore.ts("booked_start")) AS booked_start
                  FROM follow_up WHERE reference = \(reference)
                  """),
              let professional = try old["booked_professional"].decode(String?.self),
              let start = try old["booked_start"].decode(String?.self)
        else { return nil }
        return (professional, start)
    }

    func setBooked(reference: String, slot: BookingSlot) throws {
        try session.run("""
            UPDATE follow_up SET status = 'booked', booked_professional = \(slot.professional),
                booked_start = \(slot.start)::timestamptz, booked_end = \(slot.end)::timestamptz
            WHERE reference = \(reference)
            """)
    }

    func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                     note: String?) throws {
        try session.run("""
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note)
            VALUES (\(reference), \(StoredDate.text(at))::timestamptz, \(actor), \(from?.rawValue), \(to.rawValue), \(note))
            """)
    }
}
#endif
