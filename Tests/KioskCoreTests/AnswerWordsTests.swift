import KioskTestSupport
import Testing
@testable import KioskCore

/// `AnswerMatcher.words` reads ASCII and common accented letters from the bytes; anything
/// else is folded first.
/// Both ways must give the same words, or a choice's alias would stop matching what a
/// client types.
@Suite("The words of an answer")
struct AnswerWordsTests {
    @Test("plain text: the byte reading gives the folded reading's words", arguments: [
        "my lower back", "Lower Back PAIN", "sore and stiff", "sore & stiff", "sore&stiff", "1 and 3", "1, 3",
        "7/10", "about 6", "6 or 7", "5.5", "-1", "don't know", "rock'n'roll", "' alone '", "''", "", "   ",
        "yes, please!", "no thanks.", "physio", "a massage", "(555) 010-0199", "sam@example.org", "x\ty\nz",
        "ALL CAPS & more", "tab\there", "\u{1B}[2J", "back?", "A1b2C3",
        "me duele el cuello", "rígido y adolorido", "RÍGIDO", "sí", "Sí, claro", "Núñez", "açaí", "Ýÿ", "ÀÉÎÕÜ",
        "hace dos meses", "dolor de espalda baja", "no tengo dolor de pecho", "año", "l'été", "é'é",
    ])
    func plain(_ text: String) {
        #expect(AnswerMatcher.plainWords(text) == AnswerMatcher.foldedWords(text))
    }

    @Test("random lines of plain and accented letters: the two readings agree")
    func randomLines() {
        // Letters of both cases, digits, the apostrophe and "&", what separates words, and
        // the accented letters the byte reading folds itself.
        let alphabet = Array("abcXYZ019'&&  ,./-_!?()\t\u{7F}\u{1}áéíóúñüÁÉÑçÇàÿÝ")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            var line = ""
            for _ in 0..<Int(state % 24) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                line.append(alphabet[Int(state % UInt64(alphabet.count))])
            }
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            #expect(AnswerMatcher.plainWords(line) == AnswerMatcher.foldedWords(line), "\(line.debugDescription)")
        }
    }

    @Test("text with any other character is left to the folded reading", arguments: [
        "don\u{2019}t", "ﬁsio", "Æsir", "straße", "¿Dónde?", "e\u{301}", "Ÿ", "øre", "日本", "emoji 👩🏽‍⚕️",
    ])
    func other(_ text: String) {
        #expect(AnswerMatcher.plainWords(text) == nil)
        #expect(AnswerMatcher.words(text) == AnswerMatcher.foldedWords(text))
    }
}
