import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

/// `kiosk export csv` on SQLite writes its records straight from the statement's columns
/// (`writeFollowUpsCSV`). Whatever the rows hold, the bytes must be those of the general
/// way: each follow-up decoded (`forEachFollowUp`) and written by `CSV.row(CSV.followUpCells)`.
@Suite("Export store: the direct CSV is the general CSV")
struct ExportStoreTests {
    static let professionals = [
        Professional(id: "dana", name: "Dana Reyes", discipline: "massage_therapist", languages: ["en"]),
        Professional(id: "lee", name: "=Lee, \"Doc\" Park", discipline: "physical_therapist", languages: ["en"]),
        Professional(id: "zoë", name: "Zoë Ørsted", discipline: "physical_therapist", languages: ["de"]),
    ]

    static func clinic(_ zone: String, professionals: [Professional] = professionals) -> Clinic {
        Clinic(name: "Test", address: "1 Main St", phone: "555-0100", timeZone: zone, languages: ["en"],
               disciplines: [], professionals: professionals)
    }

    /// The CSV, how many follow-ups, in how many chunks, and how many rows went the general way.
    static func direct(_ store: SQLiteKioskStore, since: Date? = nil, clinic: Clinic,
                       zone: TimeZone) throws -> (String, Int, Int, general: Int) {
        var bytes: [UInt8] = []
        var chunks = 0, general = 0
        let count = try store.writeFollowUpsCSV(since: since, clinic: clinic, timeZone: zone, generalRows: &general) { chunk in
            bytes += chunk
            chunks += 1
        }
        return (String(decoding: bytes, as: UTF8.self), count, chunks, general)
    }

    static func general(_ store: SQLiteKioskStore, since: Date? = nil, clinic: Clinic, zone: TimeZone) throws -> (String, Int) {
        var text = ""
        var count = 0
        try store.forEachFollowUp(since: since) { followUp in
            text += CSV.row(CSV.followUpCells(followUp, clinic: clinic, timeZone: zone))
            count += 1
        }
        return (text, count)
    }

    /// A row as SQL values (already quoted), with everything a test may change.
    static func insert(_ store: SQLiteKioskStore, reference: String, created: String = "'2026-03-01T16:15:00.000Z'",
                       event: String = "NULL", language: String = "'en'", name: String = "'Ada Client'",
                       phone: String = "'555-0100'", email: String = "NULL", discipline: String = "'massage_therapist'",
                       professional: String = "NULL", times: String = "'[\"weekday_morning\"]'", afterClearance: Int = 0,
                       status: String = "'requested'", bookedProfessional: String = "NULL", bookedStart: String = "NULL",
                       bookedEnd: String = "NULL", notes: String = "NULL") throws {
        try store.executeForTesting("""
            INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email, discipline,
                                   professional, preferred_times_json, consent, after_clearance, status,
                                   booked_professional, booked_start, booked_end, notes)
            VALUES ('\(reference)', 'a-\(reference)', \(created), \(event), \(language), \(name), \(phone), \(email),
                    \(discipline), \(professional), \(times), 1, \(afterClearance), \(status),
                    \(bookedProfessional), \(bookedStart), \(bookedEnd), \(notes))
            """)
    }

