import Foundation
import KioskCore
import KioskPostgres
@testable import KioskStore
import Testing

/// The two kinds of store the conformance suite runs against.
enum StoreKind: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// SQLite always; PostgreSQL when this build has it and a server was given.
    static var available: [StoreKind] { PostgresTests.url == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// Where the PostgreSQL tests find their server, and the proof that they ran.
enum PostgresTests {
    /// An administrator's URL (it may create databases), e.g. postgres://kiosk_admin@127.0.0.1:55432/postgres,
    /// the password in PGPASSWORD. Nil when the build lacks the trait or the variable is unset.
    static var url: String? {
        #if PostgreSQL
        let value = ProcessInfo.processInfo.environment["KIOSK_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
        #else
        return nil
        #endif
    }

    static var built: Bool {
        #if PostgreSQL
        return true
        #else
        return false
        #endif
    }

    static let howToRun = built
        ? "PostgreSQL tests skipped: KIOSK_TEST_POSTGRES_URL is not set. Run .ci/run, or start a throwaway server "
            + "with: eval \"$(.ci/pg-server start)\" && KIOSK_POSTGRES=1 ./kiosk test; .ci/pg-server stop"
        : "PostgreSQL tests skipped: this build lacks the trait PostgreSQL. Run .ci/run, or: "
            + "eval \"$(.ci/pg-server start)\" && KIOSK_POSTGRES=1 ./kiosk test; .ci/pg-server stop"

    /// Notes that a test ran against PostgreSQL (CI fails when none did).
    static func ran(_ name: String) {
        guard let path = ProcessInfo.processInfo.environment["KIOSK_TEST_POSTGRES_MARKER"], !path.isEmpty else { return }
        markerLock.lock()
        defer { markerLock.unlock() }
        if let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() {
            handle.seekToEndOfFile()
            handle.write(Data((name + "\n").utf8))
            try? handle.close()
        }
    }
    nonisolated(unsafe) static let markerLock = NSLock()
}

/// A fresh, empty database of one kind for one test; `open()` makes a new store on it
/// (for PostgreSQL, a new connection: another machine).
final class TestDatabase: @unchecked Sendable {
    let kind: StoreKind
    private let folder: URL?
    #if PostgreSQL
    private let scratch: PostgresScratch?
    #endif

    init(_ kind: StoreKind, test: String = #function) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-conf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            folder = url
            #if PostgreSQL
            scratch = nil
            #endif
        case .postgres:
            folder = nil
            #if PostgreSQL
            scratch = try PostgresScratch(adminURL: try #require(PostgresTests.url))
            PostgresTests.ran(test)
            #else
            throw StoreError.unavailable(reason: PostgresTests.howToRun)
            #endif
        }
    }

    /// The location a kiosk would be given: a file path or a postgres:// URL.
    var location: String {
        #if PostgreSQL
        if let scratch { return scratch.url }
        #endif
        return folder!.appendingPathComponent("kiosk.sqlite").path
    }

    func open() throws -> any PracticeStore {
        #if PostgreSQL
        if let scratch { return try PostgresKioskStore(url: scratch.url) }
        #endif
        return try SQLiteKioskStore(path: location)
    }

    /// Sets this (empty) database up as a kiosk before the folded search (v7) left it, with
    /// one follow-up: `name` and `email`, reference `reference`, created at 1,000 s.
    func createBeforeFoldedSearch(reference: String, name: String, email: String) throws {
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let values = "(\(quoted(reference)), 'old-1', '1970-01-01T00:16:40.000Z', 'es', \(quoted(name)), NULL, \(quoted(email))"
        switch kind {
        case .sqlite:
            try SQLiteKioskStore.createForTesting(path: location, upTo: "v6-words", """
                INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, consent)
                VALUES \(values), 1);
                INSERT INTO follow_up_event (reference, at, actor, from_status, to_status)
                VALUES (\(quoted(reference)), '1970-01-01T00:16:40.000Z', 'kiosk', NULL, 'requested');
                """)
        case .postgres:
            #if PostgreSQL
            try PostgresKioskStore.createForTesting(url: location, upTo: 1, """
                INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, consent)
                VALUES \(values), true);
                INSERT INTO follow_up_event (reference, at, actor, from_status, to_status)
                VALUES (\(quoted(reference)), '1970-01-01T00:16:40.000Z', 'kiosk', NULL, 'requested');
                """)
            #endif
        }
    }

    /// Runs SQL of this kind's dialect on a store (tests only).
    static func execute(_ sql: String, on store: any PracticeStore) throws {
        if let store = store as? SQLiteKioskStore { try store.executeForTesting(sql); return }
        #if PostgreSQL
        if let store = store as? PostgresKioskStore { try store.executeForTesting(sql); return }
        #endif
        Issue.record("unknown store")
    }

    static func rowCount(_ table: String, _ store: any PracticeStore) throws -> Int {
        if let store = store as? SQLiteKioskStore { return try store.rowCount(table) }
        #if PostgreSQL
        if let store = store as? PostgresKioskStore { return try store.rowCount(table) }
        #endif
        return -1
    }

    deinit {
        if let folder { try? FileManager.default.removeItem(at: folder) }
        #if PostgreSQL
        scratch?.drop()
        #endif
    }
}

// MARK: - Values the tests use

func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

/// A whole second a day from now: the desk's clock (after the kiosk's real-clock first event).
let deskDay = (Date().timeIntervalSince1970 + 86_400).rounded(.up)
func desk(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: deskDay + seconds) }

/// Monday 3 March 2025, 09:00 UTC.
let nine: TimeInterval = 1_740_992_400

func slot(_ professional: String, _ start: TimeInterval, minutes: Double = 30) -> Appointment {
    Appointment(professional: professional, start: at(start), end: at(start + minutes * 60))
}

func request(name: String = "Zoë Müller", phone: String? = "+41 79 123 45 67", email: String? = nil,
             at seconds: TimeInterval = 1_740_000_000, event: String? = "Health fair 2025",
             professional: String? = nil) -> FollowUpRequest {
    FollowUpRequest(assessmentID: "A-\(UUID().uuidString)", createdAt: Date(timeIntervalSince1970: seconds),
                    event: event, language: "de", name: name, phone: phone, email: email,
                    discipline: "physio", professional: professional, preferredTimes: ["weekday_morning", "saturday"],
                    consent: true, afterMedicalClearance: false)
}

func randomCode() -> String {
    var generator = SystemRandomNumberGenerator()
    return ReferenceCode.make(using: &generator)
}

/// Hands out the given codes in order, then random ones.
final class Codes {
    var queue: [String]
    init(_ codes: [String]) { queue = codes }
    func next() -> String { queue.isEmpty ? randomCode() : queue.removeFirst() }
}

/// Results from several threads.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var wins: [String] = []
    private var errors: [any Error] = []
    func win(_ value: String) { lock.lock(); wins.append(value); lock.unlock() }
    func fail(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    func take() -> ([String], [any Error]) {
        lock.lock(); defer { wins = []; errors = []; lock.unlock() }
        return (wins, errors)
    }
}
