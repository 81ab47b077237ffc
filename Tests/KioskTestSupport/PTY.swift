// A process in a pseudo-terminal, for end-to-end tests of what only a terminal shows
// (signals from Ctrl-C, Ctrl-D, completion, history, idle timeout).
// Recipe from /work/shared/TERMINAL.md: openpty + posix_spawn (the test runner has
// threads, so no fork), the slave opened by path as fds 0, 1, 2 in a new session so the
// pty is the child's controlling terminal and a Ctrl-C byte raises SIGINT in it.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct PTYError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

public final class PTYProcess {
    public let pid: pid_t
    private var master: Int32
    private var raw: [UInt8] = []
    /// Byte offset in `output` up to which `waitFor` has matched.
    private var cursor = 0
    private var exitStatus: Int32?

    /// Everything the process wrote so far, escape sequences stripped, CRLF as LF.
    public var output: String { pump(timeout: 0); return stripANSI(String(decoding: raw, as: UTF8.self)) }
    /// Everything the process wrote so far, as written.
    public var rawOutput: [UInt8] { pump(timeout: 0); return raw }

    /// Spawns `path` with `arguments` in a new pseudo-terminal of `columns` x `rows`.
    /// `environment` nil: this process's environment with `TERM` defaulting to xterm.
    public init(_ path: String, arguments: [String] = [], environment: [String: String]? = nil,
         columns: UInt16 = 100, rows: UInt16 = 40) throws {
        var masterFD: Int32 = -1, slaveFD: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        var name = [CChar](repeating: 0, count: 4096)
        guard openpty(&masterFD, &slaveFD, &name, nil, &size) == 0 else {
            throw PTYError(description: "openpty failed: errno \(errno)")
        }
        // Neither end may leak into this or any other child.
        _ = fcntl(masterFD, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slaveFD, F_SETFD, FD_CLOEXEC)
        defer { close(slaveFD) }                     // the child opens the slave by path
        let slavePath = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (0x80) is hidden behind _GNU_SOURCE: the new session makes
        // the first terminal opened the controlling terminal.
        // The child also starts with no signal blocked and every signal at its default:
        // the test runner may block or ignore some (SIGTERM did not reach a child here without this).
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = environment ?? PTYProcess.inheritedEnvironment()
        if env["TERM"] == nil { env["TERM"] = "xterm" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            close(masterFD)
            throw PTYError(description: "posix_spawn \(path) failed: \(String(cString: strerror(rc)))")
        }
        pid = child
        master = masterFD
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        if master >= 0 { close(master) }
    }

