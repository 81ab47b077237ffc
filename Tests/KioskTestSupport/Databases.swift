import Foundation
import KioskCore

/// A fresh folder under the system temp dir, removed when the value goes away: where a
/// test puts its database files (`path("kiosk.sqlite")`).
public final class TempDir: @unchecked Sendable {
    public let url: URL
    public init(_ prefix: String = "kiosk-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A file's permission bits (0o600 and the like), or -1.
public func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A follow-up request as a kiosk saves it, with a fresh assessment id.
public func request(name: String = "Zoë Müller", phone: String? = "+41 79 123 45 67", email: String? = nil,
                    at seconds: TimeInterval = 1_740_000_000, event: String? = "Health fair 2025",
                    professional: String? = nil) -> FollowUpRequest {
    FollowUpRequest(assessmentID: "A-\(UUID().uuidString)", createdAt: Date(timeIntervalSince1970: seconds),
                    event: event, language: "de", name: name, phone: phone, email: email,
                    discipline: "physio", professional: professional, preferredTimes: ["weekday_morning", "saturday"],
                    consent: true, afterMedicalClearance: false)
}

/// A reference code as the kiosk draws one.
public func randomCode() -> String {
    var generator = SystemRandomNumberGenerator()
    return ReferenceCode.make(using: &generator)
}

/// Hands out the given codes in order, then random ones.
public final class Codes {
    public var queue: [String]
    public init(_ codes: [String]) { queue = codes }
    public func next() -> String { queue.isEmpty ? randomCode() : queue.removeFirst() }
}

/// Results and errors collected from several threads.
public final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []
    private var errors: [any Error] = []
    public init() {}
    public func add(_ value: Value) { lock.lock(); values.append(value); lock.unlock() }
    public func fail(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    /// What was collected so far; the next `take()` starts empty.
    public func take() -> ([Value], [any Error]) {
        lock.lock(); defer { values = []; errors = []; lock.unlock() }
        return (values, errors)
    }
}

// MARK: - Times

public func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

/// A whole second a day from now: the desk's clock for the tests. The history is in time
/// order and the kiosk stamps a new request's first event with the real clock, so the
/// desk's changes must come later.
public let deskDay = (Date().timeIntervalSince1970 + 86_400).rounded(.up)
public func desk(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: deskDay + seconds) }

/// Monday 3 March 2025, 09:00 UTC.
public let nine: TimeInterval = 1_740_992_400

/// A slot of `minutes` with `professional` from `start`.
public func slot(_ professional: String, _ start: TimeInterval, minutes: Double = 30) -> Appointment {
    Appointment(professional: professional, start: at(start), end: at(start + minutes * 60))
}

/// A database file's path in a fresh `TempDir` (removed with this value); `dir` holds
/// any other file the test needs beside it.
public final class TempDatabase: @unchecked Sendable {
    public let dir: TempDir
    public let path: String
    public init(_ name: String = "kiosk.sqlite") throws {
        dir = try TempDir()
        path = dir.path(name)
    }
}

/// The file that proves PostgreSQL tests ran (`KIOSK_TEST_POSTGRES_MARKER`, set by .ci/run,
/// which fails when it stays empty): one line per test that used the server.
public enum PostgresMarker {
    nonisolated(unsafe) private static let lock = NSLock()

    public static func note(_ name: String) {
        guard let path = ProcessInfo.processInfo.environment["KIOSK_TEST_POSTGRES_MARKER"], !path.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        if let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() {
            handle.seekToEndOfFile()
            handle.write(Data((name + "\n").utf8))
            try? handle.close()
        }
    }
}
