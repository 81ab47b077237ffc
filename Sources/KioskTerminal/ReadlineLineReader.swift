// The only file that touches GNU readline's globals (see /work/shared/TERMINAL.md).
// Readline is process-wide state: every ReadlineLineReader shares it, and it must
// only be used from one thread (the kiosk's main loop).

@preconcurrency import CReadline
import KioskCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a real terminal with GNU readline (callback API): line editing,
/// history within one client, TAB completion of the current choices only, an idle
/// timeout, Ctrl-C that throws the line away, Ctrl-D on an empty line as end of input.
///
/// Use it only when standard input and output are terminals (see
/// `makeStandardLineReader`); on a pipe readline would echo everything.
public final class ReadlineLineReader: LineReader {
    /// Seconds without a key press after which `readLine` returns `.idle`; nil: never.
    /// The shell shortens it for the "still there?" question.
    public var idleSeconds: Int?

    /// With word completion (the desk): given the words typed before the one under the
    /// cursor, the words TAB offers there (`book REF ` -> that request's suggestion numbers);
    /// nil offers the prompt's `completions`.
    public var contextCompletions: (([String]) -> [String]?)?

    /// Sets readline up (once per process) and installs the SIGINT and SIGWINCH
    /// handlers the reader needs, so Ctrl-C never ends the kiosk from here on.
    /// - Parameter completeWords: TAB completes the word under the cursor (the desk's
    ///   commands, references, professionals) instead of the whole line (a client's choices).
    public init(idleSeconds: Int? = nil, completeWords: Bool = false) {
        self.idleSeconds = idleSeconds.flatMap { $0 > 0 ? $0 : nil }
        Readline.setUpOnce()
        if completeWords { rl_completer_word_break_characters = UnsafePointer(strdup(" ")) }
    }

    /// Ignores SIGQUIT (Ctrl-\), SIGTSTP (Ctrl-Z), SIGTTIN and SIGTTOU for the whole
    /// process. Call it first thing at start-up: readline keeps a signal ignored if it
    /// was ignored before it was first used, so these keys never hand a stranger the
    /// shell that started the kiosk.
    public static func installKioskSignalPolicy() {
        for signal in [SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU] { _ = kiosk_ignore_signal(signal) }
    }

    public func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool) -> LineReadResult {
        Readline.contextCompletions = contextCompletions
        defer { Readline.contextCompletions = nil }
        return Readline.readLine(prompt: prompt, completions: completions, prefill: prefill,
                                 sensitive: sensitive, idleSeconds: idleSeconds)
    }

    /// Empties the history. The kill ring cannot be emptied through readline's API,
    /// so yanking is unbound instead (see `Readline.deniedCommands`).
    public func resetForNextClient() {
        Readline.resetForNextClient()
    }
}

/// Readline's global configuration and the state its C callbacks need.
enum Readline {
    // C callbacks (the line handler, completion, signal handlers) are plain C function
    // pointers and cannot capture context, so their state lives in these statics.
    // `nonisolated(unsafe)` is sound here because readline is only ever driven from the
    // kiosk's one input thread, and the callbacks run synchronously inside readline calls
    // made from that thread. The signal handler only *reads* `signalPipeWrite`, which is
    // set once before the handler is installed.
    nonisolated(unsafe) static var isSetUp = false
    /// The current prompt's choices, for TAB.
    nonisolated(unsafe) static var completions: [String] = []
    /// The reader's `contextCompletions` during its `readLine`.
    nonisolated(unsafe) static var contextCompletions: (([String]) -> [String]?)?
    /// The matches of the TAB being completed, handed out one by one to readline.
    nonisolated(unsafe) static var pendingMatches: [String] = []
    nonisolated(unsafe) static var pendingMatchIndex = 0
    /// Whether the current line stays out of history.
    nonisolated(unsafe) static var sensitive = false
    /// Set by the line handler when readline finished a line (or saw end of input).
    nonisolated(unsafe) static var result: LineReadResult?
    /// Self-pipe: the signal handlers write the signal number here; the read loop polls it.
    nonisolated(unsafe) static var signalPipeRead: Int32 = -1
    nonisolated(unsafe) static var signalPipeWrite: Int32 = -1

