import Foundation
import GRDB
import KioskCore

/// A client who has been here before (schema v9): the check of a reference code and its
/// second factor with the locks on wrong pairs, the scores of the last visit, the link of
/// a later visit to its follow-up, and what the desk and the numbers read of those links.
extension SQLiteKioskStore: ReturningStore {
    public func checkReturning(reference: String, factor: String, kiosk: String, questions: [String],
                               now: Date) throws -> ReturnCheck {
        try write { db in
            let lock = try Row.fetchOne(db, sql: "SELECT failures, locked_until FROM return_lock WHERE kiosk = ?",
                                        arguments: [kiosk])
            if let text: String = lock?["locked_until"], let until = StoredDate.date(text), until > now {
                return .locked(until: until)
            }
            if try Self.pairIsRight(db, reference: reference, factor: factor, now: now) {
                try db.execute(sql: "UPDATE return_lock SET failures = 0, locked_until = NULL WHERE kiosk = ?",
                               arguments: [kiosk])
                return .admitted(scores: try Self.lastScores(db, reference: reference, questions: questions))
            }
            let failures = (lock?["failures"] as Int?) ?? 0
            let until = ReturningLock.kioskLock(afterFailures: failures + 1, now: now)
            try db.execute(sql: """
                INSERT INTO return_lock (kiosk, failures, total_failures, last_failure_at, locked_until)
                VALUES (?, ?, 1, ?, ?)
                ON CONFLICT(kiosk) DO UPDATE SET failures = excluded.failures, total_failures = total_failures + 1,
                    last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
                """, arguments: [kiosk, failures + 1, StoredDate.text(now), until.map(StoredDate.text)])
            return until.map { .locked(until: $0) } ?? .refused
        }
    }

    /// Committed without waiting for the disk, as the anonymous assessment it links is
    /// (`writeSyncedLater`): nobody is told it was saved, and the next durable commit keeps it.
    public func linkVisit(assessmentID: String, reference: String, factor: String, now: Date) throws -> Bool {
        try writeSyncedLater { db in
            guard try Self.pairIsRight(db, reference: reference, factor: factor, now: now) else { return false }
            try db.execute(sql: "UPDATE assessment SET follow_up = ? WHERE id = ?", arguments: [reference, assessmentID])
            return db.changesCount > 0
        }
    }

