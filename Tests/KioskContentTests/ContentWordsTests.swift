import KioskContent
import KioskTestSupport
import Testing
@testable import KioskCore

/// The matcher splits every label, alias and word list of the content into words. Most are
/// read from their bytes (`AnswerMatcher.plainWords`); those must give the folded reading's
/// words, or a choice would stop answering to its own words.
@Suite("The bundled content's words")
struct ContentWordsTests {
    @Test("every choice, sign, booking time and word list splits the same both ways, in each language")
    func sameWords() throws {
        let content = try ContentLoader.load(directory: Repository.content).get()
        var texts: [LocalizedText] = []
        for question in content.questions {
            texts.append(question.prompt)
            for choice in question.choices { texts += [choice.label] + choice.aliases }
        }
        for screen in content.warningScreens {
            for sign in screen.signs { texts += [sign.text] + sign.aliases }
        }
        for time in content.bookingTimes { texts += [time.label] + time.aliases }
        var checked = 0, plain = 0
        for language in content.clinic.languages {
            var all = texts.map { $0.resolve(language, fallback: content.clinic.defaultLanguage) }
            for key in MessageKey.allCases where key.rawValue.hasPrefix("words.") {
                all += ClientSession.words(content, key, language)
            }
            for text in all {
                #expect(AnswerMatcher.words(text) == AnswerMatcher.foldedWords(text), "\(language): \(text)")
                checked += 1
                if AnswerMatcher.plainWords(text) != nil { plain += 1 }
            }
        }
        #expect(checked > 300)
        // Both languages' texts take the byte reading, accents and all.
        #expect(plain * 10 >= checked * 9, "\(plain) of \(checked)")
    }
}