    /// Commands unbound in every keymap: they bring back what an earlier client typed
    /// (kill ring, keyboard macros, saved search strings), leave emacs mode, read files,
    /// or show the home directory.
    static let deniedCommands = [
        "yank", "yank-pop",                                   // kill ring survives rl_clear_history
        "start-kbd-macro", "end-kbd-macro", "call-last-kbd-macro", "print-last-kbd-macro",
        "reverse-search-history", "forward-search-history",   // keep the last search string
        "non-incremental-reverse-search-history", "non-incremental-forward-search-history",
        "non-incremental-reverse-search-history-again", "non-incremental-forward-search-history-again",
        "vi-editing-mode",                                    // M-C-j, M-C-m: vi mode
        "re-read-init-file",                                  // C-x C-r
        "tilde-expand",                                       // M-&, M-~: shows $HOME
        "edit-and-execute-command", "execute-named-command",  // not in readline 8.2; if ever
        "dump-functions", "dump-variables", "dump-macros",
    ]
    static let keymapNames = ["emacs", "emacs-standard", "emacs-meta", "emacs-ctlx",
                              "vi", "vi-command", "vi-move", "vi-insert"]

    // MARK: - Set-up

    static func setUpOnce() {
        guard !isSetUp else { return }
        isSetUp = true

        setenv("INPUTRC", "/dev/null", 1)           // a crafted ~/.inputrc could rebind keys
        rl_readline_name = UnsafePointer(strdup("kiosk"))
        rl_catch_signals = 0                         // Ctrl-C handled here, see readLine()
        rl_catch_sigwinch = 0                        // resize handled here too
        rl_change_environment = 0                    // leave LINES and COLUMNS alone
        rl_instream = stdin
        rl_outstream = stdout
        rl_sort_completion_matches = 0               // list choices in their own order
        rl_attempted_completion_function = { text, _, _ in Readline.complete(text) }
        rl_completion_entry_function = { _, _ in nil } // never file names
        _ = rl_initialize()
        // The whole line is the word to complete: choices may hold spaces.
        rl_completer_word_break_characters = UnsafePointer(strdup(""))
        _ = rl_variable_bind("completion-ignore-case", "on")
        _ = rl_variable_bind("bell-style", "none")
        // The "--More--" pager reads keys with a blocking read inside readline, where
        // neither the idle timeout nor Ctrl-C can reach: list all choices at once.
        _ = rl_variable_bind("page-completions", "off")
        stifle_history(100)

        let denied: [(@convention(c) (Int32, Int32) -> Int32)?] = deniedCommands.compactMap { rl_named_function($0) }
        denied.withUnsafeBufferPointer { functions in
            for mapName in keymapNames {
                if let map = rl_get_keymap_by_name(mapName) {
                    kiosk_unbind_functions(map, functions.baseAddress, Int32(functions.count), 0)
                }
            }
        }

        disableFlowControl()
        installSignalHandlers()
    }

    /// Ctrl-S would otherwise freeze the screen (XON/XOFF) until someone knows to press Ctrl-Q.
    /// Readline saves the terminal settings at each line and restores them, so this stays.
    private static func disableFlowControl() {
        guard isatty(STDIN_FILENO) == 1 else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        settings.c_iflag &= ~tcflag_t(IXON)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    private static func installSignalHandlers() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeRead = fds[0]
        signalPipeWrite = fds[1]
        // Without SA_RESTART: poll() returns EINTR, and the pipe wakes it in any case.
        for signal in [SIGINT, SIGWINCH, SIGTERM, SIGHUP] {
            _ = kiosk_set_signal_handler(signal) { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(Readline.signalPipeWrite, &byte, 1)
                errno = saved
            }
        }
    }

    // MARK: - Reading

