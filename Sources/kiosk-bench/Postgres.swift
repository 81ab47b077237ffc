// Row 9: bookings per second from 10 kiosk sessions on PostgreSQL over loopback, and their
// 99th-percentile commit time, beside pgbench running the same transaction with 10 clients.
import Foundation
import KioskCore
import KioskPostgres
import KioskStore

/// Where row 9 runs, in this order: `--postgres URL`, `KIOSK_BENCH_POSTGRES_URL`,
/// `KIOSK_TEST_POSTGRES_URL` (what `.ci/pg-server start` prints), else a throwaway server
/// started (and stopped again) with the project's `.ci/pg-server`, as CI does for the tests.
/// The URL names an administrator who may create databases: the benchmark works in a new
/// database of its own, dropped at the end. The password comes from PGPASSWORD or ~/.pgpass.
struct BenchPostgres {
    /// The administrator's URL.
    var url: String
    /// Where it came from, for the row's note.
    var origin: String
    /// The throwaway server's folder, when the benchmark started it.
    var throwaway: String?
    var script: String?

    enum Outcome {
        case ready(BenchPostgres)
        case skipped(String)
    }

    static func locate(arguments: [String], environment: [String: String]) -> Outcome {
        if let i = arguments.firstIndex(of: "--postgres"), i + 1 < arguments.count {
            return .ready(BenchPostgres(url: arguments[i + 1], origin: "--postgres"))
        }
        for name in ["KIOSK_BENCH_POSTGRES_URL", "KIOSK_TEST_POSTGRES_URL"] {
            if let url = environment[name], !url.isEmpty { return .ready(BenchPostgres(url: url, origin: name)) }
        }
        guard installedBinary("initdb") != nil else {
            return .skipped("no PostgreSQL server given (--postgres URL) and none installed to start: apt-get install postgresql")
        }
        guard let script = pgServerScript() else {
            return .skipped("no PostgreSQL server given (--postgres URL) and .ci/pg-server not found to start one")
        }
        // .ci/pg-server start prints `export NAME=value` lines (printf %q).
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-pg-\(UUID().uuidString)").path
        let err = out + ".err"
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        guard let status = try? Spawn.run(script, ["start"], environment, stdin: nil, stdout: out, stderr: err).status,
              status == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            let why = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").split(separator: "\n").last.map(String.init)
            return .skipped("the throwaway PostgreSQL server did not start (\(why ?? "no message"))")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count)
            guard let eq = pair.firstIndex(of: "=") else { continue }
            values[String(pair[..<eq])] = unquote(String(pair[pair.index(after: eq)...]))
        }
        guard let url = values["KIOSK_TEST_POSTGRES_URL"], let dir = values["KIOSK_TEST_PG_DIR"] else {
            return .skipped("the throwaway PostgreSQL server said nothing usable")
        }
        if let password = values["PGPASSWORD"] { setenv("PGPASSWORD", password, 1) }
        stopOnSignals(script: script, dir: dir)
        return .ready(BenchPostgres(url: url, origin: "a throwaway server (.ci/pg-server)", throwaway: dir, script: script))
    }

    /// Ctrl-C (or SIGTERM, SIGHUP) during the run still stops the throwaway server.
    static func stopOnSignals(script: String, dir: String) {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                _ = try? Spawn.run(script, ["stop", dir], environment, stdin: nil, stdout: nil)
                exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []

    func stop() {
        guard let throwaway, let script else { return }
        _ = try? Spawn.run(script, ["stop", throwaway], Self.environment, stdin: nil, stdout: nil)
    }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Undoes bash's printf %q for the plain values pg-server prints (backslash escapes).
    static func unquote(_ text: String) -> String {
        var out = "", escaped = false
        for c in text {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else if c != "'" { out.append(c) }
        }
        return out
    }

    /// The newest PostgreSQL's program (Debian keeps them in /usr/lib/postgresql/N/bin).
    static func installedBinary(_ name: String) -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(base)/\(version)/bin/\(name)") {
            return "\(base)/\(version)/bin/\(name)"
        }
        for dir in (environment["PATH"] ?? "/usr/bin").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    /// .ci/pg-server in the current folder or above kiosk-bench's (.build/<triple>/release).
    static func pgServerScript() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(dir.path); dir = dir.deletingLastPathComponent() }
        return candidates.map { $0 + "/.ci/pg-server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// pgbench's figures for one run.
struct PgbenchFigures {
    var tps: Double
    var transactions: Int
    var failed: Int
    /// Per-transaction latencies (ms, sorted), from pgbench's log.
    var latencies: [Double]
    func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, max(0, Int((Double(latencies.count) * p).rounded(.up)) - 1))]
    }
}

