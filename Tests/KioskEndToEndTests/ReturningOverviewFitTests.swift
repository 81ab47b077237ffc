import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
@testable import KioskStore
import Testing

/// How tall each persona's overview is at 80 columns, as an ordinary client and as one who
/// came back ("Since last time" on top): piped, the kiosk prints whole screens at 80 columns.
@Suite("The overview with 'Since last time' at 80x24", .serialized)
struct ReturningOverviewFitTests {
    /// Rows from the overview's heading to its prompt ("> "), at 80 columns.
    static func overviewRows(_ stdout: String, language: String) -> Int? {
        let heading = language == "en" ? "Options that may suit you" : "Opciones que pueden servirle"
        let end = language == "en" ? "press Enter to finish." : "para terminar."
        guard let start = stdout.range(of: heading, options: .backwards),
              let stop = stdout.range(of: end, range: start.upperBound..<stdout.endIndex) else { return nil }
        let lines = stdout[start.lowerBound..<stop.upperBound].components(separatedBy: "\n")
        return lines.reduce(0) { $0 + max(1, ($1.count + 79) / 80) } + 1
    }

    @Test("every persona, in English and Spanish: the overview with the panel still fits 80x24", arguments: ["en", "es"])
    func fits(_ language: String) throws {
        let content = try ContentLoader.load(directory: KioskBinary.content).get()
        let db = KioskBinary.database()
        let en = language == "en"
        let (first, _) = ScreenFitTests.answers(ScreenFitTests.personas[0], content: content, language: language)
        let booking = [en ? "book" : "cita", "1", "1, 3", "Sam Tester", "555-010-0100", en ? "yes" : "sí", ""]
        _ = try KioskBinary.run(["run", "--db", db], input: Script.pipe(first + booking))
        let code = try #require(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 1).first?.reference)
        var report: [String] = []
        for persona in ScreenFitTests.personas {
            let (lines, options) = ScreenFitTests.answers(persona, content: content, language: language)
            guard options else { continue }
            let back = [en ? "I have been here before" : "ya vine antes", code, "0100", en ? "yes" : "sí"] + lines.dropFirst()
            let plain = try KioskBinary.run(["run", "--db", db], input: Script.pipe(lines + ["no", ""]))
            let returning = try KioskBinary.run(["run", "--db", db], input: Script.pipe(back + ["no", ""]))
            #expect(returning.stdout.contains(en ? "Since last time" : "Desde la última vez"), "\(persona.name)")
            let before = try #require(Self.overviewRows(plain.stdout, language: language), "\(persona.name)")
            let after = try #require(Self.overviewRows(returning.stdout, language: language), "\(persona.name)")
            report.append("\(after - before >= 0 ? "+" : "")\(after - before) to \(after): \(persona.name)")
            #expect(after <= 24, "\(persona.name): \(after) rows (\(before) without the panel)")
        }
        print("overview rows at 80 columns, \(language), with the panel:\n  " + report.joined(separator: "\n  "))
    }
}
