#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// A client who has been here before, as the SQLite store keeps it (migration 9). The pair
/// of a code and its second factor is checked by the server's functions (the kiosk's role
/// reads no phone, email or answer); the kiosk's wrong tries are counted here, in
/// return_lock, as the staff PIN's are.
extension PostgresKioskStore: ReturningStore {
    public func checkReturning(reference: String, factor: String, kiosk: String, questions: [String],
                               now: Date) throws -> ReturnCheck {
        try link.transaction { session in
            // The kiosk's row is locked while it is checked: two tries at once both count.
            let lock = try session.row("""
                SELECT failures, \(unescaped: Self.ts("locked_until")) AS locked_until FROM return_lock
                WHERE kiosk = \(kiosk) FOR UPDATE
                """)
            if let lock, let until = try Self.optionalDate(lock, "locked_until"), until > now { return .locked(until: until) }
            let right = try session.row("SELECT kiosk_check_return(\(reference), \(factor)) AS ok")?["ok"].decode(Bool.self) ?? false
            if right {
                try session.run("UPDATE return_lock SET failures = 0, locked_until = NULL WHERE kiosk = \(kiosk)")
                var scores: [String: Int] = [:]
                for row in try session.rows("""
                    SELECT kiosk_question, kiosk_score FROM kiosk_return_scores(\(reference), \(factor), \(questions))
                    """) {
                    scores[try row["kiosk_question"].decode(String.self)] = try row["kiosk_score"].decode(Int.self)
                }
                return .admitted(scores: scores)
            }
            let failures = (try lock?["failures"].decode(Int.self) ?? 0) + 1
            let until = ReturningLock.kioskLock(afterFailures: failures, now: now)
            try session.run("""
                INSERT INTO return_lock AS l (kiosk, failures, total_failures, last_failure_at, locked_until)
                VALUES (\(kiosk), \(failures), 1, \(StoredDate.text(now))::timestamptz, \(until.map(StoredDate.text))::timestamptz)
                ON CONFLICT (kiosk) DO UPDATE SET failures = excluded.failures, total_failures = l.total_failures + 1,
                    last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
                """)
            return until.map { .locked(until: $0) } ?? .refused
        }
    }

    public func linkVisit(assessmentID: String, reference: String, factor: String, now: Date) throws -> Bool {
        try link.transaction { session in
            try session.row("SELECT kiosk_link_visit(\(assessmentID), \(reference), \(factor)) AS ok")?["ok"]
                .decode(Bool.self) ?? false
        }
    }

    public func returnLocks() throws -> [ReturnLockState] {
        try link.session { session in
            try session.rows("""
                SELECT kiosk, failures, total_failures, \(unescaped: Self.ts("last_failure_at")) AS last_failure_at,
                       \(unescaped: Self.ts("locked_until")) AS locked_until
                FROM return_lock ORDER BY kiosk
                """).map { row in
                ReturnLockState(kiosk: try row["kiosk"].decode(String.self), failures: try row["failures"].decode(Int.self),
                                totalFailures: try row["total_failures"].decode(Int.self),
                                lastFailureAt: try Self.optionalDate(row, "last_failure_at"),
                                lockedUntil: try Self.optionalDate(row, "locked_until"))
            }
        }
    }

    public func linkedVisits(references: [String], questions: [String]) throws -> [String: [Visit]] {
        guard !references.isEmpty else { return [:] }
        return try link.session { session in
            let decoder = JSONDecoder()
            var out: [String: [Visit]] = [:]
            // The visits linked to each follow-up, and, for those that have any, its own first.
            for row in try session.rows("""
                SELECT reference, created_at, answers_json FROM (
                    SELECT follow_up AS reference, created_at AS at, \(unescaped: Self.ts("created_at")) AS created_at,
                           answers_json::text AS answers_json
                    FROM assessment WHERE follow_up = ANY(\(references))
                    UNION ALL
                    SELECT f.reference, a.created_at, \(unescaped: Self.ts("a.created_at")), a.answers_json::text
                    FROM follow_up f JOIN assessment a ON a.id = f.assessment_id
                    WHERE f.reference = ANY(\(references))
                      AND EXISTS (SELECT 1 FROM assessment l WHERE l.follow_up = f.reference)
                ) AS visits ORDER BY reference, at
                """) {
                let answers = try Self.decodeJSON(Answers.self, row, "answers_json", decoder)
                out[try row["reference"].decode(String.self), default: []]
                    .append(Visit(at: try Self.date(row, "created_at"), scores: answers.scores(questions)))
            }
            return out
        }
    }

    public func returningOutcomes(questions: [String], event: String?, since: Date?) throws -> [ReturnOutcome] {
        try snapshot { session in
            let decoder = JSONDecoder()
            let cutOff = since.map(StoredDate.text)
            var out: [ReturnOutcome] = []
            typealias Visits = LatestVisits<PostgresRandomAccessRow>
            func add(_ group: Visits.Group?) throws {
                guard let group, Visits.counts(latestEvent: try group.latest["event"].decode(String?.self),
                                               latestAt: try group.latest["created_at"].decode(String.self),
                                               event: event, since: cutOff) else { return }
                let first = try group.first.map { try decoder.decode(Answers.self, from: Data($0.utf8)) } ?? [:]
                let latest = try Self.decodeJSON(Answers.self, group.latest, "answers_json", decoder)
                out.append(ReturnOutcome(first: first.scores(questions), latest: latest.scores(questions)))
            }
            // Each follow-up's linked visits in order, with its first visit's answers: the last
            // row of a follow-up is its latest visit.
            let query: PostgresQuery = """
                SELECT l.follow_up, \(unescaped: Self.ts("l.created_at")) AS created_at, l.event,
                       l.answers_json::text AS answers_json, first.answers_json::text AS first_json
                FROM assessment l
                LEFT JOIN follow_up f ON f.reference = l.follow_up
                LEFT JOIN assessment first ON first.id = f.assessment_id
                WHERE l.follow_up IS NOT NULL
                ORDER BY l.follow_up, l.created_at, l.id
                """
            var visits = Visits()
            try Self.cursor(session, query) { row in
                try add(visits.add(reference: try row["follow_up"].decode(String.self),
                                   first: try row["first_json"].decode(String?.self), latest: row))
                return true
            }
            try add(visits.end())
            return out
        }
    }
}
#endif
