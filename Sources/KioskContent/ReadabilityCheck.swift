import Foundation
import Yams

/// How hard the content's client-facing English texts are to read, for
/// `kiosk content check` to show after a successful check.
public struct ReadingReport: Sendable {
    /// How many texts were graded: client-facing English texts of at least
    /// `ContentLoader.readingMinimumWords` words (a short label has no
    /// meaningful grade).
    public var texts: Int
    /// The mean Flesch-Kincaid grade of those texts (0 when there are none).
    public var average: Double
    /// Every graded text, hardest first. `file` is named as the folder was
    /// given, like a problem's; `text` is the whole text.
    public var graded: [(file: String, line: Int, grade: Double, text: String)]
    /// The five hardest texts.
    public var hardest: ArraySlice<(file: String, line: Int, grade: Double, text: String)> { graded.prefix(5) }
    /// The highest grade the check allows: clinic.yaml's `reading_grade_max`,
    /// else 8.
    public var threshold: Double

    public init(texts: Int, average: Double,
                graded: [(file: String, line: Int, grade: Double, text: String)], threshold: Double) {
        self.texts = texts; self.average = average; self.graded = graded; self.threshold = threshold
    }
}

extension ContentLoader {
    /// The reading grade allowed when clinic.yaml sets no `reading_grade_max`.
    public static let defaultReadingGradeMax = 8.0
    /// Texts with fewer words are not graded.
    public static let readingMinimumWords = 8

    /// The reading grades of a content folder's client-facing English texts.
    /// Files that cannot be read are left out (`load` reports them); an
    /// unusable `reading_grade_max` counts as the default.
    public static func readingReport(directory: String) -> ReadingReport {
        let reading = ReadingCheck(directory: directory, files: nil)
        let grades = reading.texts.map(\.grade)
        let graded = reading.texts.enumerated().sorted { a, b in
            a.element.grade != b.element.grade ? a.element.grade > b.element.grade : a.offset < b.offset
        }.map { ($0.element.file, $0.element.line, $0.element.grade, $0.element.text) }
        return ReadingReport(
            texts: grades.count,
            average: grades.isEmpty ? 0 : grades.reduce(0, +) / Double(grades.count),
            graded: graded, threshold: reading.threshold)
    }
}

extension ContentReader {
    /// Grades every client-facing English text of the files read; a text
    /// above clinic.yaml's `reading_grade_max` (default 8) is a problem.
    func checkReadability() {
        let reading = ReadingCheck(directory: directory, files: loadedFiles)
        problems += reading.problems
        for text in reading.texts where ReadingCheck.rounded(text.grade) > reading.threshold {
            problems.append(ContentProblem(
                file: text.file, line: text.line,
                message: "reading grade \(String(format: "%.1f", text.grade)) is above "
                    + "\(ReadingCheck.format(reading.threshold)) (\"\(ReadingCheck.excerpt(text.text))\")"))
        }
    }
}

/// The client-facing English texts of a content folder with their grades, and
/// the threshold from clinic.yaml.
struct ReadingCheck {
    struct GradedText {
        var file: String
        var line: Int
        var text: String
        var grade: Double
    }

    static let field = "reading_grade_max"
    static let allowedRange = 1.0...20.0

    /// Fields that hold client-facing text, by file (messages.yaml: every
    /// message). Ids, citations, names of people and places are not graded.
    static let textFields: [String: Set<String>] = [
        "clinic.yaml": ["label"],
        "questionnaire.yaml": ["prompt", "why", "scale_hint", "label"],
        "safety.yaml": ["prompt", "why", "text", "title", "instructions", "reason", "meanwhile"],
        "options.yaml": ["name", "summary", "reason", "home_care", "watch_for"],
        "evidence.yaml": ["kind", "finding", "strength", "funding"],
    ]
    /// Rules and aliases hold question and choice ids or typed words, not text.
    static let skippedFields: Set<String> = ["when", "ask_if", "aliases"]

    var threshold = ContentLoader.defaultReadingGradeMax
    var problems: [ContentProblem] = []
    var texts: [GradedText] = []

    /// Reads `files` of `directory` (nil: every content file).
    init(directory: String, files: Set<String>?) {
        let paths = ContentReader(directory: directory)
        var language = "en"
        if let clinic = Self.root(paths.path("clinic.yaml")), files?.contains("clinic.yaml") ?? true {
            readThreshold(clinic, file: paths.path("clinic.yaml"))
            if let first = clinic.mapping?["languages"]?.sequence?.first?.scalar?.string { language = first }
        }
        for name in ContentLoader.fileNames where files?.contains(name) ?? true {
            let file = paths.path(name)
            guard let root = Self.root(file) else { continue }
            var found: [(line: Int, text: String)] = []
            if name == "messages.yaml" {
                for (_, value) in root.mapping?["messages"]?.mapping ?? Node.Mapping([]) {
                    Self.english(value, defaultLanguage: language).map { found.append($0) }
                }
            } else if let fields = Self.textFields[name] {
                Self.collect(root, fields: fields, defaultLanguage: language, into: &found)
            }
            for (line, text) in found where Readability.words(in: text).count >= ContentLoader.readingMinimumWords {
                texts.append(GradedText(file: file, line: line, text: text,
                                        grade: Readability.fleschKincaidGrade(text)))
            }
        }
    }

    private mutating func readThreshold(_ clinic: Node, file: String) {
        guard let node = clinic.mapping?[Self.field] else { return }
        let line = max(node.mark?.line ?? 1, 1)
        guard let written = node.scalar?.string.trimmingCharacters(in: .whitespaces),
              let value = Double(written), value.isFinite else {
            problems.append(ContentProblem(file: file, line: line,
                                           message: "'\(Self.field)' should be a number, like 8"))
            return
        }
        guard Self.allowedRange.contains(value) else {
            problems.append(ContentProblem(
                file: file, line: line,
                message: "'\(Self.field)' \(written) should be from \(Self.format(Self.allowedRange.lowerBound)) "
                    + "to \(Self.format(Self.allowedRange.upperBound))"))
            return
        }
        threshold = value
    }

    static func root(_ file: String) -> Node? {
        guard let data = FileManager.default.contents(atPath: file),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return try? Yams.compose(yaml: text)
    }

    static func collect(_ node: Node, fields: Set<String>, defaultLanguage: String,
                        into found: inout [(line: Int, text: String)]) {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let name = key.scalar?.string, !skippedFields.contains(name) else { continue }
                if fields.contains(name) {
                    english(value, defaultLanguage: defaultLanguage).map { found.append($0) }
                } else {
                    collect(value, fields: fields, defaultLanguage: defaultLanguage, into: &found)
                }
            }
        } else if let sequence = node.sequence {
            for item in sequence { collect(item, fields: fields, defaultLanguage: defaultLanguage, into: &found) }
        }
    }

    /// The English text of a client-facing text node: a plain text when the
    /// clinic's first language is English, else its `en:` text.
    static func english(_ node: Node, defaultLanguage: String) -> (line: Int, text: String)? {
        let textNode: Node?
        if node.scalar != nil {
            textNode = defaultLanguage == "en" ? node : nil
        } else {
            textNode = node.mapping?["en"]
        }
        guard let textNode, let text = textNode.scalar?.string else { return nil }
        return (max(textNode.mark?.line ?? 1, 1), text)
    }

    /// A grade as shown: one decimal.
    static func rounded(_ grade: Double) -> Double { (grade * 10).rounded() / 10 }

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
