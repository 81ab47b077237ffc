#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one request for a line produced.
public enum LineReadResult: Equatable, Sendable {
    /// A line, without its line ending. Invalid UTF-8 became U+FFFD; capped at
    /// `LineLimits.maxLineBytes` bytes of UTF-8.
    case line(String)
    /// End of input: Ctrl-D on an empty line, end of a pipe, or a hung-up terminal.
    case endOfInput
    /// Ctrl-C: the line being typed was thrown away.
    case interrupted
    /// No key was pressed for the idle time: the line being typed was thrown away.
    case idle
    /// SIGTERM or SIGHUP, or the terminal went away: end the program now.
    case terminated
}

/// Reads one line at a time from the person at the kiosk.
public protocol LineReader: AnyObject {
    /// Shows `prompt` and reads a line. `completions` are the words TAB may complete,
    /// `prefill` is put on the line for editing, `sensitive` keeps the line out of history.
    func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool) -> LineReadResult
    /// Forgets everything the last client left behind (history, edit state).
    func resetForNextClient()
}

extension LineReader {
    public func readLine(prompt: String) -> LineReadResult {
        readLine(prompt: prompt, completions: [], prefill: nil, sensitive: false)
    }
}

/// Limits shared by the line readers.
public enum LineLimits {
    /// The longest line kept, in bytes of UTF-8. The rest of a longer line is discarded.
    public static let maxLineBytes = 64 * 1024

    /// Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD (on purpose:
    /// the core then sees one visible replacement character, never raw bytes).
    /// A line longer than `maxLineBytes` is cut there, never inside a UTF-8 sequence.
    public static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        guard bytes.count > maxLineBytes else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: truncated(Array(bytes)), as: UTF8.self)
    }

    /// The first `maxLineBytes` bytes, backed off so that no UTF-8 sequence is cut.
    static func truncated(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        guard bytes.count > maxLineBytes else { return bytes[...] }
        var end = maxLineBytes
        // bytes[end] is the first byte dropped; if it continues a sequence, drop
        // that sequence's leading bytes too (at most 3 of them).
        var backed = 0
        while end > 0, backed < 3, bytes[end] & 0xC0 == 0x80 {
            end -= 1; backed += 1
        }
        if backed == 3 && bytes[end] & 0xC0 == 0x80 { end = maxLineBytes } // not UTF-8 anyway
        return bytes[..<end]
    }
}

/// Returns scripted lines in order, then `.endOfInput`; records what it was asked.
/// For testing the shell's loop and other modules without a terminal.
public final class ScriptedLineReader: LineReader {
    /// One call to `readLine`, as it was asked.
    public struct Request: Equatable, Sendable {
        public var prompt: String
        public var completions: [String]
        public var prefill: String?
        public var sensitive: Bool
    }

    private var results: [LineReadResult]
    private var next = 0
    /// Every call, in order.
    public private(set) var requests: [Request] = []
    /// How many times `resetForNextClient()` was called.
    public private(set) var resetCount = 0

    /// The prompts asked for, in order.
    public var prompts: [String] { requests.map(\.prompt) }
    /// Whether every scripted result has been handed out.
    public var isExhausted: Bool { next >= results.count }

    public init(_ lines: [String]) { results = lines.map(LineReadResult.line) }
    /// Scripts any results, such as `.interrupted` or `.idle`.
    public init(results: [LineReadResult]) { self.results = results }

    public func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool) -> LineReadResult {
        requests.append(Request(prompt: prompt, completions: completions, prefill: prefill, sensitive: sensitive))
        guard next < results.count else { return .endOfInput }
        defer { next += 1 }
        return results[next]
    }

    public func resetForNextClient() { resetCount += 1 }
}

/// The reader that fits standard input: readline on a terminal, plain lines on a pipe
/// (readline echoes prompt and input when stdin is not a terminal).
public func makeStandardLineReader(idleSeconds: Int?) -> any LineReader {
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
        return ReadlineLineReader(idleSeconds: idleSeconds)
    }
    return PlainLineReader()
}
