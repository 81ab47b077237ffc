// The benchmark suite (issue 9): each row is a median over repeated runs, beside a
// reference measured in the same run, and their ratio against a target.
import Foundation
import KioskContent
import KioskCore
import KioskStore

struct BenchRow: Encodable {
    var number: Int
    var what: String
    var unit: String
    var median: Double
    var low: Double
    var high: Double
    var runs: Int
    var reference: String?
    var referenceMedian: Double?
    var ratio: Double?
    var target: String
    var pass: Bool?
    var note: String?
    /// Why the row was not measured (then `runs` is 0).
    var skipped: String?
}

struct Suite {
    let quick: Bool
    let kiosk: String
    let content: String
    let scratch: URL
    var rows: [BenchRow] = []

    init(quick: Bool, contentDir: String) throws {
        self.quick = quick
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        kiosk = here.appendingPathComponent("kiosk").path
        guard FileManager.default.isExecutableFile(atPath: kiosk) else {
            throw BenchError("no kiosk binary beside kiosk-bench at \(kiosk): build both (swift build -c release)")
        }
        content = URL(fileURLWithPath: contentDir).standardizedFileURL.path
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONTENT"] = content
        env["TERM"] = "xterm"
        return env
    }

    mutating func add(_ row: BenchRow) {
        rows.append(row)
        print(Suite.format(row))
        fflush(nil)
    }

    static func stats(_ samples: [Double]) -> (median: Double, low: Double, high: Double) {
        let sorted = samples.sorted()
        return (sorted[sorted.count / 2], sorted.first!, sorted.last!)
    }

