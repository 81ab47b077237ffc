import Foundation

// What can come at any step: a command word, Ctrl-D, a long pause, `back`, `language`.
extension ClientSession {
    /// A command word (help, restart, back, language). A word that is also an answer on this
    /// screen is asked about first; typed again, it is the command. Nil: not a command here.
    mutating func run(_ command: KioskCommand, typed input: String, folded: String, repeated: Bool) -> Transition? {
        let matches = repeated ? [] : choicesMentioned(by: input)
        if !matches.isEmpty {
            clash = (folded, step)
            return Transition(screen: hintScreen(hint(.commandClash(word: input, matches: matches))))
        }
        switch command {
        case .help: return Transition(screen: helpScreen())
        case .restart: return Self.ended
        case .back: return goBack()
        case .language:
            guard content.clinic.languages.count > 1, step != .chooseLanguage else { break }
            if step != .stillThere && step != .confirmStartOver { interrupted = step }
            step = .chooseLanguage
            return Transition(screen: screen(for: .chooseLanguage, clear: true))
        }
        return nil
    }

    /// Ctrl-D on an empty line: ask whether to start over. Nothing to ask on the
    /// welcome or while a request is being saved.
    public mutating func endOfInput() -> Transition? {
        guard step != .welcome, step != .saving, step != .confirmStartOver else { return nil }
        if step != .stillThere { interrupted = step }
        step = .confirmStartOver
        return Transition(screen: screen(for: .confirmStartOver))
    }

    /// No key for the idle time: first ask "still there?", then start over.
    public mutating func idle() -> Transition? {
        switch step {
        case .welcome, .saving: return nil
        case .stillThere, .confirmStartOver: return Self.ended
        default:
            interrupted = step
            step = .stillThere
            return Transition(screen: screen(for: .stillThere))
        }
    }

    /// Back to the step that Ctrl-D or a pause interrupted, as it was.
    mutating func resume() -> Transition {
        step = interrupted ?? .welcome
        interrupted = nil
        return Transition(screen: screen(for: step, clear: true))
    }

    mutating func goBack() -> Transition {
        guard let previous = trail.popLast(), step != .finished else {
            return Transition(screen: hintScreen(msg(.hintNoBack)))
        }
        step = previous
        return Transition(screen: screen(for: previous, clear: true))
    }

    /// Which language, after `language`.
    mutating func chooseLanguage(_ input: String) -> Transition {
        switch AnswerMatcher.choose(input, among: languageChoices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            language = content.clinic.languages[picked[0]]
            return resume()
        }
    }

    /// Start over (after Ctrl-D)? Yes ends the session; no goes back to where it was.
    mutating func confirmStartOver(_ input: String) -> Transition {
        switch yesOrNo(input, yes: msg(.startOverYes), no: msg(.startOverNo)) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            if picked[0] == 0 { return Self.ended }
            return resume()
        }
    }

    /// The choices on this screen that hold a word of `input` (a command word that is also
    /// an answer, such as "back" at "Where does it hurt?").
    func choicesMentioned(by input: String) -> [String] {
        let choices: [MatchChoice]
        switch step {
        case let .warning(i): choices = tables.warningChoices[i]
        case let .question(i): choices = tables.questionChoices[i]
        case .bookKind: choices = bookingKinds.map(\.match)
        case .bookWhen: choices = tables.bookingTimeChoices
        default: return []
        }
        let words = AnswerMatcher.words(input)
        return choices.filter { choice in choice.wordsAlone && words.contains { choice.words.contains($0) } }.map(\.label)
    }
}
