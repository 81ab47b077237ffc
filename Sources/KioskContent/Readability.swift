/// The Flesch-Kincaid reading grade of English text: roughly the US school
/// grade a reader needs to follow it. The kiosk's texts aim for grade 6 to 8.
///
/// Words are runs of letters (an apostrophe inside a word, as in "don't",
/// keeps it one word; digits are not words). Sentences end at . ! ? : or ;
/// (not inside a number) and a text without end punctuation is one sentence. Syllables are counted
/// by an English heuristic, so a grade is an estimate, good to about a grade.
public enum Readability {
    /// 0.39 × words per sentence + 11.8 × syllables per word − 15.59; 0 for a
    /// text without words.
    public static func fleschKincaidGrade(_ text: String) -> Double {
        let counts = sentenceWords(in: text)
        let words = counts.flatMap { $0 }
        guard !words.isEmpty else { return 0 }
        let syllables = words.reduce(0) { $0 + self.syllables(in: $1) }
        let wordCount = Double(words.count)
        return 0.39 * wordCount / Double(counts.count) + 11.8 * Double(syllables) / wordCount - 15.59
    }

    /// The words of `text`, in order.
    static func words(in text: String) -> [String] {
        sentenceWords(in: text).flatMap { $0 }
    }

    static let sentenceEnds: Set<Character> = [".", "!", "?", ":", ";"]

    /// The words of each sentence; a sentence without words is not one.
    static func sentenceWords(in text: String) -> [[String]] {
        var sentences: [[String]] = []
        var sentence: [String] = []
        var word = ""
        func endWord() {
            while word.last == "'" { word.removeLast() }
            if !word.isEmpty { sentence.append(word) }
            word = ""
        }
        let characters = Array(text)
        for (i, character) in characters.enumerated() {
            if character.isLetter {
                word.append(character)
            } else if (character == "'" || character == "\u{2019}"), !word.isEmpty {
                word.append("'")
            } else {
                endWord()
                // A decimal point (2.5) or a time (9:30) does not end a sentence.
                let inNumber = i > 0 && i + 1 < characters.count
                    && characters[i - 1].isNumber && characters[i + 1].isNumber
                if sentenceEnds.contains(character), !inNumber, !sentence.isEmpty {
                    sentences.append(sentence)
                    sentence = []
                }
            }
        }
        endWord()
        if !sentence.isEmpty { sentences.append(sentence) }
        return sentences
    }

    /// Syllables in an English word, at least 1: groups of vowels (y counts,
    /// except first), less a silent final e ("make"), but not the e of a
    /// consonant + le ("table"), nor of -es and -ed where they are spoken
    /// ("boxes", "started").
    static func syllables(in word: String) -> Int {
        let letters = Array(word.lowercased().filter(\.isLetter))
        let n = letters.count
        guard n > 0 else { return 1 }
        func isVowel(_ i: Int) -> Bool {
            "aeiou".contains(letters[i]) || (letters[i] == "y" && i > 0)
        }
        var count = 0
        var inGroup = false
        for i in 0..<n {
            let vowel = isVowel(i)
            if vowel, !inGroup { count += 1 }
            inGroup = vowel
        }
        // Consonant + le, as in "table" or "tackled": the e is spoken ("-ll" is not: "called").
        func consonantLE(_ l: Int) -> Bool {
            l >= 1 && letters[l] == "l" && !isVowel(l - 1) && letters[l - 1] != "l"
        }
        if n > 2, letters[n - 1] == "e", !isVowel(n - 2), !consonantLE(n - 2) {
            count -= 1
        } else if n > 3, letters[n - 2] == "e", letters[n - 1] == "d" || letters[n - 1] == "s",
                  !isVowel(n - 3), !consonantLE(n - 3) {
            let before = letters[n - 3]
            if letters[n - 1] == "d" {
                if before != "t", before != "d" { count -= 1 }
            } else {
                let sibilant = "sxzcg".contains(before) || (before == "h" && "cs".contains(letters[n - 4]))
                if !sibilant { count -= 1 }
            }
        }
        return max(count, 1)
    }
}
