import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

@Suite("SQLite kiosk store")
struct SQLiteKioskStoreTests {
    @Test("a follow-up request survives closing and reopening the database file")
    func survivesReopen() throws {
        let db = try TempDatabase()
        let asked = request()
        var code = ""
        do {
            let store = try SQLiteKioskStore(path: db.path)
            code = try store.saveFollowUp(asked, makeCode: randomCode)
            try store.close()
        }
        #expect(ReferenceCode.isValid(code))
        let reopened = try SQLiteKioskStore(path: db.path)
        let stored = try #require(try reopened.followUp(reference: code))
        #expect(stored == FollowUp(reference: code, request: asked, status: .requested))
        let history = try reopened.history(reference: code)
        #expect(history.count == 1)
        #expect(history.first?.actor == "kiosk")
        #expect(history.first?.from == nil)
        #expect(history.first?.to == .requested)
    }

    @Test("two stores on one file writing follow-ups from two threads: all 100 land, codes unique")
    func concurrentWriters() throws {
        let dir = try TempDir()
        let path = dir.path("kiosk.sqlite")
        let stores = [try SQLiteKioskStore(path: path), try SQLiteKioskStore(path: path)]
        let collected = Collected<String>()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for n in 0..<50 {
                do {
                    collected.add(try stores[index].saveFollowUp(request(name: "client \(index)-\(n)"),
                                                                 makeCode: randomCode))
                } catch {
                    collected.fail(error)
                }
            }
        }
        let (codes, errors) = collected.take()
        #expect(errors.isEmpty, "\(errors)")
        #expect(codes.count == 100)
        #expect(Set(codes).count == 100)
        for store in stores {
            let all = try store.followUps(status: nil, limit: 1000)
            #expect(all.count == 100)
            #expect(Set(all.map(\.reference)) == Set(codes))
            #expect(try store.rowCount("follow_up_event") == 100)
        }
    }

    @Test("kiosk and desk opening a new file at the same moment both get a working store")
    func concurrentFirstOpen() throws {
        for _ in 0..<20 {
            let dir = try TempDir()
            let path = dir.path("fresh/kiosk.sqlite")
            let collected = Collected<String>()
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                do {
                    let store = try SQLiteKioskStore(path: path)
                    collected.add(try store.saveFollowUp(request(), makeCode: randomCode))
                } catch {
                    collected.fail(error)
                }
            }
            let (codes, errors) = collected.take()
            #expect(errors.isEmpty, "\(errors)")
            #expect(codes.count == 3)
        }
    }

    @Test("a code clash draws again and overwrites nothing")
    func codeClash() throws {
        let store = try SQLiteKioskStore.inMemory()
        let first = try store.saveFollowUp(request(name: "First"), makeCode: { "AAA-AAA" })
        #expect(first == "AAA-AAA")
        let codes = Codes(["AAA-AAA", "BBB-BBB"])
        let second = try store.saveFollowUp(request(name: "Second"), makeCode: codes.next)
        #expect(second == "BBB-BBB")
        #expect(try store.followUp(reference: "AAA-AAA")?.request.name == "First")
        #expect(try store.followUp(reference: "BBB-BBB")?.request.name == "Second")
        #expect(try store.rowCount("follow_up") == 2)
    }

    @Test("new folder 0700, database file 0600 (and -wal/-shm), WAL, synchronous FULL, busy timeout 5 s")
    func fileModesAndPragmas() throws {
        let dir = try TempDir()
        let folder = dir.path("new/deeper")
        let path = folder + "/kiosk.sqlite"
        let store = try SQLiteKioskStore(path: path)
        _ = try store.saveFollowUp(request(), makeCode: randomCode)
        #expect(try mode(dir.path("new")) == 0o700)
        #expect(try mode(folder) == 0o700)
        #expect(try mode(path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try mode(path + suffix) == 0o600, "\(suffix)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let settings = try store.connectionSettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
        #expect(settings.foreignKeys)
        #expect(settings.busyTimeoutMilliseconds == 5000)
        #expect(settings.schemaVersion == SQLiteKioskStore.schemaVersion)
    }

    @Test("an unwritable path throws cannotCreate with a one-line message", arguments: [
        "under-a-file", "proc", "a-folder",
    ])
    func unwritablePath(_ kind: String) throws {
        let dir = try TempDir()
        let path: String
        switch kind {
        case "under-a-file":
            try Data("x".utf8).write(to: dir.url.appendingPathComponent("plain"))
            path = dir.path("plain/sub/kiosk.sqlite")
        case "proc":
            path = "/proc/x/y/kiosk.sqlite"
        default:
            try FileManager.default.createDirectory(atPath: dir.path("kiosk.sqlite"), withIntermediateDirectories: false)
            path = dir.path("kiosk.sqlite")
        }
        do {
            _ = try SQLiteKioskStore(path: path)
            Issue.record("opened \(path)")
        } catch {
            guard case let .cannotCreate(errorPath, reason) = error else {
                Issue.record("expected cannotCreate, got \(error)")
                return
            }
            #expect(errorPath == path)
            #expect(!reason.isEmpty)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a file that is not a SQLite database throws a clear io error")
    func notADatabase() throws {
        let dir = try TempDir()
        let path = dir.path("kiosk.sqlite")
        try Data(String(repeating: "this is not a database, just some text. ", count: 200).utf8)
            .write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteKioskStore(path: path)
            Issue.record("opened a garbage file")
        } catch {
            guard case let .io(reason) = error else {
                Issue.record("expected io, got \(error)")
                return
            }
            #expect(reason.contains("not a SQLite database"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a database from a newer kiosk is refused")
    func newerSchema() throws {
        let dir = try TempDir()
        let path = dir.path("kiosk.sqlite")
        do {
            let store = try SQLiteKioskStore(path: path)
            try store.executeForTesting("PRAGMA user_version = \(SQLiteKioskStore.schemaVersion + 1)")
            try store.close()
        }
        #expect(throws: StoreError.newerSchema(found: SQLiteKioskStore.schemaVersion + 1, known: SQLiteKioskStore.schemaVersion)) {
            _ = try SQLiteKioskStore(path: path)
        }
    }

    @Test("a session's start and its assessment skip the disk flush; every other write still waits for it")
    func unflushedWritesLeaveFullSync() throws {
        let dir = try TempDir()
        struct Refused: Error {}
        let store = try SQLiteKioskStore(path: dir.path("kiosk.sqlite"))
        try store.recordSessionStart(id: "s-1", at: Date(), event: nil, language: "en")
        #expect(try store.connectionSettings().synchronous == 2)
        try store.saveAssessment(AssessmentRecord(
            id: "a-1", createdAt: Date(), event: nil, language: "en", answers: [:], level: .selfCare,
            outcome: nil, optionsShown: [], optionsLeftOut: []))
        #expect(try store.connectionSettings().synchronous == 2)
        // A write that fails half-way leaves nothing behind and the flush back on.
        #expect(throws: StoreError.self) {
            try store.writeSyncedLater { db in
                try db.execute(sql: "INSERT INTO session_start (id, started_at, language) VALUES ('s-2', '2026-01-01', 'en')")
                throw Refused()
            }
        }
        #expect(try store.connectionSettings().synchronous == 2)
        #expect(try store.rowCount("session_start") == 1)
        _ = try store.saveFollowUp(request(), makeCode: randomCode)
        #expect(try store.connectionSettings().synchronous == 2)
    }

    @Test("follow-ups come newest first, filtered by status and limited")
    func followUpOrder() throws {
        let store = try SQLiteKioskStore.inMemory()
        let codes = Codes(["AAA-AAA", "BBB-BBB", "CCC-CCC"])
        _ = try store.saveFollowUp(request(name: "old", at: 1_000), makeCode: codes.next)
        _ = try store.saveFollowUp(request(name: "new", at: 3_000), makeCode: codes.next)
        _ = try store.saveFollowUp(request(name: "mid", at: 2_000), makeCode: codes.next)
        #expect(try store.followUps(status: nil, limit: 10).map(\.request.name) == ["new", "mid", "old"])
        #expect(try store.followUps(status: .requested, limit: 2).map(\.request.name) == ["new", "mid"])
        #expect(try store.followUps(status: .booked, limit: 10).isEmpty)
        #expect(try store.followUps(status: nil, limit: 0).isEmpty)
    }

    @Test("dates are stored as fixed-width UTC text and read back to the millisecond")
    func dateText() throws {
        for seconds in [0, 1_740_000_000, 1_740_000_000.5, 1_740_000_000.123, -86_400.001, 4_102_444_799.999] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = StoredDate.text(date)
            #expect(text.count == 24, "\(text)")
            #expect(StoredDate.date(text) == date, "\(text)")
        }
        #expect(StoredDate.text(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(StoredDate.date("2025-02-19T21:20:00Z") == Date(timeIntervalSince1970: 1_740_000_000))
        #expect(StoredDate.date("2025-02-19") == nil)
    }
}

