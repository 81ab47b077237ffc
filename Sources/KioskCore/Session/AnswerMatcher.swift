/// The words a client may use in their own answers, in one language (with the clinic's
/// first language beside it), folded for matching. The words are Content (`words.*` in
/// messages.yaml); what they do is here.
public struct Vocabulary: Sendable {
    var yes: [[String]] = []
    var no: [[String]] = []
    var book: [[String]] = []
    var none: [[String]] = []
    var negations: Set<String> = []
    var fillers: Set<String> = []
    var joiners: Set<String> = []
    var numbers: [String: Int] = [:]
    var one: Set<String> = []
    var units: [(one: Set<String>, many: Set<String>, days: Int)] = []
    /// Words that never pick a choice by themselves: fillers, negations and joiners.
    var weak: Set<String> = []

    init() {}

    /// From each language's word lists (`list(key, language)`), the first language first.
    init(languages: [String], list: (MessageKey, String) -> [String]) {
        func phrases(_ key: MessageKey) -> [[String]] {
            languages.flatMap { list(key, $0) }.map(AnswerMatcher.words).filter { !$0.isEmpty }
        }
        func set(_ key: MessageKey) -> Set<String> { Set(phrases(key).flatMap { $0 }) }
        yes = phrases(.wordsYes)
        no = phrases(.wordsNo)
        book = phrases(.wordsBook)
        none = phrases(.wordsNone)
        negations = set(.wordsNegations)
        fillers = set(.wordsFillers)
        joiners = set(.wordsJoiners).union(["&"])
        one = set(.wordsOne)
        for language in languages {
            for (value, spellings) in list(.wordsNumbers, language).enumerated() {
                for spelling in spellings.split(separator: "/") {
                    for word in AnswerMatcher.words(String(spelling)) where numbers[word] == nil { numbers[word] = value }
                }
            }
        }
        let unitKeys: [(MessageKey, MessageKey, Int)] = [
            (.wordsDay, .wordsDays, 1), (.wordsWeek, .wordsWeeks, 7), (.wordsMonth, .wordsMonths, 30), (.wordsYear, .wordsYears, 365),
        ]
        units = unitKeys.map { (set($0.0), set($0.1), $0.2) }
        weak = fillers.union(negations).union(joiners)
    }
}

/// One choice as the matcher sees it: the words of its label and aliases, folded.
public struct MatchChoice: Sendable {
    /// Shown when an answer could mean this or another choice.
    var label: String
    var phrases: [[String]]
    var words: Set<String>
    var exclusive: Bool
    var ages: ValueRange?
    var days: ValueRange?
    /// Whether one word of it may pick it ("massage" for "Massage therapist"). Not for a
    /// warning sign: "back" in "the pain spreads to your arm, jaw, neck or back" is no sign.
    var wordsAlone = true

    init(label: String, phrases: [String], exclusive: Bool = false, ages: ValueRange? = nil, days: ValueRange? = nil,
         wordsAlone: Bool = true) {
        self.label = label
        self.phrases = phrases.map(AnswerMatcher.words).filter { !$0.isEmpty }
        self.words = Set(self.phrases.flatMap { $0 })
        self.exclusive = exclusive; self.ages = ages; self.days = days; self.wordsAlone = wordsAlone
    }

    init(label: String, words phrases: [[String]], exclusive: Bool = false) {
        self.label = label
        self.phrases = phrases.filter { !$0.isEmpty }
        self.words = Set(self.phrases.flatMap { $0 })
        self.exclusive = exclusive
    }
}

/// Reads an answer in a person's own words: a number, a choice's words inside a phrase
/// ("my lower back"), several choices on a line ("sore and stiff"), an age, a time span
/// ("2 months"), a scale in words ("seven", "7/10"). It never guesses: an answer that could
/// mean two choices, or that is negated ("no chest pain"), is asked again.
public enum AnswerMatcher {
    /// The folded words of a text: lowercase, no accents, apostrophes dropped ("don't" is
    /// "dont"), split at everything that is not a letter or a digit; "&" is a word.
    public static func words(_ text: String) -> [String] {
        plainWords(text) ?? foldedWords(text)
    }

