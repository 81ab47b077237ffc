import ArgumentParser
import Foundation
import KioskContent
import KioskCore

struct ContentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content", abstract: "Work with the practice's content.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate Content: exit 0, or 65 with file:line: message lines.")

        @Argument(help: "The content folder (default: ./Content or KIOSK_CONTENT).")
        var directory: String?

        @Flag(help: "List the reading grade of every client-facing text, hardest first.")
        var grades = false

        func run() throws {
            let dir = Paths.content(directory)
            _ = try loadContent(dir)
            let report = ContentLoader.readingReport(directory: dir)
            print("\(dir): content is valid.")
            print(String(format: "Reading grade (Flesch-Kincaid): average %.1f over %d texts; limit %.0f.",
                         report.average, report.texts, report.threshold))
            for text in grades ? report.graded[...] : report.hardest {
                let excerpt = text.text.count > 60 ? String(text.text.prefix(57)) + "..." : text.text
                print(String(format: "  %@:%d: grade %.1f  ", text.file, text.line, text.grade) + excerpt)
            }
        }
    }
}

/// Loads Content or stops with the check's messages and exit 65.
func loadContent(_ directory: String) throws -> KioskContent {
    switch ContentLoader.load(directory: directory) {
    case let .success(content):
        return content
    case let .failure(failure):
        for problem in failure.problems { FileHandle.standardError.write(Data((problem.description + "\n").utf8)) }
        throw Exit.badData
    }
}
