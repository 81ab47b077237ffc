/// Why a typed answer was not taken; each maps to a one-line hint from Content.
public enum InputProblem: Error, Sendable, Hashable {
    case empty
    case tooLong
    case control
    case notAChoice(count: Int)
    case ambiguous([String])
    case exclusive(String)
    case outOfScale(min: Int, max: Int)
    case badContact
    /// Negated, or holding words we do not know: we cannot be sure what was meant.
    case unsure
    /// "yes" at a list of warning signs: which one?
    case whichSign
    /// A command word that is also a choice's word ("back" at "Where does it hurt?").
    case commandClash(word: String, matches: [String])
}

public enum KioskCommand: Sendable, Hashable { case back, help, restart, language }

/// Screens what a client typed, and finds the commands in it (answers: `AnswerMatcher`).
public enum InputParsing {
    /// Longest answer considered; anything longer is refused with a hint.
    public static let maxAnswerLength = 200

    /// Checks shared by every prompt: not too long, no control characters.
    public static func screen(_ raw: String) -> Result<String, InputProblem> {
        if raw.unicodeScalars.count > maxAnswerLength * 4 || raw.count > maxAnswerLength { return .failure(.tooLong) }
        if TextSafety.containsUnsafe(raw) { return .failure(.control) }
        return .success(TextSafety.normalized(raw.trimmedWhitespace, maxLength: maxAnswerLength))
    }

    public static func command(_ input: String, words: [KioskCommand: [String]]) -> KioskCommand? {
        command(input, folded: words.map { ($0.key, $0.value.map(TextSafety.foldedLabel)) })
    }

    /// The same, with the command words already folded (`LanguageTables`).
    static func command(_ input: String, folded words: [(KioskCommand, [String])]) -> KioskCommand? {
        let folded = TextSafety.folded(input)
        if folded == "?" { return .help }
        for (command, list) in words where list.contains(folded) { return command }
        return nil
    }
}
