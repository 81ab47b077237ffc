/// What a session looks up on every screen and every answer, worked out once per content
/// and language instead of once per keystroke: fixed texts, command words, choice words,
/// and their folded forms for matching (issue 9: the core ran 5,500 sessions/s, and most
/// of that time went to building these again).
public struct LanguageTables: Sendable {
    /// Each fixed text, resolved, by `MessageKey.rawValue` (placeholders not yet filled).
    let messages: [String: String]
    /// Command words a client may type, as written, and folded for matching.
    let commandWords: [KioskCommand: [String]]
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
        self.commandWords = commandWords
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

/// The tables of every language the content offers, made when the content is made.
public final class ContentTables: Sendable {
    let byLanguage: [String: LanguageTables]

    init(_ content: KioskContent) {
        var byLanguage: [String: LanguageTables] = [:]
        for language in Set(content.clinic.languages + [content.clinic.defaultLanguage]) {
            byLanguage[language] = LanguageTables(content: content, language: language)
        }
        self.byLanguage = byLanguage
    }

    /// A language the content does not offer gets its tables made on the spot.
    func tables(_ language: String, _ content: KioskContent) -> LanguageTables {
        byLanguage[language] ?? LanguageTables(content: content, language: language)
    }
}