    /// SQL for a text literal, quotes doubled.
    static func q(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    @Test("hostile, foreign and odd rows: byte for byte the same")
    func oddRows() throws {
        let store = try SQLiteKioskStore.inMemory()
        let hostile = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1 555", "-2", "@SUM(A1)", "\tx", "\rx", "\nx",
                       "a,b", "say \"hi\"", "\"", "line\r\nbreak", "\u{1B}[2J\u{1B}[31mred", "c1\u{9B}31m", "del\u{7F}",
                       "\u{202E}evil\u{202C}", "\u{202E}=1+1", "a = b", "emoji 👩🏽‍⚕️, é", "Zoë Müller", "", " ", "'quoted'",
                       "zero\u{200B}width", "=", ",", "\"\"", "ok"]
        for (i, text) in hostile.enumerated() {
            try Self.insert(store, reference: "H\(i)", created: Self.q(String(format: "2026-03-01T16:%02d:00.000Z", i)),
                            event: Self.q(text), name: Self.q(text), phone: Self.q(text), email: Self.q(text),
                            discipline: Self.q(text), professional: Self.q(text), notes: Self.q(text))
        }
        // A NUL inside a text (GRDB's String ends there), and bytes that are not UTF-8 (a blob).
        try Self.insert(store, reference: "NUL", name: "CAST(X'41004200' AS TEXT)", notes: "CAST(X'3D3100' AS TEXT)")
        try Self.insert(store, reference: "BLOB", name: "X'C328412C'", email: "X'FF'")
        // Professionals by name, unknown ids, a non-ASCII id; appointments whole and partial.
        try Self.insert(store, reference: "P1", professional: "'dana'", status: "'booked'", bookedProfessional: "'lee'",
                        bookedStart: "'2026-03-09T15:00:00.000Z'", bookedEnd: "'2026-03-09T16:00:00.000Z'")
        try Self.insert(store, reference: "P2", professional: "'zoë'", status: "'booked'", bookedProfessional: "'nobody'",
                        bookedStart: "'2026-11-01T06:30:00.000Z'", bookedEnd: "'2026-11-01T07:30:00.000Z'")
        try Self.insert(store, reference: "P3", professional: "'Dana'", bookedProfessional: "'dana'",
                        bookedStart: "'2026-03-09T15:00:00.000Z'")
        try Self.insert(store, reference: "P4", status: "'no_show'", bookedProfessional: "''",
                        bookedStart: "'2026-03-09 15:00:00Z'", bookedEnd: "'2026-03-09T16:00:00.5Z'")
        // Preferred times: plain lists, spaces, escapes, non-ASCII, the empty list.
        for (i, times) in ["[]", "[ ]", "[ \"a\" , \"b\" ]", "[\"a\\\"b\"]", "[\"é\",\"x\"]", "[\"=a\",\"b,c\"]",
                           "[\"a\"] ", "[\"\"]", "[\"\\u0041\"]"].enumerated() {
            try Self.insert(store, reference: "T\(i)", times: Self.q(times), afterClearance: i % 2)
        }
        // Times in the other forms the store reads, and every status.
        for (i, created) in ["2026-03-01 16:15:00.000Z", "2026-03-01T16:15:00Z", "2026-03-01T16:15:00.123456Z",
                             "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00.000Z", "2026-02-31T10:00:00.000Z"].enumerated() {
            let status = FollowUpStatus.allCases[i % FollowUpStatus.allCases.count].rawValue
            try Self.insert(store, reference: "C\(i)", created: Self.q(created), status: Self.q(status))
        }
        // With a professional whose id is not ASCII (names found by String comparison) and without.
        for zone in ["America/Chicago", "UTC", "Asia/Kolkata", "Australia/Lord_Howe"] {
          for clinic in [Self.clinic(zone), Self.clinic(zone, professionals: Array(Self.professionals.prefix(2)))] {
            let timeZone = TimeZone(identifier: zone)!
            let (direct, count, _, generalRows) = try Self.direct(store, clinic: clinic, zone: timeZone)
            let (general, expected) = try Self.general(store, clinic: clinic, zone: timeZone)
            #expect(count == expected)
            // The NUL, the blob, the odd lists and times; the hostile text is written directly.
            #expect(generalRows > 0 && generalRows < 20, "\(generalRows) of \(count) rows went the general way")
            #expect(direct == general, "in \(zone)")
            if direct != general {
                for (a, b) in zip(direct.components(separatedBy: "\r\n"), general.components(separatedBy: "\r\n")) where a != b {
                    Issue.record("direct:  \(a.debugDescription)\ngeneral: \(b.debugDescription)")
                }
            }
          }
        }
    }

