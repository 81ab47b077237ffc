/// One thing wrong with Content, where it is: `file:line: message`.
public struct ContentProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the content folder was given, joined with the file name
    /// (`Content/options.yaml`).
    public var file: String
    /// 1-based, as an editor shows it.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Every problem found in one run over a content folder, sorted by file then line.
public struct ContentFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [ContentProblem]

    public init(problems: [ContentProblem]) { self.problems = problems }

    /// One problem a line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
