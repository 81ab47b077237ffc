import Synchronization

/// What a session looks up on every screen and every answer, worked out once per content
/// and language instead of once per keystroke: fixed texts, command words, choice words,
/// and their folded forms for matching (issue 9: the core ran 5,500 sessions/s, and most
/// of that time went to building these again).
public struct LanguageTables: Sendable {
    /// Each fixed text, resolved, by `MessageKey.rawValue` (placeholders not yet filled).
    let messages: [String: String]
    /// Command words a client may type, folded for matching.
    let foldedCommandWords: [(KioskCommand, [String])]
    /// The first word of back / help / restart, for TAB.
    let commandCompletions: [String]
    /// For each question (by index), each choice's words: its label, then its aliases.
    let questionChoiceWords: [[[String]]]
    let foldedQuestionChoiceWords: [[[String]]]

    init(content: KioskContent, language: String) {
        var messages: [String: String] = [:]
        for key in MessageKey.allCases { messages[key.rawValue] = content.messages.text(key, language) }
        self.messages = messages
        let commandWords = ClientSession.commandTables(content)[language] ?? [:]
        foldedCommandWords = commandWords.map { ($0.key, $0.value.map(TextSafety.foldedLabel)) }
        commandCompletions = [MessageKey.commandBack, .commandHelp, .commandRestart].compactMap { key in
            messages[key.rawValue]?.split(separator: ",").first.map { $0.trimmedWhitespace }
        }
        let fallback = content.clinic.defaultLanguage
        questionChoiceWords = content.questions.map { question in
            question.choices.map { choice in
                ([choice.label] + choice.aliases).map { $0.resolve(language, fallback: fallback) }
            }
        }
        foldedQuestionChoiceWords = questionChoiceWords.map { $0.map { $0.map(TextSafety.foldedLabel) } }
    }
}

/// The tables of each language, made the first time a session needs them: a kiosk start
/// makes only the welcome's language.
public final class ContentTables: Sendable {
    /// The content as it was when these tables were made (its own `tables` left out).
    private let content: KioskContent
    private let made = Mutex<[String: LanguageTables]>([:])

    init(_ content: KioskContent) { self.content = content }

    func tables(_ language: String) -> LanguageTables {
        if let known = made.withLock({ $0[language] }) { return known }
        let tables = LanguageTables(content: content, language: language)
        made.withLock { $0[language] = tables }
        return tables
    }
}
