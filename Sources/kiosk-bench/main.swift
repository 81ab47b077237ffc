// kiosk-bench: measures the kiosk. Run: ./kiosk bench  (= kiosk-bench all)
//
//   all    the whole suite (Suite.swift): a table, and the figures as JSON (--json PATH,
//          default .build/kiosk-bench.json); --quick for a tiny configuration.
//   soak   N whole scripted sessions (each booking a follow-up, committed durably)
//          through one ClientSession loop and one SQLite store, in one process;
//          prints resident memory after the first 100 sessions and at the end.
//   desk   a database of N follow-ups (--rows, default 100,000): the desk's first page of
//          `list`, `find`, and `kiosk export csv` (its time and peak memory). With --db PATH,
//          a file made by `generate --rows N --db PATH` (the same N), measured as it is.
//   find   row 4 alone: list and find at 1,000 and at 1,000,000 follow-ups (--quick: 20,000).
//   startup  rows 1 and 2 alone: start to first prompt in a pseudo-terminal, a piped session.
//   core   row 3 alone (--long for longer rounds), for a profiler.
//   postgres  row 9 alone (Postgres.swift): bookings/s of 10 kiosk sessions on PostgreSQL
//          beside pgbench; --postgres URL, or KIOSK_BENCH_POSTGRES_URL / KIOSK_TEST_POSTGRES_URL,
//          else a throwaway server started with .ci/pg-server.
//   bookings  --clients N (10) --seconds S (10) [--db PATH | --db postgres://...]: N kiosk
//          sessions at once, each on its own connection, committing follow-up requests
//          for S seconds; prints bookings per second and the commit time percentiles.
//          Without --db: a new SQLite file. A postgres:// URL needs the trait PostgreSQL
//          (swift build -c release --traits PostgreSQL) and a database you can fill.
import Foundation
import GRDB
import KioskContent
import KioskCore
import KioskPostgres
import KioskStore

func residentKB() -> (rss: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

/// Typed lines of one whole session that books (an old car accident, neck pain for years).
let script = ["", "none", "none", "none", "none", "neck", "2, 1", "4", "5", "4", "1", "4", "2", "none", "1",
              "yes", "1", "1, 2", "Sam Lee", "555-010-0199", "1", ""]

func soak(sessions: Int, contentDir: String) throws {
    let start = Date()
    let (first, last) = try soakFigures(sessions: sessions, contentDir: contentDir)
    print(String(format: "soak: %d sessions in %.1f s", sessions, Date().timeIntervalSince(start)))
    print("resident memory after 100 sessions: \(first) kB; after \(sessions): \(last) kB; growth \(last - first) kB")
}

/// Resident memory (kB) after the first 100 sessions and after all of them.
func soakFigures(sessions: Int, contentDir: String) throws -> (Int, Int) {
    let content = try ContentLoader.load(directory: contentDir).get()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString)")
    let store = try SQLiteKioskStore(path: dir.appendingPathComponent("soak.sqlite").path)
    defer { try? FileManager.default.removeItem(at: dir) }
    var generator = SystemRandomNumberGenerator()
    var afterFirst100 = (rss: 0, peak: 0)
    for n in 1...sessions {
        var session = ClientSession(content: content, id: UUID().uuidString)
        _ = session.start()
        for line in script {
            let transition = session.handle(line, now: Date())
            for effect in transition.effects {
                switch effect {
                case let .saveAssessment(record): try store.saveAssessment(record)
                case let .raiseAlert(alert): try store.raiseAlert(alert)
                case let .saveFollowUp(request):
                    let code = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
                    _ = session.followUpSaved(reference: code)
                case let .sessionStarted(id, event, language):
                    try store.recordSessionStart(id: id, at: Date(), event: event, language: language)
                case .endSession, .staffExit, .printSlip, .checkReturning, .linkVisit: break
                }
            }
        }
        if n == min(100, sessions) { afterFirst100 = residentKB() }
    }
    return (afterFirst100.rss, residentKB().rss)
}

/// The i-th reference code, in the kiosk's own format (XXX-XXX).
func reference(_ i: Int) -> String {
    let alphabet = ReferenceCode.alphabet
    var n = i, chars: [Character] = []
    for _ in 0..<6 { chars.append(alphabet[n % alphabet.count]); n /= alphabet.count }
    return String(chars[0..<3]) + "-" + String(chars[3..<6])
}

