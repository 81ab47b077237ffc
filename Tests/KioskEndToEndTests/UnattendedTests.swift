import Foundation
import KioskTestSupport
import KioskStore
import Testing

/// What a stranger at an unattended kiosk can do with the keyboard, in a real terminal.
@Suite("Unattended kiosk in a terminal", .serialized)
struct UnattendedTests {
    let ctrlC = "\u{03}", ctrlD = "\u{04}", ctrlZ = "\u{1A}", ctrlBackslash = "\u{1C}"
    let ctrlU = "\u{15}", ctrlY = "\u{19}", up = "\u{1B}[A"


    /// Starts a kiosk and answers up to the first question ("Where does it hurt most?"),
    /// waiting for readline's prompt: keys sent before it meet the terminal's own line
    /// discipline, not the kiosk (a person sees the prompt before typing).
    func atFirstQuestion(_ kiosk: PTYProcess) throws {
        try kiosk.waitFor("Press Enter to start")
        kiosk.send("\r")
        for _ in 0..<4 { kiosk.send("none\r") }
        try kiosk.waitFor("Where does it hurt most?")
        try kiosk.waitFor("Type a number or the words of your answer:")
    }

    /// Walks a session to the booking form's name prompt.
    func atNamePrompt(_ kiosk: PTYProcess) throws {
        try atFirstQuestion(kiosk)
        for answer in Script.questionnaire.dropFirst(5) { kiosk.send(answer + "\r") }
        try kiosk.waitFor("to ask for a visit")
        for answer in Script.booking.prefix(3) { kiosk.send(answer + "\r") }
        try kiosk.waitFor("What is your name?")
        try kiosk.waitFor("> ")
    }

