import Foundation
import KioskCore
import KioskPostgres
import KioskTestSupport
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
    static func ran(_ name: String) { PostgresMarker.note(name) }
}

/// A fresh, empty database of one kind for one test; `open()` makes a new store on it
/// (for PostgreSQL, a new connection: another machine).
final class TestDatabase: @unchecked Sendable {
    let kind: StoreKind
    private let folder: TempDir?
    #if PostgreSQL
    private let scratch: PostgresScratch?
    #endif

    init(_ kind: StoreKind, test: String = #function) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            folder = try TempDir("kiosk-conf")
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
        return folder!.path("kiosk.sqlite")
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
        #if PostgreSQL
        scratch?.drop()
        #endif
    }
}