    @Test("thousands of rows over 25 years, in zones with odd transitions: the same bytes, in several chunks",
          arguments: ["America/Chicago", "America/Sao_Paulo", "Europe/Volgograd", "Pacific/Apia", "Australia/Lord_Howe"])
    func manyRows(zone: String) throws {
        let store = try SQLiteKioskStore.inMemory()
        // Every 67 hours and 13 minutes from 2005; appointments at times out of order with them.
        try store.executeForTesting("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3299)
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, discipline,
                                   professional, preferred_times_json, consent, after_clearance, status,
                                   booked_professional, booked_start, booked_end)
            SELECT printf('R%05d', i), 'a' || i,
                   strftime('%Y-%m-%dT%H:%M:%S.000Z', 1104537600 + i * 241980, 'unixepoch'), 'en',
                   'Client ' || i, '555-' || printf('%07d', i), 'c' || i || '@example.org', 'massage_therapist',
                   CASE i % 3 WHEN 0 THEN 'dana' WHEN 1 THEN NULL ELSE 'lee' END,
                   '["weekday_morning","saturday"]', 1, i % 2,
                   CASE WHEN i % 4 = 0 THEN 'booked' ELSE 'requested' END,
                   CASE WHEN i % 4 = 0 THEN 'dana' END,
                   CASE WHEN i % 4 = 0 THEN strftime('%Y-%m-%dT%H:%M:%S.000Z', 1104537600 + ((i * 7919) % 3300) * 241980 + 1800, 'unixepoch') END,
                   CASE WHEN i % 4 = 0 THEN strftime('%Y-%m-%dT%H:%M:%S.000Z', 1104537600 + ((i * 7919) % 3300) * 241980 + 5400, 'unixepoch') END
            FROM n
            """)
        let clinic = Self.clinic(zone, professionals: Array(Self.professionals.prefix(2)))
        let timeZone = TimeZone(identifier: zone)!
        let (direct, count, chunks, generalRows) = try Self.direct(store, clinic: clinic, zone: timeZone)
        #expect(generalRows == 0, "plain rows are written directly")
        let (general, expected) = try Self.general(store, clinic: clinic, zone: timeZone)
        #expect(count == 3300 && expected == 3300)
        #expect(chunks >= 2, "more than one chunk of \(SQLiteKioskStore.csvChunk) bytes")
        #expect(direct == general)
        if direct != general {
            let a = direct.components(separatedBy: "\r\n"), b = general.components(separatedBy: "\r\n")
            for (x, y) in zip(a, b) where x != y {
                Issue.record("direct:  \(x)\ngeneral: \(y)")
                break
            }
        }
        // --since: the same rows as forEachFollowUp's.
        let since = Date(timeIntervalSince1970: 1_500_000_000)
        let (directSince, countSince, _, _) = try Self.direct(store, since: since, clinic: clinic, zone: timeZone)
        let (generalSince, expectedSince) = try Self.general(store, since: since, clinic: clinic, zone: timeZone)
        #expect(countSince == expectedSince && countSince > 0 && countSince < 3300)
        #expect(directSince == generalSince)
    }

    @Test("a row that cannot be read fails the export as it did")
    func unreadable() throws {
        let store = try SQLiteKioskStore.inMemory()
        try Self.insert(store, reference: "OK1")
        try Self.insert(store, reference: "BAD", created: "'2026-03-01T16:16:00.000Z'", times: "'not json'")
        let clinic = Self.clinic("UTC")
        #expect(throws: StoreError.self) { _ = try Self.direct(store, clinic: clinic, zone: TimeZone(identifier: "UTC")!) }
        #expect(throws: StoreError.self) { _ = try Self.general(store, clinic: clinic, zone: TimeZone(identifier: "UTC")!) }
    }

    @Test("an error from the writer comes out as it is, and stops the walk")
    func writerError() throws {
        struct Full: Error {}
        let store = try SQLiteKioskStore.inMemory()
        try store.executeForTesting("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, preferred_times_json, consent)
            SELECT printf('R%05d', i), 'a' || i, strftime('%Y-%m-%dT%H:%M:%S.000Z', 1104537600 + i * 60, 'unixepoch'),
                   'en', 'Client ' || i, '[]', 1 FROM n
            """)
        var calls = 0
        #expect(throws: Full.self) {
            _ = try store.writeFollowUpsCSV(since: nil, clinic: Self.clinic("UTC"), timeZone: TimeZone(identifier: "UTC")!) { _ in
                calls += 1
                throw Full()
            }
        }
        #expect(calls == 1)
    }
}