    public static func inheritedEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment
    }

    // MARK: - Input

    /// Types `text` (UTF-8), e.g. "hello\r" or "\u{03}" for Ctrl-C.
    public func send(_ text: String) { sendBytes(Array(text.utf8)) }

    public func sendBytes(_ bytes: [UInt8]) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n > 0 { rest = rest.dropFirst(n); continue }
            if n < 0 && (errno == EAGAIN || errno == EINTR) {
                pump(timeout: 0.01)               // the child may be waiting for us to read
                continue
            }
            return                                // the child is gone
        }
    }

    /// Changes the terminal's size; the child gets SIGWINCH.
    public func resize(columns: UInt16, rows: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    // MARK: - Output

    /// Waits until `text` appears in the (stripped) output after the previous match and
    /// returns the output from the previous match up to and including this one.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 5) throws -> String {
        let deadline = now() + timeout
        while true {
            let exited = hasExited()          // checked first: the output read next is then complete
            let stripped = output
            let utf8 = stripped.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: min(cursor, utf8.count))
            if let range = stripped[start...].range(of: text) {
                cursor = utf8.distance(from: utf8.startIndex, to: range.upperBound)
                return String(stripped[start..<range.upperBound])
            }
            let left = deadline - now()
            if exited || left <= 0 {
                let why = exited ? "the process exited with status \(exitStatus ?? -1)"
                                 : "timed out after \(timeout)s"
                throw PTYError(description: """
                    waitFor(\(text.debugDescription)): \(why). Output since the last match (tail):
                    \(String(stripped[start...].suffix(800)))
                    """)
            }
            pump(timeout: min(left, 0.1))
        }
    }

    /// Later waits look only at what is written from now on.
    public func skipOutput() { cursor = output.utf8.count }

    /// Waits until the program has written something new and then nothing for `quiet`
    /// seconds (it waits for input again), at most `timeout` seconds.
    public func waitForAnswer(quiet: Double = 0.03, timeout: Double = 5) {
        let before = raw.count
        let deadline = now() + timeout
        while raw.count == before && now() < deadline { _ = pump(timeout: 0.05) }
        while now() < deadline {
            if !pump(timeout: quiet) { return }
        }
    }

    /// Waits until one of `texts` appears after the previous match; returns which (its index).
    @discardableResult
    public func waitForAny(_ texts: [String], timeout: Double = 5) throws -> Int {
        let deadline = now() + timeout
        while true {
            let exited = hasExited()
            let stripped = output
            let utf8 = stripped.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: min(cursor, utf8.count))
            let found = texts.enumerated().compactMap { i, t in stripped[start...].range(of: t).map { (i, $0) } }
            if let first = found.min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
                cursor = utf8.distance(from: utf8.startIndex, to: first.1.upperBound)
                return first.0
            }
            let left = deadline - now()
            if exited || left <= 0 {
                throw PTYError(description: """
                    waitForAny(\(texts)): \(exited ? "the process exited" : "timed out after \(timeout)s"). Output since the last match (tail):
                    \(String(stripped[start...].suffix(800)))
                    """)
            }
            pump(timeout: min(left, 0.05))
        }
    }

    /// Closes the terminal's master side, as when a terminal window is closed: the
    /// child's terminal hangs up (SIGHUP, then end of input or EIO). No output is read after.
    public func hangUp() {
        pump(timeout: 0)
        if master >= 0 { close(master); master = -1 }
    }

    /// The terminal's settings as the child left them (echo, canonical mode).
    public func terminalSettings() -> termios? {
        var settings = termios()
        return master >= 0 && tcgetattr(master, &settings) == 0 ? settings : nil
    }

    /// Sends a signal to the child.
    public func signal(_ number: Int32) { kill(pid, number) }

    /// Asks the process to end (SIGTERM).
    public func terminate() { kill(pid, SIGTERM) }

    /// Waits for the process to exit, reading its output meanwhile. Its exit code, or
    /// 128 + the signal that killed it; nil on timeout.
    public func waitExit(timeout: Double = 5) -> Int32? {
        let deadline = now() + timeout
        while !hasExited() {
            if now() >= deadline { return nil }
            pump(timeout: 0.05)
        }
        pump(timeout: 0)
        return exitStatus
    }

    // MARK: - Private

    /// Reads what is available, waiting up to `timeout` seconds for the first bytes.
    /// True if anything was read.
    @discardableResult
    private func pump(timeout: Double) -> Bool {
        var got = false
        var wait = Int32(timeout * 1000)
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, wait)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return got }
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return got }       // EIO: every slave fd is closed
            raw.append(contentsOf: buffer[..<n])
            got = true
            wait = 0
        }
    }

    private func hasExited() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return true
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Removes terminal escape sequences (CSI such as colours, cursor moves and the
/// bracketed-paste switches `ESC[?2004h`/`l`; OSC titles; DCS/PM/APC strings; two- and
/// three-byte escapes such as `ESC=` or `ESC(B`) and BEL, and turns CRLF into LF.
/// An escape sequence cut off at the end is dropped.
public func stripANSI(_ s: String) -> String {
    let scalars = Array(s.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    func isFinal(_ c: Unicode.Scalar) -> Bool { (0x40...0x7E).contains(c.value) }
    while i < scalars.count {
        let c = scalars[i]
        if c == "\u{07}" { i += 1; continue }
        if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1; continue }
        guard c == "\u{1B}" || c == "\u{9B}" else { out.append(c); i += 1; continue }
        var j = c == "\u{9B}" ? i : i + 1                       // j: last byte of the introducer
        let kind: Unicode.Scalar = c == "\u{9B}" ? "[" : (j < scalars.count ? scalars[j] : "\u{0}")
        if j >= scalars.count { break }                          // lone ESC at the end
        switch kind {
        case "[":                                               // CSI params intermediates final
            j += 1
            while j < scalars.count && !isFinal(scalars[j]) { j += 1 }
            i = j + 1
        case "]", "P", "X", "^", "_":                           // string, ends with BEL or ESC \
            j += 1
            while j < scalars.count {
                if scalars[j] == "\u{07}" { j += 1; break }
                if scalars[j] == "\u{1B}" && j + 1 < scalars.count && scalars[j + 1] == "\\" { j += 2; break }
                j += 1
            }
            i = j
        default:                                                // ESC intermediates* final
            while j < scalars.count && (0x20...0x2F).contains(scalars[j].value) { j += 1 }
            i = j + 1
        }
    }
    return String(out)
}
