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
    /// What the matcher needs, made at the first answer rather than before the welcome
    /// (bench row 1 is start to first prompt).
    let matching: Lazy<Matching>

    /// The words a client may use in their own answers, in this language and the first.
    var vocabulary: Vocabulary { matching.value.vocabulary }
    /// For each question (by index), its choices as the matcher sees them.
    var questionChoices: [[MatchChoice]] { matching.value.questionChoices }
    /// For each warning screen, its signs and then "none of these".
    var warningChoices: [[MatchChoice]] { matching.value.warningChoices }
    var bookingTimeChoices: [MatchChoice] { matching.value.bookingTimeChoices }
    /// Yes (to book: "book" too) and no.
    var yesNoChoices: [MatchChoice] { matching.value.yesNoChoices }
    var bookChoices: [MatchChoice] { matching.value.bookChoices }
    /// Each option as the overview reads it, by option id.
    var optionChoices: [String: MatchChoice] { matching.value.optionChoices }
    /// Yes and no to being contacted.
    var consentChoices: [MatchChoice] { matching.value.consentChoices }
    /// Kinds of professional to ask for, with their words (`ClientSession.bookingKinds`).
    var bookingKinds: [(id: String, label: String, match: MatchChoice)] { matching.value.bookingKinds }

    init(content: PracticeContent, language: String) {
        var messages: [String: String] = [:]
        for key in MessageKey.allCases { messages[key.rawValue] = content.messages.text(key, language) }
        self.messages = messages
        let commandWords = ClientSession.commandTables(content)[language] ?? [:]
        foldedCommandWords = commandWords.map { ($0.key, $0.value.map(TextSafety.foldedLabel)) }
        commandCompletions = [MessageKey.commandBack, .commandHelp, .commandRestart].compactMap { key in
            messages[key.rawValue]?.split(separator: ",").first.map { $0.trimmedWhitespace }
        }
        let resolved = messages
        matching = Lazy { Matching(content: content, language: language, messages: resolved) }
    }

    /// The choices of every screen as the matcher sees them, and the words it reads them with.
    /// A class: each look-up takes one reference, not a copy of every table (a struct here
    /// cost a retain and a release per table on every look-up).
    final class Matching: Sendable {
        let vocabulary: Vocabulary
        let questionChoices: [[MatchChoice]]
        let warningChoices: [[MatchChoice]]
        let bookingTimeChoices: [MatchChoice]
        let yesNoChoices: [MatchChoice]
        let bookChoices: [MatchChoice]
        let optionChoices: [String: MatchChoice]
        let consentChoices: [MatchChoice]
        let bookingKinds: [(id: String, label: String, match: MatchChoice)]

        init(content: PracticeContent, language: String, messages: [String: String]) {
            let fallback = content.clinic.defaultLanguage
            let languages = language == fallback ? [language] : [language, fallback]
            let vocabulary = Vocabulary(languages: languages) { ClientSession.words(content, $0, $1) }
            self.vocabulary = vocabulary
            func resolve(_ text: LocalizedText) -> String { text.resolve(language, fallback: fallback) }
            func choice(_ c: Choice) -> MatchChoice {
                MatchChoice(label: resolve(c.label), phrases: ([c.label] + c.aliases).map(resolve),
                            exclusive: c.exclusive, ages: c.ages, days: c.days)
            }
            questionChoices = content.questions.map { $0.choices.map(choice) }
            bookingTimeChoices = content.bookingTimes.map(choice)
            // An option answers to its name and to its professional's words ("physio", "chiro").
            optionChoices = Dictionary(content.options.map { option in
                let professional = option.discipline.flatMap(content.discipline).map { [$0.label] + $0.aliases } ?? []
                return (option.id, MatchChoice(label: resolve(option.name), phrases: ([option.name] + professional).map(resolve)))
            }, uniquingKeysWith: { first, _ in first })
            let none = messages[MessageKey.warningNone.rawValue] ?? ""
            warningChoices = content.warningScreens.map { screen in
                screen.signs.map { sign in
                    MatchChoice(label: resolve(sign.text), phrases: ([sign.text] + sign.aliases).map(resolve), wordsAlone: false)
                }
                    + [MatchChoice(label: none, words: [AnswerMatcher.words(none)] + vocabulary.none, exclusive: true)]
            }
            let yes = messages[MessageKey.bookYes.rawValue] ?? "", no = messages[MessageKey.bookNo.rawValue] ?? ""
            yesNoChoices = [MatchChoice(label: yes, words: [AnswerMatcher.words(yes)] + vocabulary.yes),
                            MatchChoice(label: no, words: [AnswerMatcher.words(no)] + vocabulary.no)]
            bookChoices = [MatchChoice(label: yes, words: [AnswerMatcher.words(yes)] + vocabulary.yes + vocabulary.book),
                           yesNoChoices[1]]
            let consentYes = messages[MessageKey.bookConsentYes.rawValue] ?? "", consentNo = messages[MessageKey.bookConsentNo.rawValue] ?? ""
            consentChoices = [MatchChoice(label: consentYes, words: [AnswerMatcher.words(consentYes)] + vocabulary.yes),
                              MatchChoice(label: consentNo, words: [AnswerMatcher.words(consentNo)] + vocabulary.no)]
            let texts = messages
            bookingKinds = ClientSession.bookingKinds(content, language: language,
                                                      msg: { texts[$0.rawValue] ?? content.messages.text($0, language) },
                                                      text: resolve)
        }
    }
}

/// A value made the first time it is asked for, once, from any thread.
final class Lazy<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let made = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    /// Made under the lock: a caller that comes while another thread makes it waits for that one.
    var value: Value {
        made.withLock { made in
            if let known = made { return known }
            let value = make()
            made = value
            return value
        }
    }
}

/// The tables of each language, made the first time a session needs them: a kiosk start
/// makes only the welcome's language.
public final class ContentTables: Sendable {
    /// The content as it was when these tables were made (its own `tables` left out).
    private let content: PracticeContent
    private let made = Mutex<[String: LanguageTables]>([:])
    /// Everyone's weekly hours and the booking times', read the first time a client books.
    private let hours: Lazy<DirectoryHours>

    init(_ content: PracticeContent) {
        self.content = content
        let clinic = content.clinic, timeHours = content.bookingTimeHours
        hours = Lazy { DirectoryHours(clinic: clinic, timeHours: timeHours) }
    }

    func tables(_ language: String) -> LanguageTables {
        // Made under the lock: a second caller waits for them rather than making them again.
        made.withLock { made in
            if let known = made[language] { return known }
            let tables = LanguageTables(content: content, language: language)
            made[language] = tables
            return tables
        }
    }

    /// Makes `language`'s tables now, the matcher's too, which a session otherwise makes at its
    /// first answer. The kiosk calls it on a thread of its own at start-up, for the welcome's
    /// language, while the database opens and the welcome is shown.
    public func prepare(_ language: String) {
        _ = tables(language).matching.value
    }

    var directoryHours: DirectoryHours { hours.value }
}
