import Foundation
import KioskContent
import KioskCore
import Testing

/// Content that takes an id the code gives its own meaning (`ContentIDs`) is refused, at its line.
let contentIDClashes: [Breakage] =
    ContentIDs.bookingKinds.map { id in
        Breakage(name: "a directory discipline called '\(id)'", file: "directory.yaml",
                 find: "  - id: chiropractor", replace: "  - id: \(id)",
                 marker: "- id: \(id)", message: "a discipline cannot be called '\(id)'")
    } + [
        Breakage(name: "a clinic discipline called '\(ContentIDs.bookAnyone)'", file: "clinic.yaml",
                 find: "  - id: massage\n", replace: "  - id: \(ContentIDs.bookAnyone)\n",
                 marker: "- id: \(ContentIDs.bookAnyone)", message: "a discipline cannot be called '\(ContentIDs.bookAnyone)'"),
        Breakage(name: "a warning sign called '\(ContentIDs.noWarningSign)'", file: "safety.yaml",
                 find: "- id: chest_pain", replace: "- id: \(ContentIDs.noWarningSign)",
                 marker: "- id: \(ContentIDs.noWarningSign)",
                 message: "a warning sign cannot be called '\(ContentIDs.noWarningSign)'"),
    ] + ContentIDs.statsQuestions.map { id in
        Breakage(name: "'\(id)' as a scale question", file: "questionnaire.yaml",
                 find: "  - id: pain_now", replace: "  - id: \(id)",
                 marker: "kind: scale", message: "'\(id)' should be a single or multiple question")
    }

@Suite("Content ids the code relies on")
struct ContentIDsTests {
    @Test("content that takes one of the code's own ids is refused with its file and line", arguments: contentIDClashes)
    func clash(_ breakage: Breakage) throws {
        let text = try #require(breakage.brokenText())
        try #require(text != ContentFixture.files[breakage.file], "the fixture holds '\(breakage.find ?? "")'")
        let folder = try ContentFixture.write([breakage.file: text])
        defer { ContentFixture.remove(folder) }
        let line = breakage.expectedLine()
        try #require(line > 0, "the marker is in the broken file")
        let found = problems(folder)
        #expect(found.contains { $0.file == folder + "/" + breakage.file && $0.line == line && $0.message.contains(breakage.message) },
                "expected \(breakage.file):\(line): …\(breakage.message)…; found:\n\(found.map(\.description).joined(separator: "\n"))")
    }

    @Test("the bundled Content has each stats question as a question of choices")
    func bundledStatsQuestions() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Content").path
        let content = try #require(loadExpectingSuccess(folder))
        for id in ContentIDs.statsQuestions {
            let question = try #require(content.question(id), "no question '\(id)'")
            #expect(!question.choices.isEmpty, "'\(id)' has choices")
        }
    }
}
