import KioskTerminal

/// Returns scripted lines in order, then `.endOfInput`; records what it was asked.
/// For testing the shell's loop and other modules without a terminal.
public final class ScriptedLineReader: LineReader {
    /// One call to `readLine`, as it was asked.
    public struct Request: Equatable, Sendable {
        public var prompt: String
        public var completions: [String]
        public var prefill: String?
        public var sensitive: Bool
        /// The idle time in force for this call.
        public var idleSeconds: Int?
    }

    private var results: [LineReadResult]
    private var next = 0
    /// Every call, in order.
    public private(set) var requests: [Request] = []
    /// How many times `resetForNextClient()` was called.
    public private(set) var resetCount = 0
    public var idleSeconds: Int?

    /// The prompts asked for, in order.
    public var prompts: [String] { requests.map(\.prompt) }
    /// Whether every scripted result has been handed out.
    public var isExhausted: Bool { next >= results.count }

    public init(_ lines: [String]) { results = lines.map(LineReadResult.line) }
    /// Scripts any results, such as `.interrupted` or `.idle`.
    public init(results: [LineReadResult]) { self.results = results }

    public func readLine(prompt: String, completions: [String], prefill: String?, sensitive: Bool) -> LineReadResult {
        requests.append(Request(prompt: prompt, completions: completions, prefill: prefill, sensitive: sensitive,
                                idleSeconds: idleSeconds))
        guard next < results.count else { return .endOfInput }
        defer { next += 1 }
        return results[next]
    }

    public func resetForNextClient() { resetCount += 1 }
}