    /// `words` of a text in ASCII and the accented letters of `TextSafety.folded`'s table
    /// (most content and most answers, in both languages), read from its bytes: the same words
    /// as `foldedWords` in a tenth of the time (the matcher's tables, made at a session's first
    /// answer, split every label and alias). Nil for a text with any other character.
    static func plainWords(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            let apostrophe = UInt8(ascii: "'"), ampersand = UInt8(ascii: "&")
            var out: [String] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                guard let first = letter(bytes, i) else {
                    if b >= 0x80 { return nil }     // another character: the folded reading
                    if b == ampersand { out.append("&") }
                    i += 1
                    continue
                }
                // A run of letters, digits and apostrophes is one word, without its apostrophes.
                var end = i + first.width
                while end < bytes.count, let next = letter(bytes, end) { end += next.width }
                let start = i
                let word = String(unsafeUninitializedCapacity: end - start) { buffer in
                    var k = 0, p = start
                    while p < end, let next = letter(bytes, p) {
                        if next.0 != apostrophe { buffer[k] = next.0; k += 1 }
                        p += next.width
                    }
                    return k
                }
                if !word.isEmpty { out.append(word) }
                i = end
            }
            return out
        }
    }

    /// The byte at `i` as a word's lowercase ASCII letter or digit (or the apostrophe, which
    /// words drop), with how many bytes it took; nil for anything else.
    private static func letter(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt8, width: Int)? {
        let b = bytes[i]
        switch b {
        case 0x61...0x7A, 0x30...0x39, UInt8(ascii: "'"): return (b, 1)
        case 0x41...0x5A: return (b | 0x20, 1)
        case 0xC3: return latin(bytes, i).map { ($0, 2) }
        default: return nil
        }
    }

    /// À to ÿ (UTF-8 C3 80 to C3 BF) that `TextSafety.folded` turns into a plain letter; nil
    /// for the others (Æ, Ø, ß, ×...), which are left to it.
    private static func latin(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8? {
        guard i + 1 < bytes.count else { return nil }
        let c = bytes[i + 1]
        guard c >= 0x80, c <= 0xBF else { return nil }
        let folded = latinFolds[Int(c - 0x80)]
        return folded == 0 ? nil : folded
    }

    /// U+00C0 to U+00FF (UTF-8 C3 80 to C3 BF): the plain letter `TextSafety.folded` makes of
    /// each, lowercased first as it does, or 0 where it leaves the letter to Foundation.
    private static let latinFolds: [UInt8] = (0xC0...0xFF).map { value -> UInt8 in
        guard let scalar = Unicode.Scalar(UInt32(value)),
              let lower = String(scalar).lowercased().unicodeScalars.first,
              let plain = TextSafety.latinFolds[lower] else { return 0 }
        return UInt8(plain.value)
    }

    /// `words` of any text: folded (lowercase, accents dropped), then split.
    static func foldedWords(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        func flush() { if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() } }
        for scalar in TextSafety.folded(text).unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" { continue }
            if scalar == "&" { flush(); out.append("&"); continue }
            let v = scalar.value
            // ASCII without Unicode's tables (they were a tenth of a session's time).
            let letterOrDigit = v < 0x80 ? (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
                                         : scalar.properties.isAlphabetic
            if letterOrDigit {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    // MARK: - Choices

    public static func choose(_ input: String, among choices: [MatchChoice], multiple: Bool,
                              vocabulary v: Vocabulary) -> Result<[Int], InputProblem> {
        let tokens = words(input)
        if tokens.isEmpty {
            return input.trimmedWhitespace.isEmpty ? .failure(.empty) : .failure(.notAChoice(count: choices.count))
        }
        // "-1" and "1.5" are no choice's number (nor "1" and "5").
        if hasSignedOrDecimalNumber(input) { return .failure(.notAChoice(count: choices.count)) }
        // Numbers alone: "3", "1 and 3", "1, 3", "three".
        let content = tokens.filter { !v.joiners.contains($0) }
        if !content.isEmpty, content.allSatisfy({ number($0, v) != nil }) {
            return byNumbers(content.compactMap { number($0, v) }, choices: choices, multiple: multiple)
        }
        // The whole answer is one of a choice's phrases.
        let exact = choices.indices.filter { choices[$0].phrases.contains(tokens) }
        if exact.count == 1 { return .success(exact) }
        if exact.count > 1 { return .failure(.ambiguous(exact.map { choices[$0].label })) }

        if choices.contains(where: { $0.days != nil }), let (span, used) = timeSpan(tokens, v) {
            let rest = tokens.indices.filter { !used.contains($0) }.map { tokens[$0] }
            // "less than 2 weeks" is not "2 weeks": a word we do not know means ask again.
            if rest.contains(where: { !v.fillers.contains($0) && !v.joiners.contains($0) }) { return .failure(.unsure) }
            let fits = choices.indices.filter { choices[$0].days?.overlaps(span) == true }
            if fits.count == 1 { return .success(fits) }
            if fits.count > 1 { return .failure(.ambiguous(fits.map { choices[$0].label })) }
            return .failure(.notAChoice(count: choices.count))
        }
        if choices.contains(where: { $0.ages != nil }) {
            let numbers = tokens.compactMap { number($0, v) }
            if numbers.count == 1 {
                let units = v.units.reduce(into: Set<String>()) { $0.formUnion($1.one); $0.formUnion($1.many) }
                let other = tokens.filter { number($0, v) == nil && !v.fillers.contains($0) && !units.contains($0) }
                if !other.isEmpty { return .failure(.unsure) }          // "over 40", "not 40"
                let fits = choices.indices.filter { choices[$0].ages?.contains(numbers[0]) == true }
                return fits.count == 1 ? .success(fits) : .failure(.notAChoice(count: choices.count))
            }
        }
        return byWords(tokens, choices: choices, multiple: multiple, v: v)
    }

    /// Choice numbers. At an age question a number past the last choice is an age ("40");
    /// one of the screen's numbers is the choice it names (nobody using the kiosk is 2).
    static func byNumbers(_ numbers: [Int], choices: [MatchChoice], multiple: Bool) -> Result<[Int], InputProblem> {
        var picked: [Int] = []
        for n in numbers {
            let reading = n >= 1 && n <= choices.count ? n - 1 : choices.firstIndex { $0.ages?.contains(n) == true }
            guard let reading else { return .failure(.notAChoice(count: choices.count)) }
            if !picked.contains(reading) { picked.append(reading) }
        }
        return finish(picked, choices: choices, multiple: multiple)
    }

    static func finish(_ picked: [Int], choices: [MatchChoice], multiple: Bool) -> Result<[Int], InputProblem> {
        if picked.isEmpty { return .failure(.notAChoice(count: choices.count)) }
        if picked.count > 1 {
            if !multiple { return .failure(.ambiguous(picked.map { choices[$0].label })) }
            if let lone = picked.first(where: { choices[$0].exclusive }) { return .failure(.exclusive(choices[lone].label)) }
        }
        return .success(picked)
    }

    /// Choices whose words are in the answer. Every other word must be a filler: a word
    /// that is neither (an unknown word, a negation) means the answer is asked again.
    static func byWords(_ tokens: [String], choices: [MatchChoice], multiple: Bool, v: Vocabulary) -> Result<[Int], InputProblem> {
        var covered = [Bool](repeating: false, count: tokens.count)
        var matches: [(choice: Int, positions: Set<Int>)] = []
        for (index, choice) in choices.enumerated() {
            for phrase in choice.phrases {
                if let positions = held(phrase, in: tokens, v: v) { matches.append((index, positions)) }
            }
        }
        // A phrase inside a longer phrase of another choice does not count ("back" in "upper back").
        matches = matches.filter { m in
            !matches.contains { other in
                other.choice != m.choice && other.positions.count > m.positions.count && m.positions.isSubset(of: other.positions)
            }
        }
        var firstPosition: [Int: Int] = [:]
        for m in matches {
            for p in m.positions { covered[p] = true }
            firstPosition[m.choice] = min(firstPosition[m.choice] ?? Int.max, m.positions.min() ?? 0)
        }
        // Then single words inside a choice's words: "chest" in a sign's sentence, "massage" in
        // "Massage therapist", a start of a word ("stif"), or a word one letter off ("sholder").
        for (position, token) in tokens.enumerated() where !covered[position] && !v.weak.contains(token) {
            if number(token, v) != nil { continue }
            let candidates = wordCandidates(token, choices: choices)
            if candidates.isEmpty { continue }
            covered[position] = true
            if candidates.contains(where: { firstPosition[$0] != nil }) { continue }
            if candidates.count > 1 { return .failure(.ambiguous(candidates.map { choices[$0].label })) }
            firstPosition[candidates[0]] = position
        }
        let picked = firstPosition.sorted { $0.value < $1.value }.map(\.key)
        let left = tokens.indices.filter { !covered[$0] }.map { tokens[$0] }
        if left.contains(where: v.negations.contains) {
            // "no, none of these" is fine; "no chest pain" is not read as having chest pain.
            if !picked.isEmpty, picked.allSatisfy({ choices[$0].exclusive }) { return .success(picked) }
            return .failure(.unsure)
        }
        if picked.isEmpty { return .failure(.notAChoice(count: choices.count)) }
        if left.contains(where: { !v.fillers.contains($0) && !v.joiners.contains($0) }) { return .failure(.unsure) }
        return finish(picked, choices: choices, multiple: multiple)
    }

    /// Where a phrase's words are in the answer, or nil. A phrase of weak words only ("no",
    /// "no thanks") counts only when the answer holds nothing but it and fillers.
    static func held(_ phrase: [String], in tokens: [String], v: Vocabulary) -> Set<Int>? {
        let strong = phrase.filter { !v.weak.contains($0) }
        var positions = Set<Int>()
        if strong.isEmpty {
            for word in phrase {
                guard let at = tokens.firstIndex(of: word) else { return nil }
                positions.insert(at)
            }
            for (i, token) in tokens.enumerated() where !positions.contains(i) {
                if !v.fillers.contains(token) { return nil }
            }
            return positions
        }
        for word in strong {
            guard let at = tokens.indices.first(where: { !positions.contains($0) && alike(tokens[$0], word) }) else { return nil }
            positions.insert(at)
        }
        // The phrase's own weak words ("no" in "no puede controlar"), where they are typed too.
        for word in phrase where v.weak.contains(word) {
            if let at = tokens.indices.first(where: { !positions.contains($0) && tokens[$0] == word }) { positions.insert(at) }
        }
        return positions
    }

    static func wordCandidates(_ token: String, choices: [MatchChoice]) -> [Int] {
        let open = choices.indices.filter { choices[$0].wordsAlone }
        let exact = open.filter { choices[$0].words.contains(token) }
        if !exact.isEmpty { return exact }
        if token.count >= 3 {
            let starts = open.filter { choices[$0].words.contains { $0.hasPrefix(token) } }
            if !starts.isEmpty { return starts }
        }
        return open.filter { choices[$0].words.contains { alike(token, $0) } }
    }

    /// The same word, or one letter off (added, dropped, changed or swapped) in a word of
    /// five letters or more.
    static func alike(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard max(x.count, y.count) >= 5, min(x.count, y.count) >= 4, abs(x.count - y.count) <= 1 else { return false }
        if x.count == y.count {
            let differ = x.indices.filter { x[$0] != y[$0] }
            if differ.count == 1 { return true }
            return differ.count == 2 && differ[1] == differ[0] + 1 && x[differ[0]] == y[differ[1]] && x[differ[1]] == y[differ[0]]
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        var i = 0, j = 0, skipped = false
        while i < long.count && j < short.count {
            if long[i] == short[j] { i += 1; j += 1; continue }
            if skipped { return false }
            skipped = true
            i += 1
        }
        return true
    }

    /// "5.5", "5,5", "-3": a number that is not a whole one from zero up.
    static func hasSignedOrDecimalNumber(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            let digitBefore = i > 0 && ("0"..."9").contains(scalars[i - 1])
            let digitAfter = i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])
            if (s == "." || s == ",") && digitBefore && digitAfter { return true }
            if (s == "-" || s == "\u{2212}") && digitAfter && !digitBefore { return true }
        }
        return false
    }

    static func number(_ token: String, _ v: Vocabulary) -> Int? {
        if let n = Int(token), token.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), token.utf8.count <= 4 { return n }
        return v.numbers[token]
    }

    /// "2 months", "a week", "hace dos meses", "years": how many days ago or how long,
    /// as a range, and the positions of the words read.
    static func timeSpan(_ tokens: [String], _ v: Vocabulary) -> (ValueRange, Set<Int>)? {
        var found: [(ValueRange, Set<Int>)] = []
        for (i, token) in tokens.enumerated() {
            for (index, unit) in v.units.enumerated() {
                let singular = unit.one.contains(token), plural = unit.many.contains(token)
                guard singular || plural else { continue }
                if i > 0, let n = number(tokens[i - 1], v) {
                    found.append((ValueRange(n * unit.days, n * unit.days), [i - 1, i]))
                } else if i > 0, v.one.contains(tokens[i - 1]) {
                    found.append((ValueRange(unit.days, unit.days), [i - 1, i]))
                } else if singular {
                    found.append((ValueRange(unit.days, unit.days), [i]))
                } else {
                    // "weeks", "years": two or more, up to the next unit.
                    let next = index + 1 < v.units.count ? v.units[index + 1].days - 1 : nil
                    found.append((ValueRange(2 * unit.days, next), [i]))
                }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    // MARK: - Scales and yes or no

    /// A number on a scale: "7", "seven", "7/10", "7 out of 10", "about 6". "6 or 7" and
    /// "5.5" are asked again.
    public static func scale(_ input: String, min: Int, max: Int, vocabulary v: Vocabulary) -> Result<Int, InputProblem> {
        let trimmed = input.trimmedWhitespace
        if trimmed.isEmpty { return .failure(.empty) }
        let outOfScale = InputProblem.outOfScale(min: min, max: max)
        if hasSignedOrDecimalNumber(trimmed) { return .failure(outOfScale) }
        let tokens = words(trimmed)
        if tokens.contains(where: v.negations.contains) { return .failure(outOfScale) }
        var numbers: [(value: Int, at: Int)] = tokens.enumerated().compactMap { i, t in number(t, v).map { ($0, i) } }
        // "7/10", "7 out of 10", "7 de 10": the scale's top after the number is not a second number.
        var top: Int?
        if numbers.count == 2, numbers[1].value == max, numbers[1].at > numbers[0].at {
            let between = tokens[(numbers[0].at + 1)..<numbers[1].at]
            if between.allSatisfy({ v.fillers.contains($0) }) && (trimmed.contains("/") || !between.isEmpty) {
                top = numbers.removeLast().at
            }
        }
        guard numbers.count == 1 else { return .failure(outOfScale) }
        let others = tokens.indices.filter { $0 != numbers[0].at && $0 != top }.map { tokens[$0] }
        guard others.allSatisfy({ v.fillers.contains($0) }) else { return .failure(outOfScale) }
        let value = numbers[0].value
        return (min...max).contains(value) ? .success(value) : .failure(outOfScale)
    }
}
