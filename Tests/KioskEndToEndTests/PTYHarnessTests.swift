import Foundation
import KioskTestSupport
import Testing

/// Proves the pseudo-terminal harness itself, with standard tools only.
@Suite struct PTYHarnessTests {
    @Test func aLineSentIsReadByTheChild() throws {
        let process = try PTYProcess("/bin/sh", arguments: ["-c", "read x; echo got:$x"])
        process.send("hello\r")
        try process.waitFor("got:hello")
        #expect(process.waitExit() == 0)
    }

    @Test func thePTYIsTheControllingTerminalSoCtrlCRaisesSIGINT() throws {
        let process = try PTYProcess("/bin/sh", arguments: ["-c",
            "trap 'echo caught-int; exit 7' INT; echo ready; while :; do sleep 0.1; done"])
        try process.waitFor("ready")
        process.send("\u{03}")
        try process.waitFor("caught-int")
        #expect(process.waitExit() == 7)
    }

    @Test func theChildSeesTheWindowSizeAndATerminal() throws {
        let process = try PTYProcess("/bin/sh", arguments: ["-c", "stty size; test -t 0 && test -t 1 && echo tty-ok"],
                                     columns: 100, rows: 40)
        try process.waitFor("40 100")
        try process.waitFor("tty-ok")
        #expect(process.waitExit() == 0)
    }

    @Test func waitForFailsWithTheOutputTail() throws {
        let process = try PTYProcess("/bin/sh", arguments: ["-c", "echo something-else"])
        #expect(throws: PTYError.self) { try process.waitFor("never-printed", timeout: 1) }
        do {
            try process.waitFor("never-printed", timeout: 0.2)
        } catch let error as PTYError {
            #expect(error.description.contains("something-else"))
        }
    }

    @Test func terminateEndsTheChild() throws {
        let process = try PTYProcess("/bin/sleep", arguments: ["30"])
        process.terminate()
        #expect(process.waitExit() == 128 + SIGTERM)
    }

    @Test func stripANSIRemovesEscapeSequences() {
        #expect(stripANSI("\u{1B}[?2004hname: \u{1B}[1mbold\u{1B}[0m\u{1B}[?2004l\r\n") == "name: bold\n")
        #expect(stripANSI("\u{1B}]0;title\u{07}a\u{1B}(Bb\u{1B}=c\u{07}") == "abc")
        #expect(stripANSI("\u{1B}[H\u{1B}[2J\u{1B}[3Jclean") == "clean")
        #expect(stripANSI("cut\u{1B}[1") == "cut")
        #expect(stripANSI("é ─ 日本") == "é ─ 日本")
    }
}