/// A made-up name for the i-th generated client, built from syllables so that names vary
/// as real ones do (a search for one name does not match every row).
func syntheticName(_ i: Int) -> String {
    let syllables = ["ka", "lo", "mi", "ren", "dor", "vas", "tu", "bel", "qui", "san", "ro", "fen", "ada", "pol", "zim", "ner"]
    func word(_ n: Int, _ parts: Int) -> String {
        var n = n, out = ""
        for _ in 0..<parts { out += syllables[n % syllables.count]; n /= syllables.count }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
    return word(i, 2) + " " + word(i / 256 &* 7 &+ i, 3)
}

/// Fills a new kiosk database with `rows` follow-ups (and their audit events) in one transaction.
func generate(rows: Int, at path: String) throws {
    let statuses = ["requested", "contacted", "completed", "cancelled"]
    try SQLiteKioskStore.bulkLoad(path: path) { db in
        let insert = try db.makeStatement(sql: """
            INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email,
                                   discipline, professional, preferred_times_json, consent, after_clearance, status)
            VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%S.000Z', ?, 'unixepoch'), NULL, 'en', ?, ?, ?,
                    'massage_therapist', NULL, '["weekday_morning"]', 1, 0, ?)
            """)
        for i in 1...rows {
            try insert.execute(arguments: [reference(i), "a\(i)", 1_700_000_000 + i * 60, syntheticName(i),
                                           "555-\(String(format: "%07d", i))", "client\(i)@example.org", statuses[i % 4]])
        }
        try db.execute(sql: """
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status)
            SELECT reference, created_at, 'kiosk', NULL, 'requested' FROM follow_up
            """)
    }
}

func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

func timed(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return samples
}

/// With `existing` (a file made by `generate --rows N --db PATH`, the same N), that file is
/// measured as it is (and kept) instead of a new one.
func deskBench(rows: Int, existing: String? = nil) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = existing ?? dir.appendingPathComponent("desk.sqlite").path
    if existing == nil {
        let made = try timed(1) { try generate(rows: rows, at: path) }
        print(String(format: "desk: %d follow-ups generated in %.1f s", rows, made[0] / 1000))
    } else {
        print("desk: \(path), generated with --rows \(rows)")
    }
    let store = try SQLiteKioskStore(path: path)
    func report(_ what: String, _ samples: [Double]) {
        print("  " + TextWidth.padded(what, to: 34)
              + String(format: "median %8.2f ms  (min %.2f, max %.2f, %d runs)",
                       median(samples), samples.min()!, samples.max()!, samples.count))
    }
    report("list, first page (20)", try timed(21) { _ = try store.followUps(FollowUpFilter(), limit: 20, offset: 0) })
    report("list --status requested", try timed(21) { _ = try store.followUps(FollowUpFilter(status: .requested), limit: 20, offset: 0) })
    report("find by reference", try timed(21) { _ = try store.find(reference(rows / 2), limit: 50) })
    report("find a surname", try timed(21) { _ = try store.find(String(syntheticName(rows / 3).split(separator: " ")[1]), limit: 50) })
    report("find text that matches nothing", try timed(5) { _ = try store.find("zzzz", limit: 50) })
    // The export, as the practice runs it: a separate process, its peak memory from the kernel.
    let kiosk = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiosk").path
    guard FileManager.default.isExecutableFile(atPath: kiosk) else { print("  (export: build the kiosk first: swift build -c release)"); return }
    var environment = ProcessInfo.processInfo.environment
    environment["KIOSK_CONTENT"] = contentDir
    for format in ["csv", "ics"] {
        let run = try Spawn.run(kiosk, ["export", format, "--db", path, "--output", dir.appendingPathComponent("out.\(format)").path],
                                environment, stdin: nil, stdout: nil, ownPeak: true)
        print(String(format: "  export %@: %.2f s (%.0f rows/s), peak memory %.1f MB", format, run.ms / 1000,
                     Double(rows) / (run.ms / 1000), run.peakMB))
    }
}

/// What `clients` kiosk sessions committed in `seconds`: commit times (ms, sorted) and failures.
struct BookingFigures {
    var elapsed: Double
    var latencies: [Double]
    var errors: [String]
    var perClient: [Int]
    var rate: Double { Double(latencies.count) / elapsed }
    func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, max(0, Int((Double(latencies.count) * p).rounded(.up)) - 1))]
    }
}

/// N clients, each on its own thread with its own store (connection), saving follow-up
/// requests for `seconds`. (Threads, not `concurrentPerform`: that runs only as many
/// iterations at once as the machine has cores, and each of these blocks for `seconds`.)
func bookingsRun(stores: [any SessionStore], seconds: Double) -> BookingFigures {
    let clients = stores.count
    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var latencies: [Double] = []
        var errors: [String] = []
        var perClient: [Int]
        let ready: DispatchSemaphore
        let go = DispatchSemaphore(value: 0)
        let done: DispatchSemaphore
        var deadline: UInt64 = 0
        init(_ clients: Int) {
            perClient = Array(repeating: 0, count: clients)
            ready = DispatchSemaphore(value: 0)
            done = DispatchSemaphore(value: 0)
        }
    }
    let results = Results(clients)
    nonisolated(unsafe) let shared = stores
    for index in 0..<clients {
        let thread = Thread {
            var generator = SystemRandomNumberGenerator()
            var mine: [Double] = []
            var failures: [String] = []
            var n = 0
            results.ready.signal()
            results.go.wait()
            let deadline = results.deadline
            while DispatchTime.now().uptimeNanoseconds < deadline {
                n += 1
                let request = FollowUpRequest(
                    assessmentID: "bench-\(index)-\(n)-\(UUID().uuidString)", createdAt: Date(), event: "bench", language: "en",
                    name: "Client \(index)-\(n)", phone: "555-\(String(format: "%07d", n))", email: nil,
                    discipline: "massage_therapist", professional: nil, preferredTimes: ["weekday_morning"],
                    consent: true, afterMedicalClearance: false)
                let t0 = DispatchTime.now().uptimeNanoseconds
                do {
                    _ = try shared[index].saveFollowUp(request) { ReferenceCode.make(using: &generator) }
                    mine.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                } catch {
                    failures.append("\(error)")
                }
            }
            results.lock.lock()
            results.latencies += mine
            results.errors += failures
            results.perClient[index] = mine.count
            results.lock.unlock()
            results.done.signal()
        }
        thread.start()
    }
    for _ in 0..<clients { results.ready.wait() }
    let started = DispatchTime.now().uptimeNanoseconds
    results.deadline = started + UInt64(seconds * 1e9)
    for _ in 0..<clients { results.go.signal() }
    for _ in 0..<clients { results.done.wait() }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return BookingFigures(elapsed: elapsed, latencies: results.latencies.sorted(), errors: results.errors,
                          perClient: results.perClient)
}