/// The PIN's rules (digits, tries, locks) are in the conformance suite, on both stores.
@Suite("The staff PIN")
struct StaffPinTests {
    @Test("the PIN is kept only as a salted hash, and a right PIN is accepted")
    func hashedPin() throws {
        let db = try TempDatabase()
        let store = try SQLiteKioskStore(path: db.path)
        try store.setStaffPin("4711")
        #expect(try store.hasStaffPin())
        #expect(try store.checkStaffPin("4711", now: Date()) == .accepted)
        // Nothing in the file holds the PIN as typed.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db.path)) + ((try? Data(contentsOf: URL(fileURLWithPath: db.path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data("4711".utf8)) == nil)
        // Two stores with the same PIN have different hashes (a salt).
        let other = try SQLiteKioskStore(path: db.dir.path("other.sqlite"))
        try other.setStaffPin("4711")
        #expect(try other.checkStaffPin("4711", now: Date()) == .accepted)
    }
}

@Suite("Reading stored lists quickly")
struct PlainListTests {
    @Test("plain JSON lists of ids are read without JSONDecoder; anything else falls back",
          arguments: [("[]", [String]?.some([])), ("[\"a\"]", ["a"]), ("[\"weekday_morning\",\"saturday\"]", ["weekday_morning", "saturday"]),
                      ("[\"a\", \"b\"]", ["a", "b"]), ("[\"a\\\"b\"]", nil), ("[\"a\",]", nil), ("[1]", nil), ("[\"a\"] x", nil),
                      ("[\"é ñ\"]", ["é ñ"])])
    func plainLists(_ text: String, _ expected: [String]?) throws {
        #expect(SQLiteKioskStore.plainStringList(text) == expected)
        if let expected {   // the same as JSON says
            #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == expected)
        }
    }
}
