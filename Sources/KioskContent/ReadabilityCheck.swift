import Foundation
import KioskCore
import Yams

/// A reading-level formula for one language, and the threshold a practice can
/// set for it in clinic.yaml (`reading: {en: {max_grade: 8}, es: {min_ease: 55}}`).
public struct ReadingFormula: Sendable {
    /// As shown in the report: "Flesch-Kincaid grade".
    public var name: String
    /// What one score is called in problems and listings: "grade", "ease".
    public var measure: String
    /// The threshold's field under `reading: <language>:` in clinic.yaml.
    public var field: String
    /// True for a grade (the threshold is a maximum), false for an ease (a minimum).
    public var higherIsHarder: Bool
    /// The threshold when clinic.yaml sets none.
    public var defaultThreshold: Double
    /// The thresholds clinic.yaml may set.
    public var allowedRange: ClosedRange<Double>
    /// The score of a text.
    public var score: @Sendable (String) -> Double

    /// English: Flesch-Kincaid grade, at most 8 by default.
    public static let fleschKincaid = ReadingFormula(
        name: "Flesch-Kincaid grade", measure: "grade", field: "max_grade", higherIsHarder: true,
        defaultThreshold: ContentLoader.defaultReadingGradeMax, allowedRange: 1...20,
        score: { Readability.fleschKincaidGrade($0) })

    /// Spanish: Fernández-Huerta ease, at least 55 by default.
    public static let fernandezHuerta = ReadingFormula(
        name: "Fernández-Huerta ease", measure: "ease", field: "min_ease", higherIsHarder: false,
        defaultThreshold: ContentLoader.defaultReadingEaseMin, allowedRange: 0...100,
        score: { Readability.fernandezHuerta($0) })

    /// The formulas by primary language code. A language without one is not graded.
    public static let byLanguage: [String: ReadingFormula] = ["en": fleschKincaid, "es": fernandezHuerta]

    /// The formula for a language code: "es", "es-MX" and "es_US" are all Spanish.
    public static func forLanguage(_ code: String) -> ReadingFormula? {
        byLanguage[primary(code)]
    }

    static func primary(_ code: String) -> String {
        String(code.lowercased().prefix { $0 != "-" && $0 != "_" })
    }

    /// Whether a score, rounded to one decimal as it is shown, is worse than `threshold`.
    public func fails(_ score: Double, threshold: Double) -> Bool {
        let shown = ReadingCheck.rounded(score)
        return higherIsHarder ? shown > threshold : shown < threshold
    }

    /// Whether score `a` is harder to read than score `b`.
    public func isHarder(_ a: Double, than b: Double) -> Bool {
        higherIsHarder ? a > b : a < b
    }
}

/// One graded client-facing text. `file` is named as the folder was given,
/// like a problem's; `text` is the whole text.
public struct GradedText: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var score: Double
    public var text: String

    public init(file: String, line: Int, score: Double, text: String) {
        self.file = file; self.line = line; self.score = score; self.text = text
    }
}

/// How hard one language's client-facing texts are to read.
public struct LanguageReading: Sendable {
    /// The language code, as the content writes it.
    public var language: String
    public var formula: ReadingFormula
    /// The limit the check applies: a maximum grade or a minimum ease.
    public var threshold: Double
    /// Every graded text (at least `ContentLoader.readingMinimumWords` words:
    /// a short label has no meaningful score), hardest first.
    public var graded: [GradedText]
    /// How many texts were graded.
    public var texts: Int { graded.count }
    /// The mean score of those texts (0 when there are none).
    public var average: Double {
        graded.isEmpty ? 0 : graded.reduce(0) { $0 + $1.score } / Double(graded.count)
    }
    /// The five hardest texts.
    public var hardest: ArraySlice<GradedText> { graded.prefix(5) }
}

/// How hard the content's client-facing texts are to read, per language, for
/// `kiosk content check` to show after a successful check.
public struct ReadingReport: Sendable {
    /// The graded languages: the clinic's languages that have a formula, in
    /// its order, then any other language with a formula that texts are written in.
    public var languages: [LanguageReading]
    /// The clinic's languages, and languages that texts are written in, that
    /// have no formula: not graded.
    public var ungraded: [String]

