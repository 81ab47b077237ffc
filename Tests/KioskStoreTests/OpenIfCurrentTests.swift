import Foundation
import KioskTestSupport
import Testing
@testable import KioskStore

/// `kiosk run` opens its database this way while it reads its content, before it knows the
/// content is good: it must make and change nothing.
@Suite("Opening a database only when it is current")
struct OpenIfCurrentTests {
    /// The schema version in a SQLite file's header (bytes 60 to 63).
    static func userVersion(_ path: String) throws -> Int {
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(64)
        return header.suffix(4).reduce(0) { $0 << 8 | Int($1) }
    }

    @Test("a current file opens and works")
    func current() throws {
        let db = try TempDatabase()
        try SQLiteKioskStore(path: db.path).close()
        let store = try #require(SQLiteKioskStore.openIfCurrent(path: db.path))
        #expect(try store.connectionSettings().schemaVersion == SQLiteKioskStore.schemaVersion)
        #expect(try store.connectionSettings().journalMode == "wal")
        try store.close()
    }

    @Test("a missing file is not made, nor its folder")
    func missing() throws {
        let dir = try TempDir()
        #expect(SQLiteKioskStore.openIfCurrent(path: dir.path("kiosk.sqlite")) == nil)
        #expect(SQLiteKioskStore.openIfCurrent(path: dir.path("new/kiosk.sqlite")) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }

    @Test("an older file is left at its version for the usual opening to migrate")
    func older() throws {
        let db = try TempDatabase("v8.sqlite")
        try SQLiteKioskStore.createForTesting(path: db.path, upTo: "v8-referrals", "SELECT 1")
        #expect(try Self.userVersion(db.path) == 8)
        #expect(SQLiteKioskStore.openIfCurrent(path: db.path) == nil)
        #expect(try Self.userVersion(db.path) == 8, "not migrated")
        let store = try SQLiteKioskStore(path: db.path)
        #expect(try store.connectionSettings().schemaVersion == SQLiteKioskStore.schemaVersion)
        try store.close()
    }

    @Test("a file that is not a database is left as it is")
    func notADatabase() throws {
        let db = try TempDatabase()
        let bytes = Data("not a database, only text that happens to be here\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: db.path))
        #expect(SQLiteKioskStore.openIfCurrent(path: db.path) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db.path)) == bytes)
    }
}
