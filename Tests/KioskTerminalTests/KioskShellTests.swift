import Foundation
import KioskCore
@testable import KioskStore
import KioskTerminal
import KioskTestSupport
import Testing

/// The shell's loop in this process: the scripted reader types, the real SQLite store
/// (in memory) keeps what the session asks it to, and what the shell shows and logs is
/// collected. No terminal and no pty.
@Suite("The kiosk's shell, in process")
struct KioskShellTests {
    /// Welcome, no warning sign, then neck / tight / 6 / old car accident / years / none.
    static let selfCare = ["", "3", "1", "2", "6", "1", "2", "3"]
    /// From the results: book a massage therapist, mornings and evenings, a name, a phone, consent.
    static let booking = ["book", "1", "1, 2", "Ana María", "555 010 0199", "1"]

    struct PrinterDown: Error, CustomStringConvertible { var description: String { "the queue is not ready" } }

    /// A shell on `store` reading from `reader`; what it writes, logs and prints is kept.
    final class Run {
        let reader: ScriptedLineReader
        let store: SQLiteKioskStore
        var content = Fixture.content
        /// What the printer answers.
        var printer: Result<Void, any Error> = .success(())
        /// Called with each log line, as it is logged.
        var whenLogged: (String) -> Void = { _ in }
        private(set) var shown = ""
        private(set) var logged: [String] = []
        private(set) var slips: [(slip: String, queue: String)] = []

        init(_ reader: ScriptedLineReader, store: SQLiteKioskStore? = nil) throws {
            self.reader = reader
            self.store = try store ?? SQLiteKioskStore.inMemory()
        }

        func run(interactive: Bool = false, unlocked: Bool = false, idleSeconds: Int = 180) {
            var shell = KioskShell(content: content, store: store, reader: reader, event: nil,
                                   interactive: interactive, unlocked: unlocked, idleSeconds: idleSeconds,
                                   kioskName: "test-kiosk",
                                   printSlip: { slip, queue in
                                       self.slips.append((Screen(blocks: slip, prompt: "").plainText, queue))
                                       return self.printer
                                   },
                                   write: { self.shown += $0 },
                                   log: { self.logged.append($0); self.whenLogged($0) })
            shell.run()
        }
    }

    @Test("a session that books: the request is written, then its reference code is shown")
    func booking() throws {
        let run = try Run(ScriptedLineReader(Self.selfCare + Self.booking + [""]))
        run.run()
        #expect(run.logged == [])
        let stored = try run.store.followUps(status: nil, limit: 10)
        #expect(stored.count == 1)
        let followUp = try #require(stored.first)
        #expect(followUp.request.name == "Ana María")
        #expect(followUp.request.phone == "555 010 0199")
        #expect(followUp.request.preferredTimes == ["morning", "evening"])
        #expect(followUp.status == .requested)
        #expect(ReferenceCode.isValid(followUp.reference))
        // The code is shown after the commit, on the "saved" screen.
        let saved = try #require(run.shown.range(of: "book.saved"))
        #expect(run.shown[saved.lowerBound...].contains(followUp.reference))
        #expect(!run.shown[..<saved.lowerBound].contains(followUp.reference), "no code before the commit")
        // The anonymous assessment the request came from, and the session's count.
        let assessment = try #require(try run.store.assessment(id: followUp.request.assessmentID))
        #expect(assessment.optionsShown == ["massage"])
        #expect(try run.store.rowCount("session_start") == 1)
        // Enter on the last screen ends the session: the reader is reset for the next client.
        #expect(run.reader.resetCount == 1)
        #expect(run.reader.isExhausted)
    }

    @Test("the staff word at the welcome ends the kiosk: nothing more is read", arguments: [false, true])
    func staffWord(interactive: Bool) throws {
        // Piped input needs no PIN; at a terminal, --no-lock (unlocked) needs none either.
        let run = try Run(ScriptedLineReader(["staff", "", "3"]))
        run.run(interactive: interactive, unlocked: interactive)
        #expect(run.reader.requests.count == 1, "\(run.reader.prompts)")
        #expect(!run.reader.isExhausted)
        #expect(run.logged == [])
        #expect(try run.store.followUps(status: nil, limit: 10).isEmpty)
    }

