#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CReadline

/// SIGTERM and SIGHUP: the kiosk ends cleanly at the next safe point (between
/// two lines, never inside a commit) and gives the terminal back as it found it.
public enum Termination {
    // Set from a signal handler, read by the input thread: a plain flag is enough
    // because the handler only ever stores 1 into it.
    nonisolated(unsafe) static var flag: Int32 = 0
    nonisolated(unsafe) static var savedTerminal: termios?

    public static var requested: Bool { flag != 0 }

    static func request() { flag = 1 }

    /// Installs the handlers (without SA_RESTART, so a blocking read returns EINTR)
    /// and remembers the terminal's settings to restore at exit.
    public static func install() {
        for signal in [SIGTERM, SIGHUP] {
            _ = kiosk_set_signal_handler(signal) { _ in Termination.flag = 1 }
        }
        if isatty(STDIN_FILENO) == 1 {
            var settings = termios()
            if tcgetattr(STDIN_FILENO, &settings) == 0 { savedTerminal = settings }
        }
    }

    /// Puts the terminal back as it was at start-up.
    public static func restoreTerminal() {
        guard var settings = savedTerminal else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }
}

/// Reads a line from the terminal without echo (a PIN). Nil at end of input or
/// on SIGTERM/SIGHUP. Not for pipes: callers ask for a PIN only at a terminal.
public func readSecret(prompt: String) -> String? {
    // Echo goes off before the prompt shows, so nothing typed after the prompt is
    // echoed; TCSANOW keeps what was typed ahead rather than discarding it.
    var original = termios()
    let isTerminal = tcgetattr(STDIN_FILENO, &original) == 0
    if isTerminal {
        var quiet = original
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ICANON)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
    }
    writeAll(prompt)
    defer {
        if isTerminal { _ = tcsetattr(STDIN_FILENO, TCSANOW, &original) }
        writeAll("\n")
    }
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while bytes.count < 256 {
        let n = read(STDIN_FILENO, &byte, 1)
        if n < 0 && errno == EINTR { if Termination.requested { return nil }; continue }
        if n <= 0 { return bytes.isEmpty ? nil : LineLimits.decode(bytes) }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
        bytes.append(byte)
    }
    return LineLimits.decode(bytes)
}

private func writeAll(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        bytes = bytes.dropFirst(n)
    }
}
