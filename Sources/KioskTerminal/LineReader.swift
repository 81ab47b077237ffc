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
    /// Seconds without a key before `readLine` returns `.idle`; nil waits for ever.
    /// The shell sets it before each line (the "still there?" question waits less).
    var idleSeconds: Int? { get set }
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

/// The reader that fits standard input: readline on a terminal, plain lines on a pipe
/// (readline echoes prompt and input when stdin is not a terminal).
public func makeStandardLineReader(idleSeconds: Int?) -> any LineReader {
    if isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
        return ReadlineLineReader(idleSeconds: idleSeconds)
    }
    return PlainLineReader()
}
