import Foundation
import KioskTestSupport
@testable import KioskContent
import KioskCore
import Testing

/// A text and its Flesch-Kincaid grade from true (dictionary) syllable counts.
struct GradedSentence: Sendable, CustomTestStringConvertible {
    var text: String
    var expected: Double
    var testDescription: String { "\(expected): \(text.prefix(40))" }
}

let gradedSentences: [GradedSentence] = [
    // 6 words, 6 syllables, 1 sentence.
    GradedSentence(text: "The cat sat on the mat.", expected: -1.45),
    // Without end punctuation: still one sentence.
    GradedSentence(text: "The cat sat on the mat", expected: -1.45),
    // 11 words, 14 syllables, 2 sentences.
    GradedSentence(text: "Massage can help ease pain. It may also help you relax.", expected: 1.57),
    // 16 words, 24 syllables, 1 sentence.
    GradedSentence(text: "Please see a doctor in the next few days, before you have massage or spinal manipulation.",
                   expected: 8.35),
    // 28 words, 70 syllables, 1 sentence.
    GradedSentence(text: """
        The systematic review found that therapeutic massage considerably reduced musculoskeletal pain \
        intensity compared with inactive control interventions, although the methodological quality of \
        the included studies was generally low.
        """, expected: 24.83),
]

let syllableCounts: [(String, Int)] = [
    ("cat", 1), ("the", 1), ("make", 1), ("free", 1), ("you", 1), ("pain", 1), ("hmm", 1),
    ("table", 2), ("people", 2), ("tackled", 2), ("called", 1), ("used", 1), ("started", 2),
    ("minutes", 2), ("muscles", 2), ("boxes", 2), ("changes", 2), ("massage", 2), ("don't", 1),
    ("therapy", 3), ("evidence", 3), ("considerably", 5), ("rehabilitation", 6), ("Massage", 2),
]

/// The fixture's massage summary, and a harder one (grade between 8 and 20).
let easySummary = "summary: {en: Hands-on work on sore muscles., es: Trabajo manual de los músculos.}"
let hardSummary = """
    summary: {en: Massage therapy may reduce discomfort and tension for many individuals with \
    persistent pain., es: Trabajo manual de los músculos.}
    """
let hardText = "Massage therapy may reduce discomfort and tension for many individuals with persistent pain."

func lineOf(_ marker: String, in text: String) -> Int {
    (text.components(separatedBy: "\n").firstIndex { $0.contains(marker) } ?? -1) + 1
}

func bundledContentFolder() -> String {
    Repository.content
}

@Suite("Reading grade")
struct ReadabilityTests {
    @Test("known texts get their Flesch-Kincaid grade, within one grade", arguments: gradedSentences)
    func knownGrades(_ sentence: GradedSentence) {
        let grade = Readability.fleschKincaidGrade(sentence.text)
        #expect(abs(grade - sentence.expected) <= 1, "grade \(grade), expected about \(sentence.expected)")
    }

    @Test("a simple sentence reads below grade 1; a dense one far above grade 8")
    func lowAndHigh() {
        #expect(Readability.fleschKincaidGrade("The cat sat on the mat.") < 1)
        #expect(Readability.fleschKincaidGrade(gradedSentences.last!.text) > 16)
    }

    @Test("syllables: vowel groups, silent e, consonant + le, spoken -es and -ed")
    func syllables() {
        for (word, count) in syllableCounts {
            #expect(Readability.syllables(in: word) == count, "\(word)")
        }
    }

    @Test("words are letter runs; digits are not words; . ! ? : ; end sentences")
    func wordsAndSentences() {
        #expect(Readability.words(in: "Use it for 15 to 20 minutes.") == ["Use", "it", "for", "to", "minutes"])
        #expect(Readability.words(in: "You can't pick it; it's fine") == ["You", "can't", "pick", "it", "it's", "fine"])
        #expect(Readability.sentenceWords(in: "Why we ask: it helps. Really? Yes! Fine; done").count == 6)
        #expect(Readability.sentenceWords(in: "Use 2.5 cups at 9:30... then stop").count == 2)
        #expect(Readability.fleschKincaidGrade("") == 0)
        #expect(Readability.fleschKincaidGrade("15-20.") == 0)
    }

    @Test("a text above the threshold is a problem at its file and line")
    func hardTextFails() throws {
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: hardSummary)
        try #require(options != ContentFixture.options)
        let grade = Readability.fleschKincaidGrade(hardText)
        try #require(grade > 9 && grade < 19, "the hard text's grade \(grade) suits the test")

