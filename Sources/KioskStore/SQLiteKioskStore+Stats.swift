import Foundation
import GRDB
import KioskCore

/// The practice's numbers (`kiosk stats`), counted from anonymous rows only: session
/// starts, assessments and the status column of follow-ups. The queries never select a
/// name, phone, email or note.
extension SQLiteKioskStore {
    /// Counts sessions started (`session_start.started_at`), assessments
    /// (`assessment.created_at`) and follow-up requests (`follow_up.created_at`) at or after
    /// `since`, and only those of `event` when given (nil: every event and none).
    ///
    /// One read transaction (a consistent snapshot); rows are streamed through GRDB cursors
    /// one at a time, so the memory used does not grow with the database. An empty
    /// database gives all zeros.
    /// - Throws: `StoreError.io` for an assessment with an unknown level or unreadable
    ///   JSON, or a follow-up with an unknown status; `StoreError` for database failures.
    public func practiceStats(event: String?, since: Date?) throws -> PracticeStats {
        func filter(_ dateColumn: String) -> (sql: String, arguments: StatementArguments) {
            var clauses: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let event { clauses.append("event = ?"); arguments.append(event) }
            // Stored dates are fixed-width UTC text: text order is time order.
            if let since { clauses.append("\(dateColumn) >= ?"); arguments.append(StoredDate.text(since)) }
            return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), StatementArguments(arguments))
        }
        return try read { db in
            var builder = PracticeStatsBuilder()

            let sessions = filter("started_at")
            let sessionRows = try Row.fetchCursor(db, sql: "SELECT language, event FROM session_start \(sessions.sql)",
                                                  arguments: sessions.arguments)
            while let row = try sessionRows.next() {
                builder.addSession(language: try row.decode(String.self, atIndex: 0),
                                   event: try row.decode(String?.self, atIndex: 1))
            }

            let assessments = filter("created_at")
            let assessmentRows = try Row.fetchCursor(db, sql: """
                SELECT id, created_at, event, language, answers_json, level, outcome,
                       options_shown_json, options_left_out_json
                FROM assessment \(assessments.sql)
                """, arguments: assessments.arguments)
            let decoder = JSONDecoder()
            while let row = try assessmentRows.next() {
                builder.add(try Self.statsAssessment(row, decoder: decoder))
            }

            let followUps = filter("created_at")
            // A referral's partner and discipline: who it went to, never who asked.
            let statusRows = try Row.fetchCursor(db, sql: """
                SELECT reference, status, referral, professional, discipline, event FROM follow_up \(followUps.sql)
                """, arguments: followUps.arguments)
            while let row = try statusRows.next() {
                let text = try row.decode(String.self, atIndex: 1)
                guard let status = FollowUpStatus(rawValue: text) else {
                    let reference = try row.decode(String.self, atIndex: 0)
                    throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)'")
                }
                let partner = try row.decode(Bool.self, atIndex: 2) ? try row.decode(String?.self, atIndex: 3) ?? "" : nil
                builder.addFollowUp(status: status, referralTo: partner, discipline: try row.decode(String?.self, atIndex: 4),
                                    event: try row.decode(String?.self, atIndex: 5))
            }
            return builder.build()
        }
    }

    /// An assessment row as the store's `assessment(id:)` reads it: the same columns,
    /// the same `JSONDecoder` defaults for `Answers` and the option lists.
    private static func statsAssessment(_ row: Row, decoder: JSONDecoder) throws -> AssessmentRecord {
        let id = try row.decode(String.self, forColumn: "id")
        let levelText = try row.decode(String.self, forColumn: "level")
        guard let level = TriageLevel(rawValue: levelText) else {
            throw StoreError.io(reason: "assessment \(id) has an unknown level '\(levelText)'")
        }
        func json<T: Decodable>(_ type: T.Type, _ column: String) throws -> T {
            let text = try row.decode(String.self, forColumn: column)
            do {
                return try decoder.decode(T.self, from: Data(text.utf8))
            } catch {
                throw StoreError.io(reason: "unreadable JSON in column \(column) of assessment \(id)")
            }
        }
        return AssessmentRecord(
            id: id,
            createdAt: try date(row, "created_at"),
            event: try row.decode(String?.self, forColumn: "event"),
            language: try row.decode(String.self, forColumn: "language"),
            answers: try json(Answers.self, "answers_json"),
            level: level,
            outcome: try row.decode(String?.self, forColumn: "outcome"),
            optionsShown: try json([String].self, "options_shown_json"),
            optionsLeftOut: try json([String].self, "options_left_out_json"))
    }
}
