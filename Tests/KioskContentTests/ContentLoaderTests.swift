import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing

/// One way to break the fixture, and the problem it must cause.
struct Breakage: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    /// Replaced once in `file`; nil leaves the file out.
    var find: String?
    var replace: String = ""
    /// The expected line is the first line of the broken file holding this;
    /// nil means line 1.
    var marker: String?
    /// The problem's message holds this.
    var message: String
    /// The file the problem is reported in, when not `file`.
    var reportedIn: String? = nil

    var testDescription: String { name }

    func brokenText() -> String? {
        guard let find else { return nil }
        return ContentFixture.files[file]!.replacingOccurrences(of: find, with: replace)
    }

    var expectedFile: String { reportedIn ?? file }

    func expectedLine() -> Int {
        let text = reportedIn.flatMap { ContentFixture.files[$0] } ?? brokenText()
        guard let marker, let text else { return 1 }
        let lines = text.components(separatedBy: "\n")
        return (lines.firstIndex { $0.contains(marker) } ?? -1) + 1
    }
}

let breakages: [Breakage] = [
    // progress: (a returning client's "Since last time")
    Breakage(name: "progress compares an unknown question", file: "questionnaire.yaml",
             find: "- question: pain_now", replace: "- question: pain_later",
             marker: "pain_later", message: "unknown question 'pain_later'"),
    Breakage(name: "progress compares a question that is not a scale", file: "questionnaire.yaml",
             find: "- question: pain_now", replace: "- question: where",
             marker: "- question: where", message: "'where' is not a scale question"),
    Breakage(name: "progress thresholds out of range", file: "questionnaire.yaml",
             find: "percent: 30}", replace: "percent: 0}",
             marker: "percent: 0", message: "'percent' should be from 1 to 100, not 0"),
    Breakage(name: "progress thresholds missing", file: "questionnaire.yaml",
             find: "  noticeable: {points: 2, out_of: 10, percent: 30}\n", replace: "",
             marker: "  compare:", message: "progress is missing 'noticeable'"),
    Breakage(name: "progress cites unknown evidence", file: "questionnaire.yaml",
             find: "evidence: [massage_review]", replace: "evidence: [farrar]",
             marker: "evidence: [farrar]", message: "unknown evidence 'farrar'"),
    // unknown ids
    Breakage(name: "unknown discipline", file: "options.yaml",
             find: "discipline: massage", replace: "discipline: yoga",
             marker: "discipline: yoga", message: "unknown discipline 'yoga'"),
    Breakage(name: "unknown professional's discipline", file: "clinic.yaml",
             find: "    discipline: massage", replace: "    discipline: chiro",
             marker: "discipline: chiro", message: "unknown discipline 'chiro'"),
    Breakage(name: "unknown option", file: "safety.yaml",
             find: "option: ice", replace: "option: heat",
             marker: "option: heat", message: "unknown option 'heat'"),
    Breakage(name: "unknown outcome", file: "safety.yaml",
             find: "outcome: see_doctor", replace: "outcome: see_doc",
             marker: "outcome: see_doc", message: "unknown outcome 'see_doc'"),
    Breakage(name: "unknown evidence", file: "options.yaml",
             find: "evidence: [ice_review]", replace: "evidence: [ice_study]",
             marker: "ice_study", message: "unknown evidence 'ice_study'"),
    Breakage(name: "unknown question in a rule", file: "safety.yaml",
             find: "{pain_now: {min: 9}}", replace: "{pain_later: {min: 9}}",
             marker: "pain_later", message: "unknown question 'pain_later'"),
    Breakage(name: "unknown choice in a rule", file: "safety.yaml",
             find: "{conditions: [clot]}", replace: "{conditions: [clots]}",
             marker: "clots", message: "question 'conditions' has no choice 'clots'"),
    Breakage(name: "unknown warning sign in a rule", file: "safety.yaml",
             find: "{warning_emergency: [none]}", replace: "{warning_emergency: [fainting]}",
             marker: "fainting", message: "warning screen 'warning_emergency' has no sign 'fainting'"),
    Breakage(name: "choices named for a scale", file: "options.yaml",
             find: "{pain_now: {min: 3}}", replace: "{pain_now: [3]}",
             marker: "pain_now", message: "'pain_now' is a scale question"),
    Breakage(name: "ask_if on a later question", file: "questionnaire.yaml",
             find: "ask_if: {where: [low_back, neck]}", replace: "ask_if: {conditions: [clot]}",
             marker: "ask_if", message: "ask_if of 'conditions' uses 'conditions', which is not asked before it"),
    // evidence and safety rules
    Breakage(name: "option without evidence", file: "options.yaml",
             find: "evidence: [ice_review]", replace: "evidence: []",
             marker: "evidence: []", message: "option 'ice' has no evidence"),
    Breakage(name: "option without an evidence field", file: "options.yaml",
             find: "    evidence: [ice_review]\n", replace: "",
             marker: "- id: ice", message: "option 'ice' has no evidence"),
    Breakage(name: "option without safety rules", file: "safety.yaml",
             find: "option: ice", replace: "option: massage",
             marker: "- id: ice", message: "option 'ice' has no safety rules", reportedIn: "options.yaml"),
    // duplicates
    Breakage(name: "duplicate choice id", file: "questionnaire.yaml",
             find: "{id: neck,", replace: "{id: low_back,",
             marker: "{id: low_back, label: {en: Neck", message: "duplicate choice id 'low_back'"),
    Breakage(name: "duplicate option id", file: "options.yaml",
             find: "- id: ice", replace: "- id:  massage",
             marker: "id:  massage", message: "duplicate option id 'massage'"),
    Breakage(name: "duplicate question id", file: "questionnaire.yaml",
             find: "- id: conditions", replace: "- id:  where",
             marker: "id:  where", message: "duplicate question id 'where'"),
    // missing fields and wrong types
    Breakage(name: "missing field", file: "options.yaml",
             find: "    watch_for: {en: Numb or white skin., es: Piel entumecida o blanca.}\n", replace: "",
             marker: "- id: ice", message: "option 'ice' is missing 'watch_for'"),
    Breakage(name: "missing outcome field", file: "safety.yaml",
             find: "    reason: {en: Very strong pain should be checked., es: Un dolor muy fuerte debe revisarse.}\n",
             replace: "", marker: "- id: see_doctor", message: "outcome 'see_doctor' is missing 'reason'"),
    Breakage(name: "weight not a number", file: "options.yaml",
             find: "weight: 2", replace: "weight: two",
             marker: "weight: two", message: "'weight' should be a whole number"),
    Breakage(name: "kind not allowed", file: "questionnaire.yaml",
             find: "kind: multiple", replace: "kind: many",
             marker: "kind: many", message: "'kind' should be single, multiple or scale, not 'many'"),
    Breakage(name: "level not allowed", file: "safety.yaml",
             find: "level: doctor_soon", replace: "level: urgent",
             marker: "level: urgent", message: "'level' should be emergency or doctor_soon, not 'urgent'"),
    Breakage(name: "unknown field", file: "questionnaire.yaml",
             find: "ask_if:", replace: "ask-if:",
             marker: "ask-if:", message: "unknown field 'ask-if' in question 'conditions'"),
    Breakage(name: "scale min not below max", file: "questionnaire.yaml",
             find: "max: 10", replace: "max: 0",
             marker: "min: 0", message: "scale min 0 should be below max 0"),
    Breakage(name: "hours not HH:MM-HH:MM", file: "clinic.yaml",
             find: "\"09:00-12:00\"", replace: "\"9-12\"",
             marker: "9-12", message: "hours '9-12' should look like 09:00-17:00"),
    Breakage(name: "emergency without instructions", file: "safety.yaml",
             find: "instructions: {en: Call 911 now., es: Llame al 911 ahora.}",
             replace: "instructions: {en: \"\", es: \"\"}",
             marker: "instructions: {en: \"\"", message: "emergency outcome 'emergency' has empty instructions"),
    // YAML and files
    Breakage(name: "YAML syntax error", file: "questionnaire.yaml",
             find: "    kind: scale\n", replace: "    kind: [scale\n",
             marker: "    min: 0", message: "YAML syntax error"),
    Breakage(name: "YAML bad indentation", file: "evidence.yaml",
             find: "    year: 2020", replace: "   year: 2020",
             marker: "year: 2020", message: "YAML syntax error"),
    Breakage(name: "missing file", file: "evidence.yaml", find: nil, marker: nil, message: "missing file"),
    // messages and languages
    Breakage(name: "missing message key", file: "messages.yaml",
             find: "  welcome.title: {en: \"Text for welcome.title\", es: \"Texto para welcome.title\"}\n",
             replace: "", marker: nil, message: "missing message 'welcome.title'"),
    Breakage(name: "unknown message key", file: "messages.yaml",
             find: "  goodbye:", replace: "  good_bye:",
             marker: "good_bye", message: "unknown message key 'good_bye'"),
    Breakage(name: "missing language text", file: "options.yaml",
             find: "name: {en: Ice, es: Hielo}", replace: "name: {en: Ice}",
             marker: "name: {en: Ice}", message: "no 'es' text for 'name'"),
    Breakage(name: "a plain text is only the first language", file: "options.yaml",
             find: "name: {en: Ice, es: Hielo}", replace: "name: Ice",
             marker: "name: Ice", message: "no 'es' text for 'name'"),
    Breakage(name: "a language the clinic does not have", file: "options.yaml",
             find: "name: {en: Ice, es: Hielo}", replace: "name: {en: Ice, es: Hielo, fr: Glace}",
             marker: "fr: Glace", message: "'fr' is not one of the clinic's languages"),
    Breakage(name: "empty client-facing text", file: "options.yaml",
             find: "es: Frío en la zona adolorida.", replace: "es: \"\"",
             marker: "es: \"\"", message: "'summary' is empty ('es')"),
    Breakage(name: "control character in a text", file: "options.yaml",
             find: "{en: Ice,", replace: "{en: \"Ice\\e[31m\",",
             marker: "name: {en: \"Ice", message: "control character"),
    // directory.yaml
    Breakage(name: "a partner of an unknown discipline", file: "directory.yaml",
             find: "discipline: chiropractor\n    languages: [es, en]", replace: "discipline: yoga\n    languages: [es, en]",
             marker: "discipline: yoga", message: "unknown discipline 'yoga'"),
    Breakage(name: "a partner without new_clients", file: "directory.yaml",
             find: "    new_clients: true\n", replace: "",
             marker: "- id: partner_chiro_1", message: "partner 'partner_chiro_1' is missing 'new_clients'"),
    Breakage(name: "an unknown kind of medical care", file: "directory.yaml",
             find: "kind: urgent_care", replace: "kind: clinic",
             marker: "kind: clinic", message: "'kind' should be urgent_care, emergency_department, walk_in_clinic, not 'clinic'"),
    Breakage(name: "an id of clinic.yaml used again in the directory", file: "directory.yaml",
             find: "id: massage_2", replace: "id: ana",
             marker: "id: ana", message: "professional id 'ana' is already a professional in clinic.yaml"),
    Breakage(name: "a partner's id used twice", file: "directory.yaml",
             find: "id: urgent_care_1", replace: "id: partner_chiro_1 # again",
             marker: "# again", message: "duplicate medical care id 'partner_chiro_1'"),
    Breakage(name: "daily and a weekday both set", file: "directory.yaml",
             find: "      daily: [\"09:00-17:00\"]\n", replace: "      daily: [\"09:00-17:00\"]\n      mon: [\"09:00-12:00\"]\n",
             marker: "daily: [\"09:00-17:00\"]", message: "'daily' and 'mon' both set hours; keep one"),
    Breakage(name: "a hard partner note", file: "directory.yaml",
             find: "{en: Spanish is spoken here.,",
             replace: "{en: Multidisciplinary interprofessional collaboration facilitates comprehensive musculoskeletal rehabilitation opportunities.,",
             marker: "Multidisciplinary", message: "reading grade"),
    Breakage(name: "no directory.yaml", file: "directory.yaml", find: nil, message: "missing file"),
    Breakage(name: "an outcome names care the directory lacks", file: "safety.yaml",
             find: "kinds: [urgent_care]", replace: "kinds: [emergency_department]",
             marker: "kinds: [emergency_department]", message: "directory.yaml lists no emergency_department to name here"),
    Breakage(name: "an outcome's care without an intro", file: "safety.yaml",
             find: "      intro: {en: You can go to this place today., es: Puede ir a este lugar hoy.}\n", replace: "",
             marker: "kinds: [urgent_care]", message: "the care of outcome 'see_doctor' is missing 'intro'"),
    Breakage(name: "a booking time's hours not HH:MM", file: "questionnaire.yaml",
             find: "wed: [\"06:00-12:00\"]", replace: "wed: [\"6-12\"]",
             marker: "6-12", message: "hours '6-12' should look like 09:00-17:00"),
]