        let folder = try ContentFixture.write(["options.yaml": options])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        let expected = "\(folder)/options.yaml:\(lineOf("Massage therapy may", in: options)): "
            + "reading grade \(String(format: "%.1f", grade)) is above 8 "
            + "(\"Massage therapy may reduce discomfort and...\")"
        #expect(found.map(\.description) == [expected])
    }

    @Test("raising reading_grade_max in clinic.yaml lets a harder text pass")
    func thresholdRaised() throws {
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: hardSummary)
        let clinic = ContentFixture.clinic + "reading_grade_max: 19\n"
        let folder = try ContentFixture.write(["options.yaml": options, "clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        #expect(loadExpectingSuccess(folder) != nil)
        let english = try #require(ContentLoader.readingReport(directory: folder)["en"])
        #expect(english.threshold == 19)
        #expect(english.hardest.first?.text == hardText)
        #expect(english.hardest.first?.file == folder + "/options.yaml")
        #expect(english.hardest.first?.line == lineOf("Massage therapy may", in: options))
    }

    @Test("lowering reading_grade_max makes plain texts fail")
    func thresholdLowered() throws {
        let options = ContentFixture.options.replacingOccurrences(
            of: easySummary, with: "summary: {en: Hands-on work on sore muscles and the soft parts around them., es: Trabajo.}")
        let folder = try ContentFixture.write(["options.yaml": options, "clinic.yaml": ContentFixture.clinic + "reading_grade_max: 1.5\n"])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        #expect(found.count == 1)
        #expect(found.first?.message.hasSuffix(
            "is above 1.5 (\"Hands-on work on sore muscles and...\")") == true, "\(found)")
    }

    @Test("short texts are not graded")
    func shortNotGraded() throws {
        let options = ContentFixture.options
            .replacingOccurrences(of: "name: {en: Ice, es: Hielo}",
                                  with: "name: {en: Cryotherapeutic musculoskeletal intervention, es: Crioterapia musculoesquelética}")
        let folder = try ContentFixture.write(["options.yaml": options])
        defer { ContentFixture.remove(folder) }
        #expect(loadExpectingSuccess(folder) != nil)
        let report = ContentLoader.readingReport(directory: folder)
        #expect(report["en"]?.texts == 0)
        #expect(report["es"]?.graded.contains { $0.text.contains("Crioterapia") } == false)
    }

    @Test("a language without a formula is not graded, and the report says so once")
    func languageWithoutFormula() throws {
        let hardGerman = "Die manuelle Therapie verringert erheblich die Muskelverspannungen bei zahlreichen Patientinnen und Patienten."
        let clinic = ContentFixture.clinic.replacingOccurrences(of: "languages: [en, es]\n", with: "languages: [en, es, de]\n")
        let options = ContentFixture.options.replacingOccurrences(
            of: "es: Trabajo manual de los músculos.}", with: "es: Trabajo manual de los músculos., de: \(hardGerman)}")
        try #require(clinic != ContentFixture.clinic && options != ContentFixture.options)
        let folder = try ContentFixture.write(["clinic.yaml": clinic, "options.yaml": options])
        defer { ContentFixture.remove(folder) }
        let report = ContentLoader.readingReport(directory: folder)
        #expect(report.languages.map(\.language) == ["en", "es"])
        #expect(report.ungraded == ["de"])
        #expect(report["de"] == nil)
        #expect(!problems(folder).contains { $0.message.hasPrefix("reading") }, "\(problems(folder))")
    }

    @Test("reading_grade_max must be a number from 1 to 20", arguments: [
        ("hard", "'reading_grade_max' should be a number, like 8"),
        ("[8]", "'reading_grade_max' should be a number, like 8"),
        ("80", "'reading_grade_max' 80 should be from 1 to 20"),
    ])
    func thresholdChecked(_ value: String, _ message: String) throws {
        let clinic = ContentFixture.clinic + "reading_grade_max: \(value)\n"
        let folder = try ContentFixture.write(["clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder).map(\.description)
        #expect(found == ["\(folder)/clinic.yaml:\(lineOf("reading_grade_max", in: clinic)): \(message)"])
    }

    @Test("reading_grade_max is a known clinic.yaml field; other unknown fields still are problems")
    func thresholdIsAKnownField() throws {
        let clinic = ContentFixture.clinic + "reading_grade_max: 9\nmotto: Feel better\n"
        let folder = try ContentFixture.write(["clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        #expect(found.count == 1)
        #expect(found.first?.line == lineOf("motto", in: clinic))
        #expect(found.first?.message.hasPrefix("unknown field 'motto' in clinic.yaml (expected one of: name,") == true)
        #expect(found.first?.message.hasSuffix(", professionals, reading, reading_grade_max, slot_minutes, reminder_minutes)") == true,
                "\(found)")
    }

    @Test("the bundled content reads within every language's default threshold")
    func bundledContent() throws {
        let folder = bundledContentFolder()
        #expect(loadExpectingSuccess(folder) != nil)
        let report = ContentLoader.readingReport(directory: folder)
        let english = try #require(report["en"])
        #expect(english.threshold == ContentLoader.defaultReadingGradeMax)
        #expect(english.texts > 50)
        #expect(english.average > 0 && english.average <= 8)
        for reading in report.languages where reading.texts > 0 {
            #expect(reading.threshold == reading.formula.defaultThreshold, "\(reading.language)")
            #expect(!reading.formula.fails(reading.average, threshold: reading.threshold), "\(reading.language)")
            #expect(!reading.hardest.isEmpty && reading.hardest.count <= 5)
            let scores = reading.hardest.map(\.score)
            #expect(scores == scores.sorted { reading.formula.isHarder($0, than: $1) })
            #expect(!scores.contains { reading.formula.fails($0, threshold: reading.threshold) },
                    "\(reading.language): \(reading.hardest)")
        }
    }
}
