/// One answer to one question.
public enum Answer: Sendable, Hashable, Codable {
    case choices([String])
    case scale(Int)

    public var choiceIDs: [String] {
        if case let .choices(ids) = self { return ids }
        return []
    }
}

/// A client's answers by question id (warning screens included, by screen id).
public typealias Answers = [String: Answer]