    static func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool,
                     idleSeconds: Int?) -> LineReadResult {
        setUpOnce()
        fflush(stdout)
        _ = drainSignals()                 // a Ctrl-C between prompts does not cancel this one
        rl_reset_screen_size()             // the terminal may have been resized meanwhile

        var seen = Set<String>()
        Readline.completions = completions.filter { seen.insert($0).inserted }
        Readline.sensitive = sensitive
        Readline.result = nil

        rl_callback_handler_install(prompt) { line in Readline.lineFinished(line) }
        if let prefill, !prefill.isEmpty {
            _ = rl_insert_text(prefill)
            rl_redisplay()
        }

        let clock = ContinuousClock()
        let idle: Duration? = idleSeconds.map { .seconds($0) }
        var deadline = idle.map { clock.now + $0 }
        var hangups = 0

        while true {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signalPipeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), deadline.map { milliseconds(until: $0, clock: clock) } ?? -1)
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                abandonLine(); return .terminated
            }
            if ready == 0 {
                if let deadline, clock.now < deadline { continue }
                abandonLine(); return .idle
            }
            if fds[1].revents != 0 {
                let signals = drainSignals()
                if signals.resized { rl_resize_terminal() }
                if Termination.requested { abandonLine(); return .terminated }
                if signals.interrupted { abandonLine(); return .interrupted }
            }
            let events = Int32(fds[0].revents)
            if events & Int32(POLLNVAL) != 0 { abandonLine(); return .terminated }
            if events & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
                rl_callback_read_char()
                if let result = Readline.result { return result }
                deadline = idle.map { clock.now + $0 }
                // A hung-up terminal without data: readline needs two EOFs on a non-empty
                // line; never spin if it does not give up.
                if events & Int32(POLLIN) == 0 {
                    hangups += 1
                    if hangups > 3 { abandonLine(); return .terminated }
                } else {
                    hangups = 0
                }
            }
        }
    }

    /// Called by readline (through the installed C handler) with a malloc'ed line, or nil
    /// at end of input.
    static func lineFinished(_ line: UnsafeMutablePointer<CChar>?) {
        // Removing the handler here stops readline from showing the prompt again.
        rl_callback_handler_remove()
        guard let line else {               // readline has already moved to a new line
            result = .endOfInput
            return
        }
        defer { free(line) }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(line).assumingMemoryBound(to: UInt8.self),
                                        count: strlen(line))
        var text = LineLimits.decode(bytes)
        // A bracketed paste can put line breaks inside one line: a line has none.
        if text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            text = String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        }
        if !sensitive && text.contains(where: { !$0.isWhitespace }) && text != lastHistoryLine() {
            add_history(text)
        }
        result = .line(text)
    }

    private static func lastHistoryLine() -> String? {
        guard history_length > 0, let entry = history_get(history_base + history_length - 1),
              let line = entry.pointee.line else { return nil }
        return String(cString: line)
    }

    /// Throws the line away (Ctrl-C or idle): wipes it from the screen, moves to a new
    /// line and gives the terminal back its normal settings.
    private static func abandonLine() {
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_replace_line("", 1)
        rl_redisplay()                     // the typed text disappears from the screen
        _ = rl_crlf()
        rl_callback_handler_remove()
        fflush(stdout)
    }

    private static func drainSignals() -> (interrupted: Bool, resized: Bool) {
        var interrupted = false, resized = false
        var buffer = [UInt8](repeating: 0, count: 64)
        while signalPipeRead >= 0 {
            let n = buffer.withUnsafeMutableBytes { read(signalPipeRead, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for byte in buffer[..<n] {
                if Int32(byte) == SIGINT { interrupted = true }
                if Int32(byte) == SIGWINCH { resized = true }
                if Int32(byte) == SIGTERM || Int32(byte) == SIGHUP { Termination.request() }
            }
        }
        return (interrupted, resized)
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant, clock: ContinuousClock) -> Int32 {
        let left = clock.now.duration(to: deadline).components
        if left.seconds < 0 { return 0 }
        let ms = left.seconds * 1000 + (left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, ms))
    }

    // MARK: - Completion

    /// `rl_attempted_completion_function`: completes the whole line from the current
    /// choices only (case- and accent-insensitive prefix), never file names.
    static func complete(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1          // no fallback to file names
        rl_completion_suppress_append = 1         // no space after a choice
        let typed = text.map { String(cString: $0) } ?? ""
        var choices = completions
        if let context = contextCompletions, let buffer = rl_line_buffer {
            // The words before the one being completed (rl_point counts bytes).
            let line = Array(String(cString: buffer).utf8)
            let end = max(0, min(line.count, Int(rl_point) - typed.utf8.count))
            let words = String(decoding: line[..<end], as: UTF8.self).split(separator: " ").map(String.init)
            if let offered = context(words) { choices = offered }
        }
        pendingMatches = matches(for: typed, in: choices)
        pendingMatchIndex = 0
        guard !pendingMatches.isEmpty, let text else { return nil }
        // readline frees every string it is given: hand it strdup'ed copies.
        return rl_completion_matches(text) { _, state in
            if state == 0 { Readline.pendingMatchIndex = 0 }
            guard Readline.pendingMatchIndex < Readline.pendingMatches.count else { return nil }
            defer { Readline.pendingMatchIndex += 1 }
            return strdup(Readline.pendingMatches[Readline.pendingMatchIndex])
        }
    }

    /// The choices that start with what was typed, ignoring case, accents and leading spaces.
    static func matches(for typed: String, in choices: [String]) -> [String] {
        let key = TextSafety.folded(typed)
        guard !key.isEmpty else { return choices }
        return choices.filter { TextSafety.folded($0).hasPrefix(key) }
    }

    // MARK: - Between clients

    static func resetForNextClient() {
        setUpOnce()
        rl_clear_history()
    }
}