extension Suite {
    /// The transaction a kiosk commits for a booking (`PostgresKioskStore.saveFollowUp`), as a
    /// pgbench script: the same statements, columns and kinds of values, one round trip each.
    static let pgbenchScript = """
        \\set r random(1, 9000000000000000)
        BEGIN;
        INSERT INTO follow_up (reference, assessment_id, created_at, event, language, name, phone, email, discipline, professional, preferred_times_json, consent, after_clearance, status, referral, pass_on_consent) VALUES ('P' || :r, 'bench-' || :client_id || '-' || :r, now(), 'bench', 'en', 'Client ' || :client_id, '555-0100199', NULL, 'massage_therapist', NULL, '["weekday_morning"]'::jsonb, true, false, 'requested', false, false) ON CONFLICT (reference) DO NOTHING RETURNING 1 AS inserted;
        INSERT INTO follow_up_event (reference, at, actor, from_status, to_status, note) VALUES ('P' || :r, now(), 'kiosk', NULL, 'requested', NULL);
        END;

        """

    mutating func postgres(arguments: [String]) throws {
        let what = "10 kiosk sessions on PostgreSQL: bookings/s"
        let p99What = "10 kiosk sessions on PostgreSQL: commit p99"
        func skip(_ reason: String) {
            for (w, unit) in [(what, "bookings/s"), (p99What, "ms")] {
                add(BenchRow(number: 9, what: w, unit: unit, median: 0, low: 0, high: 0, runs: 0,
                             target: w == what ? ">= 0.5x pgbench" : "(reported)", pass: nil,
                             skipped: reason))
            }
        }
        #if !PostgreSQL
        skip("kiosk-bench was built without PostgreSQL support (KIOSK_POSTGRES=1 ./kiosk bench, or swift build -c release --traits PostgreSQL)")
        #else
        let server: BenchPostgres
        switch BenchPostgres.locate(arguments: arguments, environment: environment) {
        case let .skipped(reason): skip(reason); return
        case let .ready(found): server = found
        }
        defer { server.stop() }
        let database: PostgresScratch
        let url: PostgresURL
        do {
            database = try PostgresScratch(adminURL: server.url)
            url = try PostgresURL(database.url)
        } catch {
            skip("cannot create a database on \(server.origin): \(error)")
            return
        }
        defer { database.drop() }
        let clients = 10
        let seconds = quick ? 1.0 : 10.0
        let rounds = quick ? 1 : 3
        // The kiosk's sessions, connected before the clock starts (as pgbench's figure is
        // "without initial connection time").
        let stores = try (0..<clients).map { _ in try PostgresKioskStore(url: url) }
        defer { stores.forEach { $0.close() } }
        let pgbench = BenchPostgres.installedBinary("pgbench")
        var ours: [Double] = [], ourP99: [Double] = [], theirs: [Double] = [], theirP99: [Double] = []
        var failures = 0, theirFailures = 0
        var firstError: String?
        for _ in 0..<rounds {
            let figures = bookingsRun(stores: stores, seconds: seconds)
            ours.append(figures.rate)
            ourP99.append(figures.percentile(0.99))
            failures += figures.errors.count
            if firstError == nil { firstError = figures.errors.first }
            if let pgbench {
                let run = try runPgbench(pgbench, url: url, clients: clients, seconds: seconds)
                theirs.append(run.tps)
                theirP99.append(run.percentile(0.99))
                theirFailures += run.failed
            }
        }
        let a = Suite.stats(ours), p = Suite.stats(ourP99)
        var notes = ["on \(server.origin), sslmode=\(url.sslMode.rawValue); each booking and each pgbench transaction: "
                     + "BEGIN, INSERT follow_up, INSERT follow_up_event, COMMIT; pgbench -M extended (the protocol postgres-nio speaks)"]
        if failures > 0 { notes.append("\(failures) bookings failed: \(firstError ?? "")") }
        if theirFailures > 0 { notes.append("\(theirFailures) pgbench transactions failed") }
        if pgbench == nil { notes.append("pgbench not found: no reference") }
        let b = theirs.isEmpty ? nil : Suite.stats(theirs), q = theirP99.isEmpty ? nil : Suite.stats(theirP99)
        let ratio = b.map { a.median / $0.median }
        add(BenchRow(number: 9, what: what, unit: "bookings/s", median: a.median, low: a.low, high: a.high, runs: rounds,
                     reference: b == nil ? nil : "pgbench, 10 clients (tps)", referenceMedian: b?.median, ratio: ratio,
                     target: ">= 0.5x pgbench", pass: ratio.map { $0 >= 0.5 && failures == 0 }, note: notes.joined(separator: "; ")))
        add(BenchRow(number: 9, what: p99What, unit: "ms", median: p.median, low: p.low, high: p.high, runs: rounds,
                     reference: q == nil ? nil : "pgbench p99", referenceMedian: q?.median, ratio: q.map { p.median / $0.median },
                     target: "(reported)", pass: nil))
        #endif
    }