    /// The figures for one language, if it is graded.
    public subscript(language: String) -> LanguageReading? {
        languages.first { $0.language == language }
    }
}

extension ContentLoader {
    /// The highest English (Flesch-Kincaid) grade allowed when clinic.yaml sets none.
    public static let defaultReadingGradeMax = 8.0
    /// The lowest Spanish (Fernández-Huerta) ease allowed when clinic.yaml sets
    /// none. On Fernández Huerta's scale 60 to 70 is "normal" adult text and
    /// 50 to 60 "somewhat hard". Plain Spanish texts of 8 or more words land
    /// around 60 to 80 and above (the bundled content's 177 Spanish texts
    /// average about 78, and nine in ten score over 63), but a plain sentence
    /// that must name a treatment or a symptom can score in the high 50s; 55
    /// flags dense texts without flagging every needed long word.
    public static let defaultReadingEaseMin = 55.0
    /// Texts with fewer words are not graded.
    public static let readingMinimumWords = 8

    /// The reading levels of a content folder's client-facing texts, per
    /// language. Files that cannot be read are left out (`load` reports them);
    /// an unusable threshold counts as the default.
    public static func readingReport(directory: String) -> ReadingReport {
        let reading = ReadingCheck.cached(directory: directory, files: nil)
        var languages: [LanguageReading] = []
        var ungraded: [String] = []
        for language in reading.languages {
            guard let formula = ReadingFormula.forLanguage(language) else {
                ungraded.append(language)
                continue
            }
            let graded = reading.texts.filter { $0.language == language }.enumerated().sorted { a, b in
                a.element.score != b.element.score
                    ? formula.isHarder(a.element.score, than: b.element.score) : a.offset < b.offset
            }.map { GradedText(file: $0.element.file, line: $0.element.line, score: $0.element.score, text: $0.element.text) }
            languages.append(LanguageReading(language: language, formula: formula,
                                             threshold: reading.threshold(for: language), graded: graded))
        }
        return ReadingReport(languages: languages, ungraded: ungraded)
    }
}

extension ContentReader {
    /// Grades every client-facing text of the files read, in each language
    /// with a formula; a text worse than its language's threshold is a problem.
    func checkReadability() {
        let reading = ReadingCheck.cached(directory: directory, files: loadedFiles)
        problems += reading.problems
        for text in reading.texts {
            guard let formula = ReadingFormula.forLanguage(text.language) else { continue }
            let threshold = reading.threshold(for: text.language)
            guard formula.fails(text.score, threshold: threshold) else { continue }
            // English keeps the message it had before other languages were graded.
            let language = ReadingFormula.primary(text.language) == "en" ? "" : " for \(text.language)"
            problems.append(ContentProblem(
                file: text.file, line: text.line,
                message: "reading \(formula.measure) \(String(format: "%.1f", text.score)) is "
                    + "\(formula.higherIsHarder ? "above" : "below") \(ReadingCheck.format(threshold))"
                    + "\(language) (\"\(ReadingCheck.excerpt(text.text))\")"))
        }
    }
}

