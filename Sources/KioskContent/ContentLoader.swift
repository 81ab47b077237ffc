import Foundation
import KioskCore

/// Reads a Content folder (clinic.yaml, questionnaire.yaml, safety.yaml,
/// options.yaml, evidence.yaml, messages.yaml, directory.yaml) into the core's model, and
/// checks it: every reference resolves, every option has evidence and safety
/// rules, every client-facing text exists in every language and is plain.
public enum ContentLoader {
    /// The files of a Content folder, in the order they are read (clinic.yaml
    /// first: it names the languages every other text is checked against).
    public static let fileNames = [
        "clinic.yaml", "questionnaire.yaml", "safety.yaml", "options.yaml", "evidence.yaml", "messages.yaml",
        "directory.yaml",
    ]

    /// The content, or every problem found (sorted by file, then line).
    public static func load(directory: String) -> Result<PracticeContent, ContentFailure> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(ContentFailure(problems: [
                ContentProblem(file: directory, line: 1, message: "no such content folder"),
            ]))
        }

        let reader = ContentReader(directory: directory)
        var clinic = reader.readClinic()
        let listed = reader.readDirectory(ownIDs: clinic?.professionals.map(\.id) ?? [])
        let questionnaire = reader.readQuestionnaire()
        let safety = reader.readSafety()
        let options = reader.readOptions()
        let evidence = reader.readEvidence()
        let messages = reader.readMessages()
        reader.checkReferences()
        reader.checkCareReferences()
        reader.checkReadability()

        // The directory's own professionals join clinic.yaml's (they have slots); its
        // disciplines, partners and medical care join the clinic too.
        if let listed {
            clinic?.disciplines += listed.disciplines
            clinic?.professionals += listed.professionals
            clinic?.partners = listed.partners
            clinic?.medicalCare = listed.medicalCare
        }
        let problems = sorted(reader.problems)
        guard problems.isEmpty, let clinic, listed != nil, let questionnaire, let safety, let options, let evidence,
              let messages
        else {
            return .failure(ContentFailure(problems: problems.isEmpty
                ? [ContentProblem(file: directory, line: 1, message: "the content could not be read")]
                : problems))
        }
        return .success(PracticeContent(
            clinic: clinic, messages: messages, warningScreens: safety.warningScreens,
            outcomes: safety.outcomes, escalations: safety.escalations,
            questions: questionnaire.questions, options: options, leaveOut: safety.leaveOut,
            precautions: safety.precautions, evidence: evidence, bookingTimes: questionnaire.bookingTimes,
            bookingTimeHours: questionnaire.bookingTimeHours, progress: questionnaire.progress))
    }

    /// By file, then line; problems on one line keep the order they were found
    /// in, and a problem found twice is shown once.
    static func sorted(_ problems: [ContentProblem]) -> [ContentProblem] {
        var seen = Set<ContentProblem>()
        let unique = problems.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            if a.element.file != b.element.file { return a.element.file < b.element.file }
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension ContentReader {
    /// The checks that need every file: references by id, rules' questions and
    /// choices, options without safety rules. A reference into a file that
    /// could not be read is not checked (that file's own problem says enough).
    func checkReferences() {
        let definedIn: [IDReference.Table: String] = [
            .outcome: "safety.yaml", .option: "options.yaml", .evidence: "evidence.yaml", .discipline: "clinic.yaml",
        ]
        for reference in idReferences {
            guard let source = definedIn[reference.table], loadedFiles.contains(source) else { continue }
            if tables[reference.table]?[reference.id] == nil {
                problems.append(ContentProblem(file: reference.file, line: reference.line,
                                               message: "unknown \(reference.table.rawValue) '\(reference.id)'"))
            }
        }

        if loadedFiles.contains("questionnaire.yaml"), loadedFiles.contains("safety.yaml") {
            for reference in conditionReferences { check(reference) }
        }

        if loadedFiles.contains("safety.yaml") {
            for option in optionLines where !optionsWithSafetyRules.contains(option.id) {
                problems.append(ContentProblem(file: option.file, line: option.line,
                                               message: "option '\(option.id)' has no safety rules"))
            }
        }
    }

    private func check(_ reference: ConditionReference) {
        func report(_ line: Int, _ message: String) {
            problems.append(ContentProblem(file: reference.file, line: line, message: message))
        }
        let question = reference.question
        guard let info = questionInfo[question] else {
            report(reference.line, "unknown question '\(question)'")
            return
        }
        if let scale = reference.scale {
            guard info.isScale else {
                report(reference.line, "'\(question)' is not a scale question; name its choices, like {\(question): [choice]}")
                return
            }
            if let range = info.range {
                for bound in [scale.min, scale.max].compactMap({ $0 }) where !(range.min...range.max).contains(bound) {
                    report(reference.line, "\(bound) is outside the scale of '\(question)' (\(range.min)-\(range.max))")
                }
            }
        } else if info.isScale {
            report(reference.line, "'\(question)' is a scale question; use {\(question): {min: N, max: N}}")
            return
        } else {
            for choice in reference.choices where !info.choices.contains(choice.id) {
                let what = info.isWarningScreen ? "warning screen '\(question)' has no sign" : "question '\(question)' has no choice"
                report(choice.line, "\(what) '\(choice.id)'")
            }
        }
        if let asker = reference.askIfOf, let askerInfo = questionInfo[asker], !info.isWarningScreen,
           info.index >= askerInfo.index {
            report(reference.line, "ask_if of '\(asker)' uses '\(question)', which is not asked before it")
        }
    }
}