    static func format(_ r: BenchRow) -> String {
        func n(_ v: Double) -> String { v >= 1000 ? String(format: "%.0f", v) : v >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v) }
        var line = String(format: "%2d  ", r.number) + TextWidth.padded(r.what, to: 46)
        if let skipped = r.skipped { return line + " SKIPPED, not measured: \(skipped)  (target \(r.target))" }
        line += " \(n(r.median)) \(r.unit) [\(n(r.low))-\(n(r.high))]"
        if let ref = r.referenceMedian, let name = r.reference { line += "  vs \(name) \(n(ref)) \(r.unit)" }
        if let ratio = r.ratio { line += String(format: "  ratio %.2f", ratio) }
        line += "  target \(r.target)"
        if let pass = r.pass { line += pass ? "  ok" : "  MISSED" }
        if let note = r.note { line += "  (\(note))" }
        return line
    }

    // MARK: - 1. Start to first prompt, in a pseudo-terminal

    mutating func startup() throws {
        let hello = scratch.appendingPathComponent("hello.swift")
        try """
        import Foundation
        print("Press Enter to start.", terminator: " ")
        fflush(nil)
        _ = readLine()
        """.write(to: hello, atomically: true, encoding: .utf8)
        let helloBinary = scratch.appendingPathComponent("hello").path
        // Built the same way as ./kiosk builds the kiosk: optimised, Swift runtime linked in,
        // linked by lld with packed relative relocations.
        try run("/usr/bin/env", ["swiftc", "-O", "-static-stdlib", "-Xclang-linker", "-fuse-ld=lld",
                                 "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", hello.path, "-o", helloBinary])
        let runs = quick ? 3 : 21
        let db = scratch.appendingPathComponent("startup.sqlite").path
        var ours: [Double] = [], theirs: [Double] = []
        for _ in 0..<runs {
            ours.append(try PseudoTerminal.timeToText(kiosk, ["run", "--no-lock", "--db", db], "Press Enter to start", environment).ms)
            theirs.append(try PseudoTerminal.timeToText(helloBinary, [], "Press Enter to start", environment).ms)
        }
        let a = Suite.stats(ours), b = Suite.stats(theirs)
        add(BenchRow(number: 1, what: "kiosk run: start to first prompt (pty)", unit: "ms", median: a.median, low: a.low, high: a.high,
                     runs: runs, reference: "minimal Swift program", referenceMedian: b.median, ratio: a.median / b.median,
                     target: "<= 2x", pass: a.median / b.median <= 2))
    }

    // MARK: - 2. A whole piped session with the durable commit of a booking

    mutating func pipedSession() throws {
        let runs = quick ? 3 : 15
        let input = scratch.appendingPathComponent("session.txt")
        try (script.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let db = scratch.appendingPathComponent("piped.sqlite").path
        _ = try SQLiteKioskStore(path: db)
        let sql = scratch.appendingPathComponent("insert.sql")
        var ours: [Double] = [], theirs: [Double] = []
        for i in 0..<runs {
            ours.append(try timeProcess(kiosk, ["run", "--db", db], stdin: input.path))
            try """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;
            BEGIN IMMEDIATE;
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, preferred_times_json, consent)
            VALUES ('SQL-\(String(format: "%03d", i))', 'a\(i)', '2026-11-29T10:00:00.000Z', 'en', 'Sam Lee', '555-010-0199', '["weekday_morning"]', 1);
            INSERT INTO follow_up_event (reference, at, actor, to_status) VALUES ('SQL-\(String(format: "%03d", i))', '2026-11-29T10:00:00.000Z', 'kiosk', 'requested');
            COMMIT;
            """.write(to: sql, atomically: true, encoding: .utf8)
            theirs.append(try timeProcess("/usr/bin/sqlite3", [db], stdin: sql.path))
        }
        let a = Suite.stats(ours), b = Suite.stats(theirs)
        add(BenchRow(number: 2, what: "a whole piped session, booking committed", unit: "ms", median: a.median, low: a.low, high: a.high,
                     runs: runs, reference: "sqlite3 CLI insert", referenceMedian: b.median, ratio: a.median / b.median,
                     target: "<= 3x", pass: a.median / b.median <= 3))
    }

    // MARK: - 3. The core alone

    mutating func core() throws {
        let content = try ContentLoader.load(directory: self.content).get()
        let seconds = quick ? 0.3 : 3.0
        var rates: [Double] = []
        for _ in 0..<(quick ? 3 : 5) {
            let start = Date()
            var sessions = 0
            while Date().timeIntervalSince(start) < seconds / 5 {
                var session = ClientSession(content: content, id: "bench")
                _ = session.start()
                for line in script {
                    let t = session.handle(line, now: start)
                    if t.effects.contains(where: { if case .saveFollowUp = $0 { true } else { false } }) {
                        _ = session.followUpSaved(reference: "ABC-DEF")
                    }
                }
                sessions += 1
            }
            rates.append(Double(sessions) / Date().timeIntervalSince(start))
        }
        let a = Suite.stats(rates)
        add(BenchRow(number: 3, what: "core alone: whole sessions, no I/O", unit: "sessions/s", median: a.median, low: a.low,
                     high: a.high, runs: rates.count, target: ">= 10000", pass: a.median >= 10_000))
    }

    // MARK: - 4 and 5. The desk at 1,000 and at 1,000,000 follow-ups; CSV export

    mutating func desk() throws {
        let large = try deskList()
        try export(large)
    }

    /// Row 4 alone (`kiosk-bench find`): the desk's list and find at 1,000 and at 1,000,000
    /// follow-ups. Returns the large database's path and size.
    @discardableResult
    mutating func deskList() throws -> (path: String, rows: Int) {
        let small = 1_000, large = quick ? 20_000 : 1_000_000
        let smallDB = scratch.appendingPathComponent("desk-small.sqlite").path
        let largeDB = scratch.appendingPathComponent("desk-large.sqlite").path
        try generate(rows: small, at: smallDB)
        try generate(rows: large, at: largeDB)
        let smallStore = try SQLiteKioskStore(path: smallDB), largeStore = try SQLiteKioskStore(path: largeDB)
        let runs = quick ? 5 : 51
        let cases: [(String, (SQLiteKioskStore, Int) throws -> Void)] = [
            ("desk list: first page", { store, _ in _ = try store.followUps(FollowUpFilter(), limit: 20, offset: 0) }),
            ("desk find: a surname", { store, rows in
                _ = try store.find(String(syntheticName(rows / 3).split(separator: " ")[1]), limit: 50) }),
            ("desk find: a reference", { store, rows in _ = try store.find(reference(rows / 2), limit: 50) }),
            ("desk find: text nobody has", { store, _ in _ = try store.find("zqxv", limit: 50) }),
        ]
        for (what, body) in cases {
            let a = Suite.stats(try timed(runs) { try body(largeStore, large) })
            let b = Suite.stats(try timed(runs) { try body(smallStore, small) })
            add(BenchRow(number: 4, what: "\(what) at \(large)", unit: "ms", median: a.median, low: a.low, high: a.high,
                         runs: runs, reference: "itself at \(small)", referenceMedian: b.median, ratio: a.median / b.median,
                         target: "<= 2x", pass: a.median / b.median <= 2))
        }
        return (largeDB, large)
    }

    /// Row 5: the export, as the practice runs it (a process), beside sqlite3 -csv.
    mutating func export(_ database: (path: String, rows: Int)) throws {
        let (largeDB, large) = database
        let out = scratch.appendingPathComponent("out.csv").path
        var ours: [Double] = [], theirs: [Double] = [], memory: [Double] = []
        for _ in 0..<(quick ? 1 : 3) {
            let (seconds, peak) = try timeProcessWithMemory(kiosk, ["export", "csv", "--db", largeDB, "--output", out])
            ours.append(Double(large) / seconds)
            memory.append(peak)
            // The same columns in the same order as the kiosk's export reads them.
            let columns = "reference, assessment_id, created_at, event, language, name, phone, email, discipline, professional, "
                + "preferred_times_json, consent, after_clearance, status, booked_professional, booked_start, booked_end, notes, flag"
            theirs.append(Double(large) / (try timeProcess("/usr/bin/sqlite3", ["-csv", "-header", largeDB,
                                                                                "SELECT \(columns) FROM follow_up ORDER BY created_at, rowid"],
                                                          stdout: out) / 1000))
        }
        let a = Suite.stats(ours), b = Suite.stats(theirs), m = Suite.stats(memory)
        add(BenchRow(number: 5, what: "export csv of \(large) follow-ups", unit: "rows/s", median: a.median, low: a.low, high: a.high,
                     runs: ours.count, reference: "sqlite3 -csv", referenceMedian: b.median, ratio: a.median / b.median,
                     target: ">= 0.5x", pass: a.median / b.median >= 0.5))
        add(BenchRow(number: 5, what: "export csv: peak memory", unit: "MB", median: m.median, low: m.low, high: m.high,
                     runs: memory.count, target: "<= 64 MB", pass: m.median <= 64))
    }

    // MARK: - 6. Many sessions in one process

    mutating func soakMemory() throws {
        let sessions = quick ? 300 : 10_000
        let (first, last) = try soakFigures(sessions: sessions, contentDir: content)
        let growth = Double(last - first) / 1024
        add(BenchRow(number: 6, what: "\(sessions) booked sessions in one process: growth", unit: "MB", median: growth, low: growth,
                     high: growth, runs: 1, reference: "memory after 100", referenceMedian: Double(first) / 1024, ratio: nil,
                     target: "<= 2 MB", pass: growth <= 2))
    }

    // MARK: - 7. The idle kiosk's resident memory

    mutating func idleMemory() throws {
        let db = scratch.appendingPathComponent("idle.sqlite").path
        var samples: [Double] = []
        for _ in 0..<(quick ? 2 : 5) {
            samples.append(try PseudoTerminal.residentAtText(kiosk, ["run", "--no-lock", "--db", db], "Press Enter to start",
                                                             environment, settle: quick ? 0.2 : 1.0))
        }
        let a = Suite.stats(samples)
        add(BenchRow(number: 7, what: "idle kiosk: resident memory", unit: "MB", median: a.median, low: a.low, high: a.high,
                     runs: samples.count, target: "<= 30 MB", pass: a.median <= 30))
    }

    // MARK: - 8. kiosk content check

    mutating func contentCheck() throws {
        let runs = quick ? 3 : 21
        let samples = try (0..<runs).map { _ in try timeProcess(kiosk, ["content", "check", content]) }
        let a = Suite.stats(samples)
        add(BenchRow(number: 8, what: "kiosk content check (bundled content)", unit: "ms", median: a.median, low: a.low, high: a.high,
                     runs: runs, target: "< 50 ms", pass: a.median < 50))
    }

    mutating func runAll(json: String, arguments: [String]) throws {
        print("kiosk-bench \(quick ? "(quick) " : "")\(ISO8601DateFormatter().string(from: Date()))  \(ProcessInfo.processInfo.hostName)")
        try startup()
        try pipedSession()
        try core()
        try desk()
        try soakMemory()
        try idleMemory()
        try contentCheck()
        try postgres(arguments: arguments)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: URL(fileURLWithPath: json))
        print("figures written to \(json)")
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: - Processes

    @discardableResult
    func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(path) \(arguments.joined(separator: " ")) failed") }
        return process.terminationStatus
    }

    /// Wall time of one process in ms, stdin from a file, stdout to a file (or nowhere).
    func timeProcess(_ path: String, _ arguments: [String], stdin: String? = nil, stdout: String? = nil) throws -> Double {
        try Spawn.run(path, arguments, environment, stdin: stdin, stdout: stdout).ms
    }

    /// Seconds and peak resident memory (MB) of one process (its own VmHWM, see `Spawn.run`).
    func timeProcessWithMemory(_ path: String, _ arguments: [String]) throws -> (Double, Double) {
        let result = try Spawn.run(path, arguments, environment, stdin: nil, stdout: nil, ownPeak: true)
        return (result.ms / 1000, result.peakMB)
    }
}