    @Test("idle twice: \"still there?\" waits a sixth of the idle time, then the screen is cleared for the next client")
    func idleTimeout() throws {
        // A client answers two questions and walks away.
        let reader = ScriptedLineReader(results: ["", "3", "1"].map(LineReadResult.line) + [.idle, .idle])
        let run = try Run(reader)
        run.run(idleSeconds: 180)
        // Five lines asked for, then the next client's welcome (where input ends).
        #expect(reader.requests.map(\.idleSeconds) == [180, 180, 180, 180, 30, 180])
        #expect(reader.resetCount == 1, "history and edit state are gone for the next client")
        let shown = run.shown
        let stillThere = try #require(shown.range(of: "idle.still_there", options: .backwards))
        let next = String(shown[stillThere.upperBound...])
        #expect(next.contains("welcome.title Test Clinic"), "the next client sees the welcome")
        #expect(!next.contains("Where does it hurt?") && !next.contains("How does it feel?"),
                "nothing of the last client's questions is left on the next screen")
        #expect(try run.store.followUps(status: nil, limit: 10).isEmpty)
    }

    @Test("a write that fails is logged, the client is told and sees no code; the same request sent again is saved")
    func failedWrite() throws {
        let store = try SQLiteKioskStore.inMemory()
        // The real store, refusing every new request (as a full disk or a lost database would).
        try store.executeForTesting("""
            CREATE TRIGGER refuse_follow_up BEFORE INSERT ON follow_up
            BEGIN SELECT RAISE(ABORT, 'no room for a follow-up'); END;
            """)
        // After the failure the client is asked for consent again and says yes once more.
        let run = try Run(ScriptedLineReader(Self.selfCare + Self.booking + ["1", ""]), store: store)
        var storedWhenLogged: Int?
        run.whenLogged = { _ in
            storedWhenLogged = try? store.followUps(status: nil, limit: 10).count
            try? store.executeForTesting("DROP TRIGGER refuse_follow_up")   // the disk has room again
        }
        run.run()
        #expect(run.logged.count == 1)
        #expect(run.logged.first?.hasPrefix("could not save a follow-up request: ") == true, "\(run.logged)")
        #expect(storedWhenLogged == 0, "nothing half-written")
        // The failure is on screen before any acknowledgement, and its code only after the second try.
        let failed = try #require(run.shown.range(of: "book.failed"))
        let saved = try #require(run.shown.range(of: "book.saved"))
        #expect(failed.upperBound <= saved.lowerBound)
        let stored = try store.followUps(status: nil, limit: 10)
        #expect(stored.count == 1)
        let code = try #require(stored.first?.reference)
        #expect(!run.shown[..<saved.lowerBound].contains(code), "no code before the commit")
        #expect(run.shown[saved.lowerBound...].contains(code))
    }

    @Test("a take-home slip goes to the printer the shell is given; a printer that is not ready is told and logged",
          arguments: [true, false])
    func slipPrinter(ready: Bool) throws {
        // After the booking: "1" (yes) at "Would you like this on paper?", then Enter.
        let run = try Run(ScriptedLineReader(Self.selfCare + Self.booking + ["1", ""]))
        run.content.clinic.printer = "Front-desk_Slip"
        if !ready { run.printer = .failure(PrinterDown()) }
        run.run()
        let code = try #require(try run.store.followUps(status: nil, limit: 1).first?.reference)
        #expect(run.slips.count == 1)
        #expect(run.slips.first?.queue == "Front-desk_Slip")
        #expect(run.slips.first?.slip.contains(code) == true, "the slip carries the reference code")
        if ready {
            #expect(run.shown.contains("take_home.printing"))
            #expect(run.logged == [])
        } else {
            #expect(run.shown.contains("take_home.not_ready"))
            #expect(run.logged == ["could not print a take-home slip on Front-desk_Slip: the queue is not ready"])
        }
        #expect(run.reader.resetCount == 1, "the session still ends for the next client")
    }
}
