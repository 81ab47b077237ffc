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
            commandName: "check",
            abstract: "Validate Content: exit 0, or 65 with file:line: message lines.")

        @Argument(help: "The content folder (default: ./Content or KIOSK_CONTENT).")
        var directory: String?

        @Flag(help: "List the reading level of every client-facing text, per language, hardest first.")
        var grades = false

        func run() throws {
            let dir = Paths.content(directory)
            _ = try loadContent(dir, checked: true)
            let report = ContentLoader.readingReport(directory: dir)
            print("\(dir): content is valid.")
            for reading in report.languages {
                let formula = reading.formula
                let limit = (formula.higherIsHarder ? "limit " : "at least ") + Self.format(reading.threshold)
                let figures = reading.texts == 0
                    ? "no texts of \(ContentLoader.readingMinimumWords) or more words; "
                    : String(format: "average %.1f over %d texts; ", reading.average, reading.texts)
                print("Reading level, \(reading.language) (\(formula.name)): " + figures + limit + ".")
                for text in grades ? reading.graded[...] : reading.hardest {
                    let excerpt = TextWidth.clipped(text.text, to: 60, mark: "...")
                    print("  \(text.file):\(text.line): \(formula.measure) "
                        + String(format: "%.1f", text.score) + "  " + excerpt)
                }
            }
            if !report.ungraded.isEmpty {
                print("Reading level, \(report.ungraded.joined(separator: ", ")): not graded (no formula for "
                    + (report.ungraded.count == 1 ? "this language" : "these languages") + ").")
            }
        }

        /// A threshold as written: 8, or 7.5.
        static func format(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
    }
}

/// Loads Content or stops with the check's messages and exit 65. `checked: true` reads
/// and checks every file (`content check`); otherwise content already checked by this
/// build, byte for byte the same, comes from its snapshot (`ContentSnapshot`).
func loadContent(_ directory: String, checked: Bool = false) throws -> PracticeContent {
    let cache = checked || Paths.variable("KIOSK_CONTENT_CACHE") == "off"
        ? nil : ContentSnapshot.defaultCacheDirectory(variable: Paths.variable)
    switch ContentSnapshot.load(directory: directory, cacheDirectory: cache) {
    case let .success(content):
        return content
    case let .failure(failure):
        for problem in failure.problems { FileHandle.standardError.write(Data((problem.description + "\n").utf8)) }
        throw Exit.badData
    }
}
