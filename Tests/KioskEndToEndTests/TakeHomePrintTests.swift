import Foundation
import KioskTestSupport
import KioskStore
import Testing

/// The test queues of `.ci/cups-queue`: a throwaway cupsd whose raw queues keep each
/// job's bytes, as a printer would receive them, in a folder.
enum CUPSQueues {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

    static var ready: String? { value("KIOSK_TEST_CUPS_QUEUE") }
    static var stopped: String? { value("KIOSK_TEST_CUPS_STOPPED_QUEUE") }
    static var capture: String? { value("KIOSK_TEST_CUPS_CAPTURE") }

    /// Run when the queues are set up, and always under CI (where their absence is a failure).
    static var runs: Bool { (ready != nil && stopped != nil && capture != nil) || QRScanning.inCI }

    static let howToRun = "CUPS tests skipped: KIOSK_TEST_CUPS_QUEUE is not set. Run .ci/run, or as root: "
        + "eval \"$(.ci/cups-queue start)\" && ./kiosk test; .ci/cups-queue stop"

    /// The three names, or a recorded failure (CI without its queues).
    static func required() -> (ready: String, stopped: String, capture: String)? {
        guard let ready, let stopped, let capture else {
            Issue.record("the CUPS test queues are missing under CI: .ci/run starts them with .ci/cups-queue")
            return nil
        }
        return (ready, stopped, capture)
    }

    /// Jobs the queue has ever had, done or not (`lpstat -W all -o QUEUE`).
    static func jobCount(_ queue: String) throws -> Int {
        try QRScanning.outputLines("/usr/bin/lpstat", ["-W", "all", "-o", queue]).count
    }

    /// Whole jobs received so far, by file name.
    static func received(_ folder: String) -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasSuffix(".part") })
    }

    /// The bytes of the first job to arrive that is not in `before`, waiting up to `timeout` seconds.
    static func nextJob(in folder: String, after before: Set<String>, timeout: TimeInterval = 20) -> Data? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let name = received(folder).subtracting(before).sorted().first {
                return FileManager.default.contents(atPath: folder + "/" + name)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }
}

@Suite("The take-home slip, printed through CUPS only when asked", .serialized,
       .enabled(if: CUPSQueues.runs, Comment(rawValue: CUPSQueues.howToRun)))
struct TakeHomePrintTests {
    /// A Spanish session: Spanish at the welcome, no warning sign, neck pain for years after
    /// an old car accident, then a booking with a name and a phone.
    static let spanishBooking = ["2", "ninguno", "ninguno", "ninguno", "ninguno", "cuello"]
        + Array(Script.questionnaire.dropFirst(6))
        + ["sí", "1", "1, 2", "María José Núñez", "555-010-0142", "1"]

    func run(printer: String, lines: [String]) throws -> (KioskBinary.Result, String) {
        let content = try KioskBinary.content(addingToClinic: "printer: \"\(printer)\"")
        let db = KioskBinary.database()
        let result = try KioskBinary.run(["run", "--content", content, "--db", db],
                                         input: Script.pipe(lines))
        return (result, db)
    }

    @Test("a Spanish client asks for paper: the queue receives the slip in Spanish, with no name or phone of theirs")
    func spanishSlip() throws {
        guard let queues = CUPSQueues.required() else { return }
        let before = CUPSQueues.received(queues.capture)
        let (result, db) = try run(printer: queues.ready, lines: Self.spanishBooking + ["1", ""])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("¿Quiere esto en papel?"))
        #expect(result.stdout.contains("Su papel se está imprimiendo."))
        let reference = try #require(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 1).first?.reference)

        let bytes = try #require(CUPSQueues.nextJob(in: queues.capture, after: before), "no job reached the printer")
        let slip = try #require(String(data: bytes, encoding: .utf8), "the slip is UTF-8, byte for byte")
        // The words as read, whatever line they were wrapped onto.
        let read = slip.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for words in ["Riverside Massage & Physical Therapy", "Teléfono: (217) 555-0142",
                      "Su código de referencia: \(reference)", "Masaje terapéutico",
                      "Lo que puede hacer en casa ahora:", "Preste atención a:",
                      "Busque atención de inmediato si tiene alguno de estos",
                      "Dolor o presión en el pecho", "Esto no es un diagnóstico"] {
            #expect(read.contains(words), "the slip lacks: \(words)")
        }
        #expect(slip.range(of: "Fecha: \\d{4}-\\d{2}-\\d{2}", options: .regularExpression) != nil)
        for english in ["Phone:", "What you can do at home now", "Watch for:", "Massage therapy"] {
            #expect(!read.contains(english), "English on a Spanish slip: \(english)")
        }
        for private_ in ["María", "José", "Núñez", "555-010-0142", "5550100142"] {
            #expect(!read.contains(private_), "the slip holds the client's \(private_)")
        }
        for line in slip.split(separator: "\n") { #expect(line.count <= 42, "wider than the paper: \(line)") }
    }

    @Test("a stopped or missing queue: the client is told in one line, nothing is queued, and the kiosk goes on",
          arguments: ["stopped", "missing"])
    func notReady(which: String) throws {
        guard let queues = CUPSQueues.required() else { return }
        let queue = which == "stopped" ? queues.stopped : "KioskNoSuchQueue-\(UUID().uuidString.prefix(8))"
        let jobsBefore = which == "stopped" ? try CUPSQueues.jobCount(queue) : 0
        // Declined the booking, asked for paper, then Enter; then the next client's welcome.
        let (result, _) = try run(printer: queue, lines: Script.questionnaire + ["", "yes", "", ""])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let out = result.stdout
        let told = try #require(out.range(of: "The printer is not ready; please ask at the front desk."))
        #expect(out[told.upperBound...].contains("Press Enter when you are done."), "the session goes on")
        #expect(out[told.upperBound...].contains("Press Enter to start"), "then the next client's welcome")
        #expect(!out.contains("Your paper is printing"))
        #expect(result.stderr.contains("could not print a take-home slip"))
        if which == "stopped" { #expect(try CUPSQueues.jobCount(queue) == jobsBefore, "a job held on a stopped queue") }
    }

    @Test("nothing is printed when the client says no or just presses Enter", arguments: ["", "no", "2"])
    func notAsked(answer: String) throws {
        guard let queues = CUPSQueues.required() else { return }
        let jobsBefore = try CUPSQueues.jobCount(queues.ready)
        let received = CUPSQueues.received(queues.capture)
        let (result, _) = try run(printer: queues.ready, lines: Script.questionnaire + Script.booking.dropLast() + [answer])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Would you like this on paper?"))
        #expect(!result.stdout.contains("Your paper is printing"))
        // lp queues a job before it returns: had the kiosk printed, the queue would list it now.
        #expect(try CUPSQueues.jobCount(queues.ready) == jobsBefore)
        #expect(CUPSQueues.received(queues.capture) == received)
    }
}
