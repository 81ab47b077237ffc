#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// The practice's numbers, as the SQLite store counts them: session starts, assessments and
/// the status of follow-ups, never a name, phone, email or note; one snapshot, rows streamed
/// through cursors so memory does not grow with the database.
extension PostgresKioskStore: PracticeStore {
    public func practiceStats(event: String?, since: Date?) throws -> PracticeStats {
        func filter(_ select: String, _ dateColumn: String) -> PostgresQuery {
            var b = Builder()
            var clauses: [String] = []
            if let event { clauses.append("event = \(b.bind(event))") }
            if let since { clauses.append("\(dateColumn) >= \(b.bindDate(since))") }
            b.sql = select + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            return b.query
        }
        return try snapshot { session in
            var builder = PracticeStatsBuilder()
            try Self.cursor(session, filter("SELECT language, event FROM session_start", "started_at")) { row in
                builder.addSession(language: try row["language"].decode(String.self), event: try row["event"].decode(String?.self))
                return true
            }
            let decoder = JSONDecoder()
            try Self.cursor(session, filter("SELECT \(Self.assessmentColumns) FROM assessment", "created_at")) { row in
                builder.add(try Self.assessment(from: row, decoder: decoder))
                return true
            }
            // A referral's partner and discipline: who it went to, never who asked.
            let followUps = filter("SELECT reference, status, referral, professional, discipline, event FROM follow_up", "created_at")
            try Self.cursor(session, followUps) { row in
                let text = try row["status"].decode(String.self)
                guard let status = FollowUpStatus(rawValue: text) else {
                    throw StoreError.io(reason: "follow-up \(try row["reference"].decode(String.self)) has an unknown status '\(text)'")
                }
                let partner = try row["referral"].decode(Bool.self) ? try row["professional"].decode(String?.self) ?? "" : nil
                builder.addFollowUp(status: status, referralTo: partner, discipline: try row["discipline"].decode(String?.self),
                                    event: try row["event"].decode(String?.self))
                return true
            }
            return builder.build()
        }
    }
}

/// The staff PIN as the SQLite store keeps it: a salted PBKDF2-SHA256 hash (`StaffPinHash`)
/// and the wrong tries, in the practice's database, so a restart does not reset the count.
extension PostgresKioskStore: StaffPinStore {
    public func hasStaffPin() throws -> Bool {
        try link.session { session in
            try session.row("SELECT EXISTS (SELECT 1 FROM staff_lock) AS present")?["present"].decode(Bool.self) ?? false
        }
    }

    public func setStaffPin(_ pin: String) throws {
        guard StaffLockPolicy.isAcceptable(pin) else { throw StoreError.io(reason: "a PIN is 4 to 12 digits") }
        let salt = StaffPinHash.salt()
        let hash = try StaffPinHash.derive(pin, salt: salt, rounds: StaffPinHash.rounds)
        try link.transaction { session in
            try session.run("""
                INSERT INTO staff_lock (id, salt, hash, rounds, failures, locked_until)
                VALUES (1, \(Data(salt)), \(Data(hash)), \(StaffPinHash.rounds), 0, NULL)
                ON CONFLICT (id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash,
                    rounds = excluded.rounds, failures = 0, locked_until = NULL
                """)
        }
    }

    /// Checks a typed PIN; counts a wrong one and locks after too many. The row is locked
    /// while it is checked, so two kiosks counting wrong tries at once both count.
    public func checkStaffPin(_ pin: String, now: Date) throws -> StaffPinCheck {
        try link.transaction { session in
            guard let row = try session.row("""
                SELECT salt, hash, rounds, failures, \(unescaped: Self.ts("locked_until")) AS locked_until
                FROM staff_lock WHERE id = 1 FOR UPDATE
                """) else { return .notSet }
            if let until = try Self.optionalDate(row, "locked_until"), until > now { return .locked(until: until) }
            let salt = try row["salt"].decode(Data.self), stored = try row["hash"].decode(Data.self)
            let rounds = try row["rounds"].decode(Int.self), failures = try row["failures"].decode(Int.self)
            let typed = try StaffPinHash.derive(pin, salt: Array(salt), rounds: rounds)
            if StaffPinHash.constantTimeEqual(typed, Array(stored)) {
                try session.run("UPDATE staff_lock SET failures = 0, locked_until = NULL WHERE id = 1")
                return .accepted
            }
            let count = failures + 1
            let until = StaffLockPolicy.lockDuration(afterFailures: count).map { now.addingTimeInterval($0) }
            try session.run("""
                UPDATE staff_lock SET failures = \(count), locked_until = \(until.map(StoredDate.text))::timestamptz WHERE id = 1
                """)
            if let until { return .locked(until: until) }
            return .wrong(triesLeft: StaffLockPolicy.freeTries - count)
        }
    }
}
#endif
