import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing

@Suite("clinic.yaml: the take-home link and printer")
struct ClinicTakeHomeTests {
    /// The fixture with `lines` added at the end of clinic.yaml; the result, and the line
    /// number of the first added line.
    func load(adding lines: String) throws -> (Result<PracticeContent, ContentFailure>, Int) {
        let clinic = ContentFixture.clinic.hasSuffix("\n") ? ContentFixture.clinic : ContentFixture.clinic + "\n"
        let firstLine = clinic.components(separatedBy: "\n").count
        let folder = try ContentFixture.write(["clinic.yaml": clinic + lines + "\n"])
        defer { ContentFixture.remove(folder) }
        return (ContentLoader.load(directory: folder), firstLine)
    }

    @Test("a link, a printer and its width are read; none of them is needed")
    func read() throws {
        let (loaded, _) = try load(adding: """
            link: "https://clinic.example/book?ref={reference}&from=kiosk"
            printer: Front-desk_Slip.1
            printer_columns: 32
            """)
        let clinic = try loaded.get().clinic
        #expect(clinic.link == "https://clinic.example/book?ref={reference}&from=kiosk")
        #expect(clinic.printer == "Front-desk_Slip.1")
        #expect(clinic.printerColumns == 32)

        let (plain, _) = try load(adding: "")
        let defaults = try plain.get().clinic
        #expect(defaults.link == nil)
        #expect(defaults.printer == nil, "no printer named: an event laptop, no slip offered")
        #expect(defaults.printerColumns == 42)
    }

    @Test("a link or printer the kiosk cannot use is refused at its line, with what to write instead",
          arguments: [
            ("link: www.clinic.example", "should be a web address starting with https://"),
            ("link: \"javascript:alert(1)\"", "should be a web address starting with https://"),
            ("link: \"https://clinic.example/book now\"", "holds a space: write it with %-codes"),
            ("link: \"https://clinic.example/café\"", "holds U+E9"),
            ("link: \"https://clinic.example/{name}\"", "may hold only the placeholder {reference}"),
            ("link: \"https://clinic.example/" + String(repeating: "a", count: 300) + "\"", "at most 300 fit"),
            ("printer: \"Front desk\"", "should be a CUPS queue name"),
            ("printer: \"-d\"", "should be a CUPS queue name"),
            ("printer: \"a/b\"", "should be a CUPS queue name"),
            ("printer_columns: 8", "'printer_columns' should be from 20 to 120"),
          ])
    func refused(line: String, message: String) throws {
        let (loaded, lineNumber) = try load(adding: line)
        guard case let .failure(failure) = loaded else {
            Issue.record("\(line) was accepted"); return
        }
        let problem = try #require(failure.problems.first { $0.message.contains(message) },
                                   "problems: \(failure.problems.map(\.description))")
        #expect(problem.file.hasSuffix("clinic.yaml"))
        #expect(problem.line == lineNumber)
    }
}