/// A store on `target`: a SQLite path or a postgres:// URL.
func openStore(_ target: String) throws -> any SessionStore {
    if PostgresURL.isPostgres(target) {
        #if PostgreSQL
        return try PostgresKioskStore(url: target)
        #else
        throw StoreError.unavailable(reason: "kiosk-bench was built without the trait PostgreSQL")
        #endif
    }
    return try SQLiteKioskStore(path: target)
}

/// `kiosk-bench bookings`: prints bookings per second and the commit time's percentiles.
func bookingsBench(location: String?, clients: Int, seconds: Double) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = location ?? dir.appendingPathComponent("bookings.sqlite").path
    let stores = try (0..<clients).map { _ in try openStore(target) }
    let figures = bookingsRun(stores: stores, seconds: seconds)
    let kind = PostgresURL.isPostgres(target) ? "PostgreSQL" : "SQLite"
    print(String(format: "bookings on %@: %d clients, %.1f s: %d committed (%.0f bookings/s), %d failed",
                 kind, clients, figures.elapsed, figures.latencies.count, figures.rate, figures.errors.count))
    print(String(format: "  commit time: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                 figures.percentile(0.5), figures.percentile(0.9), figures.percentile(0.99), figures.latencies.last ?? 0))
    print("  per client: " + figures.perClient.map(String.init).joined(separator: " "))
    if let first = figures.errors.first { print("  first error: \(first)") }
}

var arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first.map { $0.hasPrefix("-") ? "soak" : $0 } ?? "soak"
var sessions = 10_000
if let i = arguments.firstIndex(of: "--sessions"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
    sessions = n
}
let contentDir = ProcessInfo.processInfo.environment["KIOSK_CONTENT"] ?? "Content"
do {
    switch mode {
    case "soak": try soak(sessions: sessions, contentDir: contentDir)
    case "generate":    // a database of N follow-ups, for a profiler: generate --rows N --db PATH
        guard let i = arguments.firstIndex(of: "--db"), i + 1 < arguments.count else { throw BenchError("generate needs --db PATH") }
        let rows = arguments.firstIndex(of: "--rows").flatMap { Int(arguments[$0 + 1]) } ?? 100_000
        try generate(rows: rows, at: arguments[i + 1])
    case "core":    // the core alone, for a profiler
        var suite = try Suite(quick: !arguments.contains("--long"), contentDir: contentDir)
        try suite.core()
    case "startup":     // rows 1 and 2 alone: start to first prompt, and a piped session
        var suite = try Suite(quick: arguments.contains("--quick"), contentDir: contentDir)
        try suite.startup()
        try suite.pipedSession()
    case "all":
        var suite = try Suite(quick: arguments.contains("--quick"), contentDir: contentDir)
        let json = arguments.firstIndex(of: "--json").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            ?? ".build/kiosk-bench.json"
        try suite.runAll(json: json, arguments: arguments)
    case "find":    // row 4 alone: the desk's list and find at 1,000 and 1,000,000 follow-ups
        var suite = try Suite(quick: arguments.contains("--quick"), contentDir: contentDir)
        defer { try? FileManager.default.removeItem(at: suite.scratch) }
        try suite.deskList()
    case "postgres":    // row 9 alone: postgres [--quick] [--postgres URL]
        var suite = try Suite(quick: arguments.contains("--quick"), contentDir: contentDir)
        try suite.postgres(arguments: arguments)
    case "desk":
        var rows = 100_000
        if let i = arguments.firstIndex(of: "--rows"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 { rows = n }
        let existing = arguments.firstIndex(of: "--db").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        try deskBench(rows: rows, existing: existing)
    case "bookings":
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let clients = value("--clients").flatMap { Int($0) }.map { max(1, $0) } ?? 10
        let seconds = value("--seconds").flatMap { Double($0) }.map { max(1, $0) } ?? 10
        try bookingsBench(location: value("--db"), clients: clients, seconds: seconds)
    default:
        FileHandle.standardError.write(Data("kiosk-bench: unknown mode \(mode) (try: all, soak, desk, find, bookings, postgres, core, generate)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("kiosk-bench: \(error)\n".utf8))
    exit(74)
}
