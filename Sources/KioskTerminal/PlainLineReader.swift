#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a pipe or file (not a terminal): no editing, no echo, no history.
///
/// Bytes are read with `read(2)` up to `\n`, so that invalid UTF-8 is decided on
/// purpose (U+FFFD) and an over-long line (a 1 MB paste) never takes more than
/// `LineLimits.maxLineBytes` of memory: the rest of that line is discarded.
/// A trailing `\r` is removed. Each prompt is written to `promptOutput` followed by
/// a newline, so a transcript of a piped session reads well.
public final class PlainLineReader: LineReader {
    private let input: Int32
    private let promptOutput: Int32?
    private var buffer: [UInt8] = []   // bytes read but not yet returned
    private var atEOF = false
    /// Kept but not waited on: piped input has nobody to be idle, and a piped session ends
    /// at the end of its input (DESIGN.md).
    public var idleSeconds: Int?

    /// - Parameters:
    ///   - input: the file descriptor to read (standard input by default).
    ///   - promptOutput: where prompts are written, or nil to write nothing.
    public init(input: Int32 = STDIN_FILENO, promptOutput: Int32? = STDOUT_FILENO) {
        self.input = input
        self.promptOutput = promptOutput
    }

    public func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool) -> LineReadResult {
        if let fd = promptOutput, !prompt.isEmpty { writePrompt(prompt + "\n", to: fd) }

        var line: [UInt8] = []
        var overflowed = false
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                take(buffer[..<newline], into: &line, overflowed: &overflowed)
                buffer.removeSubrange(...newline)
                return .line(finish(line, overflowed: overflowed))
            }
            // No newline yet: keep what fits, drop the rest of an over-long line.
            take(buffer[...], into: &line, overflowed: &overflowed)
            buffer.removeAll(keepingCapacity: true)
            if atEOF || !fill() {
                atEOF = true
                if Termination.requested { return .terminated }
                if line.isEmpty && !overflowed { return .endOfInput }
                return .line(finish(line, overflowed: overflowed))
            }
        }
    }

    public func resetForNextClient() {}

    // MARK: - Private

    /// Appends bytes to the line while it is under the cap (one byte over, to tell a
    /// line of exactly the cap from a longer one), remembering that bytes were dropped.
    private func take(_ bytes: ArraySlice<UInt8>, into line: inout [UInt8], overflowed: inout Bool) {
        let room = LineLimits.maxLineBytes + 1 - line.count
        if bytes.count <= room {
            line.append(contentsOf: bytes)
        } else {
            line.append(contentsOf: bytes.prefix(max(0, room)))
            overflowed = true
        }
    }

    private func finish(_ line: [UInt8], overflowed: Bool) -> String {
        var bytes = line
        if !overflowed, bytes.last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        return LineLimits.decode(bytes)
    }

    /// Reads more bytes into the buffer. False at end of input or on a read error.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n > 0 { buffer.append(contentsOf: chunk[..<n]); return true }
            if n < 0 && errno == EINTR && !Termination.requested { continue }
            return false
        }
    }

    private func writePrompt(_ text: String, to fd: Int32) {
        fflush(nil)   // keep order with text printed through stdio (print)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