/// The client-facing texts of a content folder with their scores, and the
/// thresholds from clinic.yaml.
struct ReadingCheck {
    /// One grading per folder and set of files per process: `content check` both checks
    /// and reports, from the same (already parsed) files.
    static func cached(directory: String, files: Set<String>?) -> ReadingCheck {
        let files = files == Set(ContentLoader.fileNames) ? nil : files     // all files: the same grading
        // The files' sizes and times are in the key: an edited file is graded again.
        let stamps = ContentLoader.fileNames.map { name -> String in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            let size = attributes?[.size] as? Int ?? -1
            let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size)@\(time)"
        }.joined(separator: ",")
        let key = directory + "|" + (files.map { $0.sorted().joined(separator: ",") } ?? "*") + "|" + stamps
        if let known = cacheLock.withLock({ cache[key] }) { return known }
        let made = ReadingCheck(directory: directory, files: files)
        cacheLock.withLock { cache[key] = made }
        return made
    }
    // Guarded by `cacheLock`.
    nonisolated(unsafe) private static var cache: [String: ReadingCheck] = [:]
    private static let cacheLock = NSLock()

    struct ScoredText {
        var file: String
        var language: String
        var line: Int
        var text: String
        var score: Double
    }

    /// The English maximum grade, as it was set before `reading:`.
    static let legacyField = "reading_grade_max"
    static let field = "reading"

    /// Fields that hold client-facing text, by file (messages.yaml: every
    /// message). Ids, citations, names of people and places are not graded.
    static let textFields: [String: Set<String>] = [
        "clinic.yaml": ["label"],
        "questionnaire.yaml": ["prompt", "why", "scale_hint", "label"],
        "safety.yaml": ["prompt", "why", "text", "title", "instructions", "reason", "meanwhile", "intro", "closed_intro"],
        "options.yaml": ["name", "summary", "reason", "home_care", "watch_for"],
        "evidence.yaml": ["kind", "finding", "strength", "funding"],
        "directory.yaml": ["label", "note"],
    ]
    /// Rules and aliases hold question and choice ids or typed words, not text.
    static let skippedFields: Set<String> = ["when", "ask_if", "aliases"]

    /// Thresholds set in clinic.yaml, by language code as written there.
    var thresholds: [String: Double] = [:]
    var problems: [ContentProblem] = []
    /// Graded texts (those long enough), in every language with a formula.
    var texts: [ScoredText] = []
    /// The clinic's languages, then other languages texts are written in, in
    /// the order first found.
    var languages: [String] = []

    /// Reads `files` of `directory` (nil: every content file).
    init(directory: String, files: Set<String>?) {
        let paths = ContentReader(directory: directory)
        var defaultLanguage = "en"
        if let clinic = Self.root(paths.path("clinic.yaml")), files?.contains("clinic.yaml") ?? true {
            readThresholds(clinic, file: paths.path("clinic.yaml"))
            let listed = clinic.mapping?["languages"]?.sequence?.compactMap { $0.scalar?.string } ?? []
            if let first = listed.first { defaultLanguage = first }
            for language in listed where !languages.contains(language) { languages.append(language) }
        }
        for name in ContentLoader.fileNames where files?.contains(name) ?? true {
            let file = paths.path(name)
            guard let root = Self.root(file) else { continue }
            var found: [(language: String, line: Int, text: String)] = []
            if name == "messages.yaml" {
                for (key, value) in root.mapping?["messages"]?.mapping ?? Node.Mapping([]) {
                    // Word lists (what a client may type) are not sentences to read.
                    if let name = key.scalar?.string, MessageKey(rawValue: name)?.isWordList == true { continue }
                    found += Self.texts(value, defaultLanguage: defaultLanguage)
                }
            } else if let fields = Self.textFields[name] {
                Self.collect(root, fields: fields, defaultLanguage: defaultLanguage, into: &found)
            }
            for (language, line, text) in found {
                if !languages.contains(language) { languages.append(language) }
                guard let formula = ReadingFormula.forLanguage(language),
                      Readability.words(in: text).count >= ContentLoader.readingMinimumWords else { continue }
                texts.append(ScoredText(file: file, language: language, line: line, text: text,
                                        score: formula.score(text)))
            }
        }
    }

    /// The threshold for a language: set for its code ("es-MX"), else for its
    /// primary code ("es"), else its formula's default.
    func threshold(for language: String) -> Double {
        thresholds[language] ?? thresholds[ReadingFormula.primary(language)]
            ?? ReadingFormula.forLanguage(language)?.defaultThreshold ?? 0
    }

    /// `reading_grade_max: 8` (English), and `reading: {en: {max_grade: 8}, es: {min_ease: 55}}`.
    private mutating func readThresholds(_ clinic: Node, file: String) {
        var legacyLine: Int?
        if let node = clinic.mapping?[Self.legacyField],
           let value = number(node, name: Self.legacyField, formula: .fleschKincaid, file: file) {
            thresholds["en"] = value
            legacyLine = line(node)
        }
        guard let node = clinic.mapping?[Self.field] else { return }
        let example = "{en: {max_grade: 8}, es: {min_ease: 55}}"
        guard let mapping = node.mapping else {
            problem(file, node, "'\(Self.field)' should set limits by language, like \(example)")
            return
        }
        let known = ReadingFormula.byLanguage.keys.sorted()
            .map { "\($0) (\(ReadingFormula.byLanguage[$0]!.field))" }.joined(separator: ", ")
        for (key, value) in mapping {
            guard let language = key.scalar?.string else {
                problem(file, key, "'\(Self.field)' should set limits by language, like \(example)")
                continue
            }
            let name = "\(Self.field).\(language)"
            guard let formula = ReadingFormula.forLanguage(language) else {
                problem(file, key, "no reading formula for '\(language)'; '\(Self.field)' can set \(known)")
                continue
            }
            let like = "{\(formula.field): \(Self.format(formula.defaultThreshold))}"
            guard let fields = value.mapping else {
                problem(file, value, "'\(name)' should be like \(like)")
                continue
            }
            if fields.isEmpty { problem(file, value, "'\(name)' should be like \(like)") }
            for (fieldKey, fieldValue) in fields {
                guard fieldKey.scalar?.string == formula.field else {
                    problem(file, fieldKey, "unknown field '\(fieldKey.scalar?.string ?? "?")' in '\(name)' "
                        + "(expected: \(formula.field))")
                    continue
                }
                guard let threshold = number(fieldValue, name: "\(name).\(formula.field)", formula: formula, file: file)
                else { continue }
                if let legacyLine, language == "en" {
                    problems.append(ContentProblem(
                        file: file, line: legacyLine,
                        message: "'\(Self.legacyField)' and '\(name).\(formula.field)' both set the limit "
                            + "for \(language); keep one"))
                }
                thresholds[language] = threshold
            }
        }
    }

    /// A threshold: a number in the formula's allowed range, else a problem and nil.
    private mutating func number(_ node: Node, name: String, formula: ReadingFormula, file: String) -> Double? {
        guard let written = node.scalar?.string.trimmedWhitespace,
              let value = Double(written), value.isFinite else {
            problem(file, node, "'\(name)' should be a number, like \(Self.format(formula.defaultThreshold))")
            return nil
        }
        guard formula.allowedRange.contains(value) else {
            problem(file, node, "'\(name)' \(written) should be from \(Self.format(formula.allowedRange.lowerBound)) "
                + "to \(Self.format(formula.allowedRange.upperBound))")
            return nil
        }
        return value
    }

    private mutating func problem(_ file: String, _ node: Node, _ message: String) {
        problems.append(ContentProblem(file: file, line: line(node), message: message))
    }

    private func line(_ node: Node) -> Int { max(node.mark?.line ?? 1, 1) }

    static func root(_ file: String) -> Node? {
        guard let data = FileManager.default.contents(atPath: file),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return try? ParsedFiles.root(text: text, path: file)
    }

    static func collect(_ node: Node, fields: Set<String>, defaultLanguage: String,
                        into found: inout [(language: String, line: Int, text: String)]) {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let name = key.scalar?.string, !skippedFields.contains(name) else { continue }
                if fields.contains(name) {
                    found += texts(value, defaultLanguage: defaultLanguage)
                } else {
                    collect(value, fields: fields, defaultLanguage: defaultLanguage, into: &found)
                }
            }
        } else if let sequence = node.sequence {
            for item in sequence { collect(item, fields: fields, defaultLanguage: defaultLanguage, into: &found) }
        }
    }

    /// The texts of a client-facing text node by language: a plain text is in
    /// the clinic's first language; a mapping has one text per language.
    static func texts(_ node: Node, defaultLanguage: String) -> [(language: String, line: Int, text: String)] {
        if let text = node.scalar?.string {
            return [(defaultLanguage, max(node.mark?.line ?? 1, 1), text)]
        }
        var found: [(language: String, line: Int, text: String)] = []
        for (key, value) in node.mapping ?? Node.Mapping([]) {
            guard let language = key.scalar?.string, let text = value.scalar?.string else { continue }
            found.append((language, max(value.mark?.line ?? 1, 1), text))
        }
        return found
    }

    /// A score as shown: one decimal.
    static func rounded(_ score: Double) -> Double { (score * 10).rounded() / 10 }

    /// A threshold as written: 8, or 7.5.
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The first words of a text, on one line.
    static func excerpt(_ text: String, words: Int = 6) -> String {
        let parts = text.split(whereSeparator: \.isWhitespace)
        let head = parts.prefix(words).joined(separator: " ")
        return parts.count > words ? head + "..." : head
    }
}
