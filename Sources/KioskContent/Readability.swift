/// Reading-level formulas, one per language:
///
/// - English: the Flesch-Kincaid grade, roughly the US school grade a reader
///   needs to follow a text (higher is harder). The kiosk's texts aim for
///   grade 6 to 8.
/// - Spanish: the Fernández-Huerta ease, an adaptation of Flesch's reading
///   ease (higher is easier; 60 to 70 is "normal" adult text, 70 to 80 "fairly
///   easy", 80 and above "easy").
///
/// Words are runs of letters (an apostrophe inside a word, as in "don't",
/// keeps it one word; digits are not words). Sentences end at . ! ? : or ;
/// (not inside a number; the opening ¿ and ¡ end nothing) and a text without
/// end punctuation is one sentence. Syllables are counted by a heuristic per
/// language, so a score is an estimate: good to about a grade in English, a
/// few points of ease in Spanish.
public enum Readability {
    /// Character.isLetter reads Unicode tables for every character; content is mostly
    /// ASCII, so decide those by their byte.
    static func isLetter(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) }
        return c.isLetter
    }

    static func isDigit(_ c: Character) -> Bool {
        if let a = c.asciiValue { return a >= 48 && a <= 57 }
        return c.isNumber
    }

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

    /// Fernández-Huerta (1959): 206.84 − 0.60 × P − 1.02 × F, where P is the
    /// syllables per 100 words and F the words per sentence; 0 for a text
    /// without words. Higher is easier.
    ///
    /// The formula is often printed with F as "sentences per 100 words", but
    /// then shorter sentences would score as harder. Fernández Huerta adapted
    /// Flesch's reading ease (206.835 − 84.6 × syllables per word − 1.015 ×
    /// words per sentence), and the corrected reading (Law, 2011; legible.es;
    /// textstat) takes F as the average sentence length in words, as here.
    public static func fernandezHuerta(_ text: String) -> Double {
        let sentences = sentenceWords(in: text)
        let words = sentences.flatMap { $0 }
        guard !words.isEmpty else { return 0 }
        let syllables = words.reduce(0) { $0 + syllablesSpanish(in: $1) }
        let wordCount = Double(words.count)
        let syllablesPer100Words = 100 * Double(syllables) / wordCount
        let wordsPerSentence = wordCount / Double(sentences.count)
        return 206.84 - 0.60 * syllablesPer100Words - 1.02 * wordsPerSentence
    }

    /// Syllables in a Spanish word, at least 1: its vowel groups, where a
    /// group holds at most one strong vowel (a e o, accented or not) and any
    /// unaccented weak vowels (i u ü) beside it, so a diphthong ("ciudad",
    /// "fisioterapia") or triphthong ("Uruguay") is one syllable and two strong
    /// vowels are two ("leer", "aéreo"). An accented í or ú is spoken apart,
    /// like a strong vowel ("día", "país"). The u of "qu", and of "gu" before
    /// e or i, is silent ("que", "guerra"; "pingüino" keeps it). A y is a
    /// vowel on its own ("y") or ending a word after a vowel ("hay", "muy").
    public static func syllablesSpanish(in word: String) -> Int {
        let letters = Array(word.lowercased().filter(Readability.isLetter))
        let n = letters.count
        guard n > 0 else { return 1 }
        enum Sound { case strong, weak, consonant }
        func sound(_ i: Int) -> Sound {
            switch letters[i] {
            case "a", "e", "o", "á", "é", "ó", "í", "ú", "à", "è", "ò":
                return .strong
            case "i", "ü", "ï":
                return .weak
            case "u":
                if i > 0, letters[i - 1] == "q" { return .consonant }
                if i > 0, letters[i - 1] == "g", i + 1 < n, "eiéí".contains(letters[i + 1]) { return .consonant }
                return .weak
            case "y":
                if n == 1 { return .weak }
                if i == n - 1, i > 0, "aeiouáéíóúü".contains(letters[i - 1]) { return .weak }
                return .consonant
            default:
                return .consonant
            }
        }
        var count = 0
        var inGroup = false
        var groupHasStrong = false
        for i in 0..<n {
            let kind = sound(i)
            if kind == .consonant {
                inGroup = false
                continue
            }
            let strong = kind == .strong
            if !inGroup || (strong && groupHasStrong) {
                count += 1
                inGroup = true
                groupHasStrong = strong
            } else if strong {
                groupHasStrong = true
            }
        }
        return max(count, 1)
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
            if Readability.isLetter(character) {
                word.append(character)
            } else if (character == "'" || character == "\u{2019}"), !word.isEmpty {
                word.append("'")
            } else {
                endWord()
                // A decimal point (2.5) or a time (9:30) does not end a sentence.
                let inNumber = i > 0 && i + 1 < characters.count
                    && Readability.isDigit(characters[i - 1]) && Readability.isDigit(characters[i + 1])
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
        let letters = Array(word.lowercased().filter(Readability.isLetter))
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
