import Foundation
import KioskTestSupport
@testable import KioskContent
import KioskCore
import Testing

/// Spanish words and their syllables (dictionary division).
let spanishSyllableCounts: [(String, Int)] = [
    // Diphthongs and triphthongs are one syllable; an accented í or ú breaks one.
    ("día", 2), ("ciudad", 2), ("país", 2), ("dolor", 2), ("fisioterapia", 5), ("Uruguay", 3),
    ("causa", 2), ("agua", 2), ("cuello", 2), ("hielo", 2), ("después", 2), ("tratamiento", 4),
    ("frío", 2), ("oído", 3), ("Raúl", 2), ("veintiún", 2), ("averigüéis", 4),
    // Two strong vowels are two syllables.
    ("leer", 2), ("aéreo", 4), ("coágulo", 4), ("ahora", 3),
    // y: a vowel alone or ending a word after a vowel, else a consonant.
    ("hay", 1), ("muy", 1), ("rey", 1), ("estoy", 2), ("y", 1), ("ayuda", 3), ("yo", 1),
    // qu, and gu before e or i: the u is silent (not ü).
    ("que", 1), ("quién", 1), ("guerra", 2), ("guitarra", 3), ("seguir", 2), ("pingüino", 3),
    ("quiropráctico", 5),
    // Others.
    ("médico", 3), ("Músculos", 3), ("espalda", 3), ("respiración", 4), ("masaje", 3),
]

/// A plain Spanish text of 15 words with a Fernández-Huerta ease of about 39.5:
/// below the default 55, above 20.
let hardSpanish = """
    La terapia manual especializada puede disminuir la tensión muscular en numerosas personas con dolor persistente.
    """
let hardSpanishSummary = "summary: {en: Hands-on work on sore muscles., es: \(hardSpanish)}"

@Suite("Reading ease (Spanish) and thresholds per language")
struct ReadabilitySpanishTests {
    @Test("Spanish syllables: vowel groups, diphthongs, í and ú apart, final y, silent u of qu and gu")
    func syllables() {
        for (word, count) in spanishSyllableCounts {
            #expect(Readability.syllablesSpanish(in: word) == count, "\(word)")
        }
    }

    @Test("Fernández-Huerta of known texts")
    func knownEase() {
        // 6 words, 10 syllables, 2 sentences: 206.84 - 0.60 × 166.7 - 1.02 × 3.
        let simple = Readability.fernandezHuerta("El gato come. La niña ríe.")
        #expect(abs(simple - 103.78) < 0.1, "\(simple)")
        #expect(simple > 90)
        let technical = Readability.fernandezHuerta("""
            La revisión sistemática encontró que la manipulación terapéutica redujo considerablemente la \
            intensidad del dolor musculoesquelético en comparación con intervenciones de control inactivas, \
            aunque la calidad metodológica de los estudios incluidos fue generalmente baja.
            """)
        #expect(technical < 40, "\(technical)")
        #expect(Readability.fernandezHuerta("") == 0)
        #expect(Readability.fernandezHuerta("15-20.") == 0)
        let test = Readability.fernandezHuerta(hardSpanish)
        #expect(test > 25 && test < 50, "\(test)")
    }

    @Test("shorter sentences read easier; ¿ and ¡ end no sentence")
    func sentences() {
        #expect(Readability.sentenceWords(in: "¿Dónde le duele? ¡Aquí, en la espalda!").count == 2)
        #expect(Readability.words(in: "¿Dónde le duele?") == ["Dónde", "le", "duele"])
        let one = Readability.fernandezHuerta("El dolor baja por la pierna y no se va con el reposo de la noche")
        let two = Readability.fernandezHuerta("El dolor baja por la pierna. No se va con el reposo de la noche.")
        #expect(two > one)
    }

    @Test("the fixture's plain Spanish texts pass the default threshold")
    func fixturePasses() throws {
        let folder = try ContentFixture.write()
        defer { ContentFixture.remove(folder) }
        #expect(loadExpectingSuccess(folder) != nil)
        let report = ContentLoader.readingReport(directory: folder)
        #expect(report.languages.map(\.language) == ["en", "es"])
        #expect(report.ungraded.isEmpty)
        let spanish = try #require(report["es"])
        #expect(spanish.formula.name == "Fernández-Huerta ease")
        #expect(spanish.threshold == 55)
        #expect(spanish.texts >= 3)
        #expect(spanish.average > 60)
        let scores = spanish.graded.map(\.score)
        #expect(scores == scores.sorted(), "hardest (lowest ease) first")
        #expect(report["en"]?.formula.name == "Flesch-Kincaid grade")
    }