    /// One pgbench run of `pgbenchScript` on the database at `url`, its per-transaction log read for the p99.
    func runPgbench(_ pgbench: String, url: PostgresURL, clients: Int, seconds: Double) throws -> PgbenchFigures {
        let dir = scratch.appendingPathComponent("pgbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("booking.sql").path
        try Suite.pgbenchScript.write(toFile: script, atomically: true, encoding: .utf8)
        var env = environment
        env["PGSSLMODE"] = url.sslMode.rawValue
        if let root = url.sslRootCert { env["PGSSLROOTCERT"] = root }
        env["PGCONNECT_TIMEOUT"] = String(url.connectTimeoutSeconds)
        let out = dir.appendingPathComponent("out.txt").path, err = dir.appendingPathComponent("err.txt").path
        let result = try Spawn.run(pgbench, ["-n", "-M", "extended", "-f", script, "-c", String(clients), "-j", String(clients),
                                             "-T", String(Int(seconds.rounded(.up))), "-l", "--log-prefix", dir.appendingPathComponent("log").path,
                                             "-h", url.host ?? url.socketDirectory, "-p", String(url.port), "-U", url.user, url.database],
                                   env, stdin: nil, stdout: out, stderr: err, timeout: seconds + 60)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        func number(after label: String) -> Double? {
            guard let range = text.range(of: label) else { return nil }
            return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        guard result.status == 0, let tps = number(after: "tps = ") else {
            let why = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").split(separator: "\n").prefix(3).joined(separator: " / ")
            throw BenchError("pgbench failed (exit \(result.status)): \(why)")
        }
        // Log lines: client_id transaction_no time_us script_no epoch epoch_us (time_us: the latency).
        var latencies: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasPrefix("log") {
            let log = try String(contentsOfFile: dir.appendingPathComponent(file).path, encoding: .utf8)
            for line in log.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 3, let us = Double(fields[2]) { latencies.append(us / 1000) }
            }
        }
        return PgbenchFigures(tps: tps, transactions: Int(number(after: "actually processed: ") ?? 0),
                              failed: Int(number(after: "number of failed transactions: ") ?? 0), latencies: latencies.sorted())
    }
}