    @Test("Ctrl-C clears the line and never exits; Ctrl-\\ and Ctrl-Z do nothing", arguments: ["question", "booking form"])
    func signalKeys(_ place: String) throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database())
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        if place == "question" { try atFirstQuestion(kiosk) } else { try atNamePrompt(kiosk) }
        kiosk.send("half typed")
        kiosk.send(ctrlC)
        kiosk.send(ctrlBackslash)
        kiosk.send(ctrlZ)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(kiosk.waitExit(timeout: 0.2) == nil, "the kiosk is still running")
        if place == "question" {
            kiosk.send("neck\r")   // the cleared line took nothing of "half typed"
            try kiosk.waitFor("How does the pain feel?")
        } else {
            kiosk.send("Sam\r")
            try kiosk.waitFor("Your phone number or email")
        }
    }

    @Test("Ctrl-D asks whether to start over: no goes on, yes gives a clean welcome", arguments: ["question", "booking form"])
    func ctrlD(_ place: String) throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database())
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        if place == "question" { try atFirstQuestion(kiosk) } else { try atNamePrompt(kiosk) }
        kiosk.send(ctrlD)
        try kiosk.waitFor("Do you want to start over?")
        kiosk.send("2\r")
        try kiosk.waitFor(place == "question" ? "Where does it hurt most?" : "What is your name?")
        try kiosk.waitFor(place == "question" ? "Type a number or the words of your answer:" : "> ")
        kiosk.send(ctrlD)
        try kiosk.waitFor("Do you want to start over?")
        kiosk.send("1\r")
        try kiosk.waitFor("Press Enter to start.")
        // Ctrl-D on the welcome does nothing at all.
        kiosk.send(ctrlD)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(kiosk.waitExit(timeout: 0.2) == nil)
    }

    @Test("after a pause the kiosk asks \"still there?\", then starts over with nothing kept")
    func idleReset() throws {
        let db = KioskBinary.database()
        let kiosk = try KioskBinary.terminal(db, idle: 2)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        try atNamePrompt(kiosk)
        kiosk.send("Sam Half")
        try kiosk.waitFor("Are you still there?", timeout: 6)
        try kiosk.waitFor("Press Enter to start", timeout: 6)
        #expect(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 5).isEmpty)
        // A key within the pause keeps the session: back where the client was.
        try atFirstQuestion(kiosk)
        try kiosk.waitFor("Are you still there?", timeout: 6)
        kiosk.send("\r")
        try kiosk.waitFor("Where does it hurt most?")
    }

    @Test("the next client cannot see the last: screen cleared, no history, no kill ring")
    func nextClientStartsClean() throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database())
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        try atNamePrompt(kiosk)
        kiosk.send("Secret Name" + ctrlU)   // cut into the kill ring
        kiosk.send("Secret Name\r")
        try kiosk.waitFor("Your phone number or email")
        kiosk.send("restart\r")
        try kiosk.waitFor("Press Enter to start")
        let raw = String(decoding: kiosk.rawOutput, as: UTF8.self)
        let lastName = try #require(raw.range(of: "Secret Name", options: .backwards))
        #expect(raw[lastName.upperBound...].contains("\u{1B}[3J"), "screen and scrollback are cleared after the last client")
        // The next client: the up arrow and Ctrl-Y bring back nothing.
        kiosk.send("\r")
        try kiosk.waitFor("Do you have any of these right now?")
        kiosk.send(up + ctrlY + "\r")
        try kiosk.waitFor("Please type")
        #expect(!stripANSI(String(decoding: kiosk.rawOutput, as: UTF8.self))[lastName.upperBound...].contains("Secret"))
    }

    @Test("staff leave with the staff word and the PIN; a wrong PIN does not let them out")
    func staffPin() throws {
        let db = KioskBinary.database()
        let kiosk = try KioskBinary.terminal(db, lock: true)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        // No PIN yet: staff choose one before the first client sees anything.
        try kiosk.waitFor("New staff PIN")
        #expect(!kiosk.output.contains("Welcome"))
        kiosk.send("2468\r")
        try kiosk.waitFor("The same PIN again")
        kiosk.send("2468\r")
        try kiosk.waitFor("Press Enter to start")
        #expect(!kiosk.output.contains("2468"), "the PIN is never echoed")
        kiosk.send("staff\r")
        try kiosk.waitFor("Staff PIN:")
        kiosk.send("1111\r")
        try kiosk.waitFor("Wrong PIN")
        try kiosk.waitFor("Press Enter to start")
        kiosk.send("staff\r")
        try kiosk.waitFor("Staff PIN:")
        kiosk.send("2468\r")
        #expect(kiosk.waitExit(timeout: 5) == 0)
    }

    @Test("--no-lock says so on the welcome, and the staff word alone ends the kiosk")
    func noLock() throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database())
        try kiosk.waitFor("without a staff PIN")
        kiosk.send("staff\r")
        #expect(kiosk.waitExit(timeout: 5) == 0)
    }

    @Test("SIGTERM and SIGHUP end the kiosk cleanly and give the terminal back", arguments: [SIGTERM, SIGHUP])
    func terminationSignals(_ signal: Int32) throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database())
        try atFirstQuestion(kiosk)
        kiosk.send("typing")
        Thread.sleep(forTimeInterval: 0.2)
        kiosk.signal(signal)
        #expect(kiosk.waitExit(timeout: 5) == 0)
        let settings = try #require(kiosk.terminalSettings())
        #expect(settings.c_lflag & tcflag_t(ECHO) != 0, "echo is back on")
        #expect(settings.c_lflag & tcflag_t(ICANON) != 0, "line mode is back on")
    }

    @Test("a resize re-wraps the next screen")
    func resize() throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database(), columns: 100)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        try kiosk.waitFor("Press Enter to start")
        kiosk.resize(columns: 50, rows: 40)
        Thread.sleep(forTimeInterval: 0.2)
        kiosk.send("\r")
        let screen = try kiosk.waitFor("None of these")
        let widest = screen.components(separatedBy: "\n").map { $0.count }.max() ?? 0
        #expect(widest <= 50, "widest line: \(widest)")
    }

    @Test("TERM=dumb and NO_COLOR give plain output", arguments: [["TERM": "dumb"], ["NO_COLOR": "1"]])
    func plainOutput(_ environment: [String: String]) throws {
        let kiosk = try KioskBinary.terminal(KioskBinary.database(), environment: environment)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        try kiosk.waitFor("Press Enter to start")
        let raw = String(decoding: kiosk.rawOutput, as: UTF8.self)
        #expect(!raw.contains("\u{1B}[1m") && !raw.contains("\u{1B}[31m"), "no bold, no colour")
        #expect(raw.contains("!! "), "warnings are marked without colour")
    }

    @Test("~/.inputrc and INPUTRC cannot rebind keys")
    func inputrcIgnored() throws {
        let home = KioskBinary.scratch()
        let rc = "\"n\": \"PWNED\"\n"
        try rc.write(to: home.appendingPathComponent(".inputrc"), atomically: true, encoding: .utf8)
        try rc.write(to: home.appendingPathComponent("evil-inputrc"), atomically: true, encoding: .utf8)
        let kiosk = try KioskBinary.terminal(KioskBinary.database(), environment: [
            "HOME": home.path, "INPUTRC": home.appendingPathComponent("evil-inputrc").path])
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        try atFirstQuestion(kiosk)
        kiosk.send("neck\r")
        try kiosk.waitFor("How does the pain feel?")
        #expect(!kiosk.output.contains("PWNED"))
    }
}