    @Test("a Spanish text below the threshold is a problem at its file and line")
    func hardSpanishFails() throws {
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: hardSpanishSummary)
        try #require(options != ContentFixture.options)
        let ease = Readability.fernandezHuerta(hardSpanish)
        let folder = try ContentFixture.write(["options.yaml": options])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        let expected = "\(folder)/options.yaml:\(lineOf("La terapia manual", in: options)): "
            + "reading ease \(String(format: "%.1f", ease)) is below 55 for es "
            + "(\"La terapia manual especializada puede disminuir...\")"
        #expect(found.map(\.description) == [expected])
    }

    @Test("reading: {es: {min_ease: 20}} in clinic.yaml lets a harder Spanish text pass")
    func spanishThresholdLowered() throws {
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: hardSpanishSummary)
        let clinic = ContentFixture.clinic + "reading: {es: {min_ease: 20}}\n"
        let folder = try ContentFixture.write(["options.yaml": options, "clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        #expect(loadExpectingSuccess(folder) != nil)
        let report = ContentLoader.readingReport(directory: folder)
        let spanish = try #require(report["es"])
        #expect(spanish.threshold == 20)
        #expect(spanish.hardest.first?.text == hardSpanish)
        #expect(spanish.hardest.first?.file == folder + "/options.yaml")
        #expect(spanish.hardest.first?.line == lineOf("La terapia manual", in: options))
        #expect(report["en"]?.threshold == 8)
    }

    @Test("raising min_ease makes plain Spanish texts fail, and English is unaffected")
    func spanishThresholdRaised() throws {
        let clinic = ContentFixture.clinic + "reading:\n  es:\n    min_ease: 95\n"
        let folder = try ContentFixture.write(["clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.message.hasPrefix("reading ease ") && $0.message.contains(" is below 95 for es (") },
                "\(found)")
        #expect(found.contains { $0.message.contains("(\"Un dolor muy fuerte puede necesitar...\")") }, "\(found)")
    }

    @Test("reading: {en: {max_grade: 19}} works like reading_grade_max")
    func englishThresholdInReading() throws {
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: hardSummary)
        let clinic = ContentFixture.clinic + "reading: {en: {max_grade: 19}, es: {min_ease: 60}}\n"
        let folder = try ContentFixture.write(["options.yaml": options, "clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        #expect(loadExpectingSuccess(folder) != nil)
        let report = ContentLoader.readingReport(directory: folder)
        #expect(report["en"]?.threshold == 19)
        #expect(report["es"]?.threshold == 60)
        #expect(report["en"]?.hardest.first?.text == hardText)
    }

    @Test("a plain text counts as the clinic's first language")
    func plainTextIsFirstLanguage() throws {
        let clinic = ContentFixture.clinic.replacingOccurrences(of: "languages: [en, es]\n", with: "languages: [es, en]\n")
        let options = ContentFixture.options.replacingOccurrences(of: easySummary, with: "summary: \(hardSpanish)")
        try #require(clinic != ContentFixture.clinic && options != ContentFixture.options)
        let folder = try ContentFixture.write(["clinic.yaml": clinic, "options.yaml": options])
        defer { ContentFixture.remove(folder) }
        let report = ContentLoader.readingReport(directory: folder)
        #expect(report.languages.map(\.language) == ["es", "en"])
        #expect(report["es"]?.hardest.first?.text == hardSpanish)
        #expect(problems(folder).contains { $0.message.hasPrefix("reading ease ") && $0.message.hasSuffix(
            "is below 55 for es (\"La terapia manual especializada puede disminuir...\")") })
    }

    @Test("reading_grade_max and reading.en.max_grade cannot both be set")
    func bothEnglishLimits() throws {
        let clinic = ContentFixture.clinic + "reading_grade_max: 9\nreading: {en: {max_grade: 10}}\n"
        let folder = try ContentFixture.write(["clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        #expect(problems(folder).map(\.description) == [
            "\(folder)/clinic.yaml:\(lineOf("reading_grade_max", in: clinic)): 'reading_grade_max' and "
                + "'reading.en.max_grade' both set the limit for en; keep one",
        ])
    }

    @Test("reading: must map languages with a formula to their limit", arguments: [
        ("8", "'reading' should set limits by language, like {en: {max_grade: 8}, es: {min_ease: 55}}"),
        ("{fr: {max_grade: 8}}", "no reading formula for 'fr'; 'reading' can set en (max_grade), es (min_ease)"),
        ("{es: 60}", "'reading.es' should be like {min_ease: 55}"),
        ("{es: {}}", "'reading.es' should be like {min_ease: 55}"),
        ("{es: {max_grade: 8}}", "unknown field 'max_grade' in 'reading.es' (expected: min_ease)"),
        ("{es: {min_ease: easy}}", "'reading.es.min_ease' should be a number, like 55"),
        ("{es: {min_ease: 150}}", "'reading.es.min_ease' 150 should be from 0 to 100"),
        ("{en: {max_grade: 40}}", "'reading.en.max_grade' 40 should be from 1 to 20"),
    ])
    func readingChecked(_ value: String, _ message: String) throws {
        let clinic = ContentFixture.clinic + "reading: \(value)\n"
        let folder = try ContentFixture.write(["clinic.yaml": clinic])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder).map(\.description)
        #expect(found == ["\(folder)/clinic.yaml:\(lineOf("reading:", in: clinic)): \(message)"])
    }

    @Test("formulas by language code; rounding as shown decides")
    func formulas() {
        #expect(ReadingFormula.forLanguage("es")?.name == "Fernández-Huerta ease")
        #expect(ReadingFormula.forLanguage("es-MX")?.name == "Fernández-Huerta ease")
        #expect(ReadingFormula.forLanguage("EN_us")?.name == "Flesch-Kincaid grade")
        #expect(ReadingFormula.forLanguage("fr") == nil)
        #expect(!ReadingFormula.fernandezHuerta.fails(54.96, threshold: 55))
        #expect(ReadingFormula.fernandezHuerta.fails(54.94, threshold: 55))
        #expect(!ReadingFormula.fleschKincaid.fails(8.04, threshold: 8))
        #expect(ReadingFormula.fleschKincaid.fails(8.06, threshold: 8))
    }
}