/// Loads a folder, expecting success; records the problems otherwise.
func loadExpectingSuccess(_ folder: String) -> PracticeContent? {
    switch ContentLoader.load(directory: folder) {
    case let .success(content): return content
    case let .failure(failure):
        Issue.record("content has problems:\n\(failure.problems.map(\.description).joined(separator: "\n"))")
        return nil
    }
}

func problems(_ folder: String) -> [ContentProblem] {
    switch ContentLoader.load(directory: folder) {
    case .success: return []
    case let .failure(failure): return failure.problems
    }
}

@Suite("Content loading and checks")
struct ContentLoaderTests {
    @Test("the fixture loads into the core's model")
    func fixtureLoads() throws {
        let folder = try ContentFixture.write()
        defer { ContentFixture.remove(folder) }
        let content = try #require(loadExpectingSuccess(folder))

        #expect(content.clinic.name == "Relief Massage & Physical Therapy")
        #expect(content.clinic.languages == ["en", "es"])
        #expect(content.clinic.professionals.first?.hours["wed"] == ["09:00-12:00", "13:00-17:00"])
        #expect(content.questions.map(\.id) == ["where", "pain_now", "conditions"])
        #expect(content.questions[1].kind == .scale(min: 0, max: 10))
        #expect(content.questions[2].kind == .multiple)
        #expect(content.questions[2].askIf == .chose(question: "where", anyOf: ["low_back", "neck"]))
        #expect(content.questions[2].choices.last?.exclusive == true)
        #expect(content.questions[0].choices[0].aliases == [LocalizedText(["en": "lower back"])])
        #expect(content.questions[0].prompt.resolve("es") == "¿Dónde le duele más?")
        #expect(content.escalations.first?.when == .scale(question: "pain_now", min: 9, max: nil))
        #expect(content.precautions.first?.when == .not(.chose(question: "warning_emergency", anyOf: ["none"])))
        #expect(content.outcome("emergency")?.level == .emergency)
        #expect(content.outcome("see_doctor")?.meanwhile != nil)
        #expect(content.options.map(\.id) == ["massage", "ice"])
        #expect(content.option("massage")?.discipline == "massage")
        #expect(content.option("ice")?.fits.first?.weight == 1)
        #expect(content.evidence("ice_review")?.url == "https://example.org/ice")
        #expect(content.evidence("massage_review")?.year == 2015)
        #expect(content.leaveOut.first?.evidence == ["massage_review"])
        #expect(content.bookingTimes.map(\.id) == ["morning", "afternoon"])
        #expect(content.progress == ProgressRule(measures: [.init(question: "pain_now", label: LocalizedText(["en": "Pain now", "es": "Dolor ahora"]))],
                                                 points: 2, outOf: 10, percent: 30, evidence: ["massage_review"]))
        #expect(content.messages.missingKeys.isEmpty)
        #expect(content.messages.text(.goodbye, "es") == "Texto para goodbye")
    }

    @Test("a questionnaire without progress: loads, and no returning client's panel is set")
    func withoutProgress() throws {
        let text = ContentFixture.questionnaire.components(separatedBy: "progress:")[0] + "\n"
        let folder = try ContentFixture.write(["questionnaire.yaml": text])
        defer { ContentFixture.remove(folder) }
        let content = try #require(loadExpectingSuccess(folder))
        #expect(content.progress == nil)
    }

    @Test("directory.yaml: its professionals join clinic.yaml's, with its disciplines, partners and medical care")
    func directoryLoads() throws {
        let folder = try ContentFixture.write()
        defer { ContentFixture.remove(folder) }
        let content = try #require(loadExpectingSuccess(folder))
        let clinic = content.clinic
        #expect(clinic.professionals.map(\.id) == ["ana", "massage_2"])
        #expect(clinic.professional("massage_2")?.newClients == false)
        #expect(clinic.professional("ana")?.newClients == true)
        #expect(clinic.disciplines.map(\.id) == ["massage", "chiropractor"])
        let partner = try #require(clinic.partner("partner_chiro_1"))
        #expect(partner.languages == ["es", "en"] && partner.newClients && partner.phone == "555-0161")
        #expect(partner.hours.count == 7 && partner.hours["sun"] == ["09:00-17:00"])
        #expect(partner.note?.resolve("es") == "Aquí se habla español.")
        #expect(clinic.medicalCare.map(\.kind) == [.urgentCare])
        #expect(content.outcome("see_doctor")?.care?.kinds == [.urgentCare])
        #expect(content.outcome("emergency")?.care == nil)
        #expect(content.bookingTimeHours == ["morning": ["mon": ["06:00-12:00"], "wed": ["06:00-12:00"]]])
    }

    @Test("several keys in one rule all must hold; all, any and not nest")
    func conditionShapes() throws {
        let folder = try ContentFixture.write(["safety.yaml": ContentFixture.safety.replacingOccurrences(
            of: "when: {pain_now: {min: 9}}",
            with: "when: {pain_now: {min: 9, max: 10}, any: [{where: [neck]}, {not: {where: [low_back]}}]}")])
        defer { ContentFixture.remove(folder) }
        let content = try #require(loadExpectingSuccess(folder))
        #expect(content.escalations.first?.when == .all([
            .scale(question: "pain_now", min: 9, max: 10),
            .any([.chose(question: "where", anyOf: ["neck"]), .not(.chose(question: "where", anyOf: ["low_back"]))]),
        ]))
    }

    @Test("broken content names the file, the line and the problem", arguments: breakages)
    func brokenContent(_ breakage: Breakage) throws {
        let folder = try ContentFixture.write([breakage.file: breakage.brokenText()])
        defer { ContentFixture.remove(folder) }
        if let find = breakage.find {
            try #require(ContentFixture.files[breakage.file]!.components(separatedBy: find).count == 2,
                         "the fixture holds '\(find)' exactly once")
        }
        let found = problems(folder)
        let file = folder + "/" + breakage.expectedFile
        let line = breakage.expectedLine()
        try #require(line > 0, "the marker is in the broken file")
        let match = found.first { $0.file == file && $0.line == line && $0.message.contains(breakage.message) }
        #expect(match != nil, """
            expected \(breakage.expectedFile):\(line): …\(breakage.message)…; found:
            \(found.map(\.description).joined(separator: "\n"))
            """)
        if let match {
            #expect(match.description == "\(file):\(line): \(match.message)")
        }
    }

    @Test("problems in several files are all reported, sorted by file then line")
    func manyProblemsAtOnce() throws {
        let folder = try ContentFixture.write([
            "options.yaml": ContentFixture.options.replacingOccurrences(of: "weight: 1", with: "weight: 1.5")
                .replacingOccurrences(of: "discipline: massage", with: "discipline: yoga"),
            "clinic.yaml": ContentFixture.clinic.replacingOccurrences(of: "phone: 555-0100\n", with: ""),
            "evidence.yaml": ContentFixture.evidence.replacingOccurrences(of: "year: 2015", with: "year: soon"),
        ])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder)
        let files = found.map { ($0.file as NSString).lastPathComponent }
        #expect(files.contains("clinic.yaml") && files.contains("evidence.yaml") && files.contains("options.yaml"))
        #expect(found.count >= 4)
        let keys: [String] = found.map { "\($0.file)\t\(String(format: "%06d", $0.line))" }
        #expect(keys == keys.sorted())
        #expect(found.contains { $0.message == "clinic.yaml is missing 'phone'" && $0.line == 1 })
    }

    @Test("the file is named as the folder was given")
    func fileNamedAsGiven() throws {
        let folder = try ContentFixture.write(["options.yaml": nil])
        defer { ContentFixture.remove(folder) }
        let found = problems(folder + "/")
        #expect(found.map(\.description) == ["\(folder)/options.yaml:1: missing file"])
    }

    @Test("a missing folder is one problem")
    func missingFolder() {
        let found = problems("/nonexistent/kiosk-content")
        #expect(found.count == 1)
        #expect(found.first?.description == "/nonexistent/kiosk-content:1: no such content folder")
    }

    @Test("bundled content passes the check")
    func bundledContent() {
        let content = Repository.content
        switch ContentLoader.load(directory: content) {
        case .success: break
        case let .failure(failure):
            let report = failure.problems.map(\.description).joined(separator: "\n")
            print("Content problems:\n\(report)")
            Issue.record("bundled content has \(failure.problems.count) problem(s):\n\(report)")
        }
    }
}
