import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

@Suite("kiosk run, driven through a pipe", .serialized)
struct PipedSessionTests {
    @Test("a piped session books a follow-up, shows its code, and exits 0")
    func pipedBooking() throws {
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--db", db], input: Script.piped)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Massage therapy"))

        let store = try SQLiteKioskStore(path: db)
        let requests = try store.followUps(status: nil, limit: 10)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.request.name == "Ana María Pérez")
        #expect(request.request.phone == "555-010-0199")
        #expect(request.request.discipline == "massage_therapist")
        #expect(result.stdout.contains(request.reference), "the code shown is the code stored")
        let assessment = try #require(try store.assessment(id: request.request.assessmentID))
        #expect(assessment.optionsShown.contains("massage"))
        #expect(assessment.answers["cause"] == .choices(["auto_accident"]))
    }

    @Test("piped, an option's page prints whole and nothing waits for Enter; the overview comes back after it")
    func pipedPageWhole() throws {
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--db", db], input: Script.pipe(Script.questionnaire + ["1", "", "no", ""]))
        #expect(result.status == 0)
        // The whole page, from what massage is to the last of its sources and the practice's view.
        for words in ["1. Massage therapy", "What you can do at home now:", "Watch for:", "Crawford C, Boyd C",
                      "Funding: The Massage Therapy Foundation", "Our view, from the AMTA article"] {
            #expect(result.stdout.contains(words), "the piped page shows \(words)")
        }
        #expect(!result.stdout.contains("see more"), "nothing waits for Enter when piped")
        #expect(result.stdout.components(separatedBy: "Options that may suit you").count == 3, "the overview, then again after the page")
    }

    @Test("end of input in the middle of a session stores no request and exits 0")
    func endOfInputMidway() throws {
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--db", db], input: Script.pipe(Script.questionnaire + ["yes", "1", "1", "Sam"]))
        #expect(result.status == 0)
        #expect(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 10).isEmpty)
    }

    @Test("a warning sign raises an alert and shows no options")
    func warningSign() throws {
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--db", db], input: "\n1\n\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("Massage therapy"))
        let alerts = try SQLiteKioskStore(path: db).unacknowledgedAlerts()
        #expect(alerts.map(\.level) == [.urgent])
    }

    @Test("invalid content stops start-up with file:line and exit 65")
    func invalidContent() throws {
        let dir = KioskBinary.scratch()
        let content = dir.appendingPathComponent("Content")
        try FileManager.default.copyItem(atPath: KioskBinary.content, toPath: content.path)
        let options = content.appendingPathComponent("options.yaml")
        var text = try String(contentsOf: options, encoding: .utf8)
        text = text.replacingOccurrences(of: "evidence: [", with: "evidence: [no_such_study, ")
        try text.write(to: options, atomically: true, encoding: .utf8)
        let result = try KioskBinary.run(["run", "--content", content.path, "--db", dir.appendingPathComponent("k.sqlite").path],
                                         input: "\n")
        #expect(result.status == 65)
        #expect(result.stderr.contains("options.yaml:"))
        #expect(result.stderr.contains("no_such_study"))
        #expect(result.stdout.isEmpty, "no client sees a question")
        let check = try KioskBinary.run(["content", "check", content.path])
        #expect(check.status == 65)
    }

    @Test("an unwritable database path stops with a clear message before any question")
    func unwritableDatabase() throws {
        let dir = KioskBinary.scratch()
        let file = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let result = try KioskBinary.run(["run", "--db", file.path + "/kiosk.sqlite"], input: "\n")
        #expect(result.status == 73)
        #expect(result.stderr.split(separator: "\n").count <= 2)
        #expect(result.stdout.isEmpty)
    }

    @Test("the bundled content passes kiosk content check")
    func contentCheck() throws {
        let result = try KioskBinary.run(["content", "check", KioskBinary.content])
        #expect(result.status == 0, "\(result.stderr)")
    }
}

@Suite("The kiosk's own command line")
struct RunCommandLineTests {
    /// `kiosk` and `kiosk run` take a shorter way through the argument parser; what a
    /// person sees when they get it wrong must not change.
    @Test("help, an unknown option and a bad value read as `kiosk run`, with exit 0 and 64")
    func mistakes() throws {
        let help = try KioskBinary.run(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: kiosk run "))
        let unknown = try KioskBinary.run(["run", "--bogus"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown option '--bogus'"))
        #expect(unknown.stderr.contains("Usage: kiosk run "))
        let bad = try KioskBinary.run(["--idle-timeout", "1"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--idle-timeout must be at least 2 seconds"))
        let root = try KioskBinary.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("USAGE: kiosk <subcommand>"))
        let missing = try KioskBinary.run(["run", "--db"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("Missing value for '--db <db>'"))
        let twice = try KioskBinary.run(["--no-lock", "--no-lock", "--idle-timeout", "1"])
        #expect(twice.status == 64, "a repeated flag is ArgumentParser's to judge: \(twice.stderr)")
    }

    @Test("every way of writing the kiosk's options starts the same kiosk")
    func spellings() throws {
        let db = KioskBinary.database()
        let spellings: [[String]] = [
            ["run", "--db", db, "--event", "Spring Fair", "--no-lock", "--idle-timeout", "60"],
            ["--no-lock", "--event=Spring Fair", "--db=\(db)", "--idle-timeout=60"],
            ["run", "--idle-timeout", "60", "--no-lock", "--db", db, "--event", "Spring Fair"],
            ["run", "--event", "Spring Fair", "--db", db, "--no-lock", "--idle-timeout", "60", "--content", KioskBinary.content],
        ]
        let outputs = try spellings.map { try KioskBinary.run($0, input: "\n") }
        for (output, arguments) in zip(outputs, spellings) {
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            #expect(output.stdout.contains("Spring Fair"), "\(arguments)")
        }
        #expect(Set(outputs.map(\.stdout)).count == 1, "the same welcome, whatever the spelling")
        #expect(FileManager.default.fileExists(atPath: db))
    }
}