    public func returnLocks() throws -> [ReturnLockState] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM return_lock ORDER BY kiosk").map { row in
                func date(_ column: String) -> Date? { (row[column] as String?).flatMap(StoredDate.date) }
                return ReturnLockState(kiosk: row["kiosk"], failures: row["failures"], totalFailures: row["total_failures"],
                                       lastFailureAt: date("last_failure_at"), lockedUntil: date("locked_until"))
            }
        }
    }

    public func linkedVisits(references: [String], questions: [String]) throws -> [String: [Visit]] {
        guard !references.isEmpty else { return [:] }
        return try read { db in
            var out: [String: [Visit]] = [:]
            let decoder = JSONDecoder()
            for start in stride(from: 0, to: references.count, by: 500) {
                let chunk = Array(references[start..<min(start + 500, references.count)])
                let marks = chunk.map { _ in "?" }.joined(separator: ", ")
                // The visits linked to each follow-up, and, for those that have any, its own first.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT follow_up AS reference, created_at, answers_json FROM assessment WHERE follow_up IN (\(marks))
                    UNION ALL
                    SELECT f.reference, a.created_at, a.answers_json FROM follow_up f JOIN assessment a ON a.id = f.assessment_id
                    WHERE f.reference IN (\(marks)) AND EXISTS (SELECT 1 FROM assessment l WHERE l.follow_up = f.reference)
                    ORDER BY 1, 2
                    """, arguments: StatementArguments(chunk + chunk))
                while let row = try rows.next() {
                    let answers = try Self.answers(row["answers_json"], decoder)
                    out[row["reference"], default: []].append(Visit(at: try Self.date(row, "created_at"),
                                                                    scores: answers.scores(questions)))
                }
            }
            return out
        }
    }

    public func returningOutcomes(questions: [String], event: String?, since: Date?) throws -> [ReturnOutcome] {
        try read { db in
            // Each follow-up's linked visits in order, with its first visit's answers: the
            // last row of a follow-up is its latest visit. One follow-up in memory at a time.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT l.follow_up, l.created_at, l.event, l.answers_json, first.answers_json AS first_json
                FROM assessment l
                LEFT JOIN follow_up f ON f.reference = l.follow_up
                LEFT JOIN assessment first ON first.id = f.assessment_id
                WHERE l.follow_up IS NOT NULL
                ORDER BY l.follow_up, l.created_at, l.rowid
                """)
            let decoder = JSONDecoder()
            let cutOff = since.map(StoredDate.text)
            var out: [ReturnOutcome] = []
            func add(_ group: LatestVisits<Row>.Group?) throws {
                guard let group, LatestVisits<Row>.counts(latestEvent: group.latest["event"], latestAt: group.latest["created_at"],
                                                          event: event, since: cutOff) else { return }
                let first = try group.first.map { try Self.answers($0, decoder) } ?? [:]
                out.append(ReturnOutcome(first: first.scores(questions),
                                         latest: try Self.answers(group.latest["answers_json"], decoder).scores(questions)))
            }
            var visits = LatestVisits<Row>()
            while let row = try rows.next() {
                try add(visits.add(reference: row["follow_up"], first: row["first_json"], latest: row.copy()))
            }
            try add(visits.end())
            return out
        }
    }

    // MARK: - Helpers

    /// Whether `factor` is right for `reference`: a follow-up with that code whose phone or
    /// email (not purged) it matches, and whose wrong factors in a row have not locked it
    /// (ReturningLock.code). A wrong factor for an existing code counts against that code.
    static func pairIsRight(_ db: Database, reference: String, factor: String, now: Date) throws -> Bool {
        guard let contact = try Row.fetchOne(db, sql: "SELECT phone, email FROM follow_up WHERE reference = ?",
                                             arguments: [reference]) else { return false }
        let guarded = try Row.fetchOne(db, sql: "SELECT failures, locked_until FROM return_guard WHERE reference = ?",
                                       arguments: [reference])
        if let text: String = guarded?["locked_until"], let until = StoredDate.date(text), until > now { return false }
        if ReturnFactor.matches(factor, phone: contact["phone"], email: contact["email"]) {
            if guarded != nil {
                try db.execute(sql: "UPDATE return_guard SET failures = 0, locked_until = NULL WHERE reference = ?",
                               arguments: [reference])
            }
            return true
        }
        let failures = ((guarded?["failures"] as Int?) ?? 0) + 1
        let until = ReturningLock.code.lockDuration(afterFailures: failures).map { now.addingTimeInterval($0) }
        try db.execute(sql: """
            INSERT INTO return_guard (reference, failures, locked_until) VALUES (?, ?, ?)
            ON CONFLICT(reference) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
            """, arguments: [reference, failures, until.map(StoredDate.text)])
        return false
    }

    /// The scores of `questions` at the latest visit of the follow-up that holds each: its
    /// linked visits, newest first, then its own first visit.
    static func lastScores(_ db: Database, reference: String, questions: [String]) throws -> [String: Int] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT answers_json FROM assessment
            WHERE follow_up = ? OR id = (SELECT assessment_id FROM follow_up WHERE reference = ?)
            ORDER BY created_at DESC, rowid DESC
            """, arguments: [reference, reference])
        let decoder = JSONDecoder()
        var scores: [String: Int] = [:]
        while let row = try rows.next(), scores.count < questions.count {
            for (question, value) in try answers(row["answers_json"], decoder).scores(questions) where scores[question] == nil {
                scores[question] = value
            }
        }
        return scores
    }

    static func answers(_ text: String, _ decoder: JSONDecoder) throws -> Answers {
        do {
            return try decoder.decode(Answers.self, from: Data(text.utf8))
        } catch {
            throw StoreError.io(reason: "unreadable JSON in column answers_json")
        }
    }
}