/// posix_spawn and wait4, without Foundation's Process: its own exit watcher can reap the
/// child first (then wait4 learns nothing) or round the time up to its polling interval.
enum Spawn {
    /// `peakMB`: with `ownPeak`, the child's own peak resident memory (VmHWM in
    /// /proc/PID/status, read every 2 ms until it exits: it only grows, so the last reading
    /// is the peak unless memory grew in the last 2 ms). Without, wait4's ru_maxrss, which
    /// on Linux is at least the resident memory of this process when it spawned the child
    /// (exec keeps the old address space's high-water mark), whatever the child used.
    /// The child starts with no signal blocked and every signal's default action (a test
    /// runner blocks SIGALRM and SIGTERM in its threads, and the mask is inherited: pgbench's
    /// -T is a SIGALRM). With `timeout` (seconds), a child still running then is killed.
    static func run(_ path: String, _ arguments: [String], _ environment: [String: String],
                    stdin: String?, stdout: String?, stderr: String? = nil,
                    ownPeak: Bool = false, timeout: Double? = nil) throws -> (ms: Double, peakMB: Double, status: Int32) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", stdout == nil ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", stderr == nil ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for number: Int32 in 1..<32 where number != SIGKILL && number != SIGSTOP { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, path, &actions, &attributes, argv, envp) == 0 else { throw BenchError("cannot start \(path)") }
        var status: Int32 = 0
        var usage = rusage()
        var peakKB = 0
        if ownPeak || timeout != nil {
            let statusFile = "/proc/\(pid)/status"
            let killAt = timeout.map { start + UInt64($0 * 1e9) }
            var killed = false
            while true {
                let reaped = wait4(pid, &status, WNOHANG, &usage)
                if reaped == pid || (reaped < 0 && errno != EINTR) { break }
                if reaped == 0 {
                    if ownPeak, let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
                       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                       let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
                        peakKB = max(peakKB, kb)
                    }
                    if let killAt, !killed, DispatchTime.now().uptimeNanoseconds > killAt {
                        kill(pid, SIGKILL)
                        killed = true
                    }
                    usleep(ownPeak ? 2000 : 20_000)
                }
            }
            if !ownPeak { peakKB = usage.ru_maxrss }
        } else {
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            peakKB = usage.ru_maxrss
        }
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, Double(peakKB) / 1024, exit)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Starting a program in a pseudo-terminal and waiting for text (openpty + posix_spawn,
/// as TERMINAL.md's checked recipe).
enum PseudoTerminal {
    static func spawn(_ path: String, _ arguments: [String], _ environment: [String: String]) throws -> (pid: pid_t, master: Int32) {
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        var name = [CChar](repeating: 0, count: 4096)
        guard openpty(&master, &slave, &name, nil, &size) == 0 else { throw BenchError("openpty failed") }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        close(slave)
        let slavePath = String(cString: name)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))   // POSIX_SPAWN_SETSID: the pty is its terminal
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, &attributes, argv, envp) == 0 else { throw BenchError("cannot start \(path)") }
        return (pid, master)
    }

    static func waitForText(_ master: Int32, _ text: String, timeout: Double = 10) throws {
        var seen = [UInt8]()
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 100) > 0 else { continue }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            seen += buffer[..<n]
            if seen.count >= needle.count, (0...(seen.count - needle.count)).contains(where: { seen[$0..<($0 + needle.count)].elementsEqual(needle) }) {
                return
            }
        }
        throw BenchError("\"\(text)\" did not appear")
    }

    static func finish(_ pid: pid_t, _ master: Int32) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    static func timeToText(_ path: String, _ arguments: [String], _ text: String, _ environment: [String: String]) throws -> (ms: Double, pid: pid_t) {
        let start = DispatchTime.now().uptimeNanoseconds
        let (pid, master) = try spawn(path, arguments, environment)
        defer { finish(pid, master) }
        try waitForText(master, text)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, pid)
    }

    /// Resident memory (MB) of the program once `text` has shown and it has settled.
    static func residentAtText(_ path: String, _ arguments: [String], _ text: String, _ environment: [String: String],
                               settle: Double) throws -> Double {
        let (pid, master) = try spawn(path, arguments, environment)
        defer { finish(pid, master) }
        try waitForText(master, text)
        Thread.sleep(forTimeInterval: settle)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }
}
