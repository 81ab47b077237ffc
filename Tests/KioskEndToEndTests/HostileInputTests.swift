import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One hostile thing a stranger (or a cat on the keyboard, or a paste) may type.
struct HostileInput: Sendable, CustomTestStringConvertible {
    let label: String
    /// The bytes as they reach standard input (a "\n" in them makes several lines).
    let bytes: [UInt8]

    init(_ label: String, _ text: String) { self.label = label; self.bytes = Array(text.utf8) }
    init(_ label: String, bytes: [UInt8]) { self.label = label; self.bytes = bytes }

    var testDescription: String { label }

    /// The typed lines as the kiosk's plain reader decodes them: split on "\n", a trailing
    /// "\r" dropped, invalid UTF-8 as U+FFFD, at most 64 KiB of a line kept.
    var lines: [String] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            var line = Array(line)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            return String(decoding: line.prefix(64 * 1024), as: UTF8.self)
        }
    }

    var isOneLine: Bool { !bytes.contains(UInt8(ascii: "\n")) }

    /// The kiosk refuses such a line at every prompt, with a hint: it has a control or
    /// bidi character, or it is longer than an answer may be.
    static func refusedEverywhere(_ line: String) -> Bool {
        TextSafety.containsUnsafe(line) || line.count > InputParsing.maxAnswerLength
            || line.unicodeScalars.count > InputParsing.maxAnswerLength * 4
    }

    static let all: [HostileInput] = [
        HostileInput("invalid UTF-8", bytes: Array("Ana ".utf8) + [0xFF, 0xFE, 0x20, 0xC3, 0x28, 0x20, 0xE2, 0x82, 0x20,
                                                                  0xED, 0xA0, 0x80, 0x20, 0xC0, 0x80, 0x20, 0xF8, 0x88, 0x80, 0x80, 0x80]),
        HostileInput("a lone 0x9B byte (C1 CSI as Latin-1)", bytes: [0x9B] + Array("2JAna".utf8)),
        HostileInput("NUL inside", "Ana\u{0}Bob"),
        HostileInput("NUL alone", bytes: [0]),
        HostileInput("1 MB line", String(repeating: "A", count: 1 << 20)),
        HostileInput("1 MB of 3-byte characters", String(repeating: "€", count: (1 << 20) / 3)),
        HostileInput("multi-line paste", "Ana María Pérez\n555-010-0199\n\u{1B}[2J\n1, 2, 3\r\nyes\r\n\r\n"),
        HostileInput("ESC clear screen and scrollback", "\u{1B}[H\u{1B}[2J\u{1B}[3JAna"),
        HostileInput("CSI colour", "\u{1B}[31;1mAna\u{1B}[0m"),
        HostileInput("OSC window title", "\u{1B}]0;pwned\u{07}Ana"),
        HostileInput("OSC 8 hyperlink", "\u{1B}]8;;https://evil.example/\u{1B}\\Ana\u{1B}]8;;\u{1B}\\"),
        HostileInput("C1 CSI U+009B", "\u{9B}2JAna"),
        HostileInput("C1 NEL and OSC", "Ana\u{85}\u{9D}0;x\u{9C}"),
        HostileInput("bidi override U+202E", "\u{202E}anA \u{202C}ecnaL"),
        HostileInput("bidi isolates U+2066", "\u{2066}Ana\u{2069} \u{2067}x\u{2069}"),
        HostileInput("bidi marks", "Ana\u{200F}\u{200E}\u{061C}"),
        HostileInput("DEL, BS, BEL, TAB, CR", "Ana\u{7F}\u{08}\u{07}\tB\rC"),
        HostileInput("emoji with ZWJ and skin tones", "👩🏽‍⚕️ Ana 👨‍👩‍👧‍👦 🧑🏿‍🦱 🇺🇦"),
        HostileInput("combining marks (decomposed)", "Ana Mari\u{301}a Pe\u{301}rez"),
        HostileInput("zalgo", "Z\u{351}\u{352}\u{357}\u{35B}\u{363}\u{364}a\u{30D}\u{30E}\u{304}\u{305}\u{33F}l\u{311}\u{306}\u{310}\u{352}g\u{357}\u{351}o"),
        HostileInput("150 decomposed é", String(repeating: "e\u{301}", count: 150)),
        HostileInput("very long name (150)", String(repeating: "Ana María ", count: 15)),
        HostileInput("too long name (250)", String(repeating: "B", count: 250)),
        HostileInput("120 emoji", String(repeating: "😀", count: 120)),
        HostileInput("SQL and placeholders", "Robert'); DROP TABLE follow_up;-- {code} {clinic} %s%n%x"),
        HostileInput("only spaces", "   \u{3000} \u{A0}"),
        HostileInput("line and paragraph separators", "Ana\u{2028}Bob\u{2029}"),
        HostileInput("zero-width and BOM", "\u{FEFF}Ana\u{200B}\u{200D}"),
        HostileInput("noncharacters and private use", "\u{FFFF}\u{E000}\u{10FFFF}"),
    ]
}

extension KioskBinary {
    struct TimedResult {
        var status: Int32
        var reason: Process.TerminationReason
        var timedOut: Bool
        var stdout: String
        var stderr: String
        var seconds: TimeInterval
    }

    /// Runs the binary with raw bytes on standard input (invalid UTF-8 allowed), and kills
    /// it if it has not ended after `timeout` seconds.
    static func run(_ arguments: [String], inputData: Data, timeout: TimeInterval = 60,
                    environment: [String: String] = [:], directory: URL? = nil) throws -> TimedResult {
        CrashRun.ignoreSigpipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONTENT"] = content
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        let started = Date()
        try process.run()
        let writer = stdin.fileHandleForWriting
        Thread.detachNewThread {
            CrashRun.writeAll(inputData, to: writer.fileDescriptor)
            try? writer.close()
        }
        let outBox = HostileDataBox(), errBox = HostileDataBox()
        let reading = DispatchGroup()
        for (handle, box) in [(stdout.fileHandleForReading, outBox), (stderr.fileHandleForReading, errBox)] {
            reading.enter()
            Thread.detachNewThread {
                box.set(handle.readDataToEndOfFile())
                reading.leave()
            }
        }
        var timedOut = false
        if ended.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            _ = kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        _ = reading.wait(timeout: .now() + 10)
        return TimedResult(status: process.terminationStatus, reason: process.terminationReason, timedOut: timedOut,
                           stdout: String(decoding: outBox.get(), as: UTF8.self),
                           stderr: String(decoding: errBox.get(), as: UTF8.self),
                           seconds: Date().timeIntervalSince(started))
    }
}

/// Bytes handed from a reader thread to the test.
final class HostileDataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

// MARK: - Through the real binary, piped

@Suite("Hostile input through the piped kiosk")
struct HostileBinaryTests {
    static let session = Script.questionnaire + Script.booking

    /// Piped output has no escape codes at all: nothing but "\n" may be unsafe.
    static func expectSafe(_ stdout: String, _ label: String) {
        let unsafe = stdout.unicodeScalars.filter { $0 != "\n" && TextSafety.isUnsafe($0) }
        #expect(unsafe.isEmpty, "\(label): raw controls on screen: \(unsafe.prefix(10).map { String(format: "U+%04X", $0.value) })")
        #expect(!TextSafety.containsUnsafe(stdout.replacingOccurrences(of: "\n", with: "")))
    }

    static func expectStoredAsTyped(_ name: String, _ label: String) {
        #expect(name.count <= ClientSession.maxNameLength, "\(label): \(name.count) characters stored")
        #expect(name == name.precomposedStringWithCanonicalMapping, "\(label): not NFC")
        #expect(!TextSafety.containsUnsafe(name), "\(label): controls stored")
        #expect(!name.isEmpty)
    }

    static func expectCleanExit(_ result: KioskBinary.TimedResult, _ label: String) {
        #expect(!result.timedOut, "\(label): the kiosk hung (killed after \(Int(result.seconds)) s)")
        #expect(result.reason == .exit && result.status == 0,
                "\(label): \(result.reason) \(result.status); stderr: \(result.stderr.suffix(800))")
        #expect(!result.stderr.contains("Fatal error"), "\(label): \(result.stderr.suffix(800))")
    }

    @Test("a hostile line at every prompt: exit 0, no hang, nothing raw on screen, the kiosk goes on",
          arguments: HostileInput.all)
    func atEveryPrompt(_ hostile: HostileInput) throws {
        let db = KioskBinary.database()
        // One session per position: the hostile line goes before the answer to prompt k
        // (welcome, warnings, single, several, scale, results, booking kind, times, name,
        // contact, consent, the final Enter, the next welcome), then "restart" puts the
        // kiosk back on the welcome whatever the line did. A clean session comes last.
        let lines = Self.session
        var input = Data()
        let newline = Data("\n".utf8)
        for k in 0...lines.count {
            for line in lines[..<k] { input += Data(line.utf8) + newline }
            input += Data(hostile.bytes) + newline
            for line in lines[k...] { input += Data(line.utf8) + newline }
            input += Data("restart".utf8) + newline
        }
        for line in lines { input += Data(line.utf8) + newline }

        let result = try KioskBinary.run(["run", "--db", db], inputData: input, timeout: 120)
        Self.expectCleanExit(result, hostile.label)
        Self.expectSafe(result.stdout, hostile.label)

        let store = try SQLiteKioskStore(path: db)
        let requests = try store.followUps(status: nil, limit: 1000)
        for request in requests { Self.expectStoredAsTyped(request.request.name, hostile.label) }
        #expect(requests.contains { $0.request.name == "Ana María Pérez" }, "\(hostile.label): the clean session did not book")
        if hostile.lines.allSatisfy(HostileInput.refusedEverywhere) {
            // Refused with a hint at every prompt, the session never moved: every one of
            // the positions booked, and so did the clean session.
            #expect(requests.count == lines.count + 2, "\(hostile.label): \(requests.count) bookings")
            #expect(requests.allSatisfy { $0.request.name == "Ana María Pérez" })
            let hints = result.stdout.split(separator: "\n").filter { $0.hasPrefix("> ") && $0.count > 2 }.count
            #expect(hints >= lines.count + 1, "\(hostile.label): \(hints) hints for \(lines.count + 1) refused lines")
        }
        // Every code on screen is a stored request.
        for code in CrashTests.referenceCodes(in: result.stdout) {
            #expect(try store.followUp(reference: code) != nil, "\(hostile.label): \(code) shown, not stored")
        }
        try store.close()
    }

    @Test("a hostile name is refused (controls) or stored as typed: NFC, at most 100 characters",
          arguments: HostileInput.all.filter(\.isOneLine))
    func asTheName(_ hostile: HostileInput) throws {
        let db = KioskBinary.database()
        // If the name is refused, "Fallback Name" is the name; if it is taken,
        // "Fallback Name" is a bad phone number (a hint) and the next line is the phone.
        var input = Data()
        for line in Script.questionnaire + ["yes", "1", "1"] { input += Data((line + "\n").utf8) }
        input += Data(hostile.bytes) + Data("\n".utf8)
        for line in ["Fallback Name", "555-010-0199", "1", ""] { input += Data((line + "\n").utf8) }

        let result = try KioskBinary.run(["run", "--db", db], inputData: input, timeout: 60)
        Self.expectCleanExit(result, hostile.label)
        Self.expectSafe(result.stdout, hostile.label)

        let store = try SQLiteKioskStore(path: db)
        let requests = try store.followUps(status: nil, limit: 10)
        try store.close()
        try #require(requests.count == 1, "\(hostile.label): \(requests.count) requests stored")
        let request = requests[0]
        #expect(request.request.phone == "555-010-0199")
        #expect(result.stdout.contains(request.reference))

        let typed = hostile.lines[0]
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        let name = request.request.name
        if TextSafety.containsUnsafe(typed) {
            #expect(name == "Fallback Name", "\(hostile.label): a name with controls was stored: \(String(reflecting: name))")
        } else if !trimmed.isEmpty && typed.count <= InputParsing.maxAnswerLength
                    && typed.unicodeScalars.count <= InputParsing.maxAnswerLength * 4 {
            #expect(name != "Fallback Name", "\(hostile.label): a plain name was refused")
        }
        if name != "Fallback Name" {
            // Taken: exactly the typed text (trimmed), NFC, cut at 100 characters.
            Self.expectStoredAsTyped(name, hostile.label)
            let expected = String(trimmed.precomposedStringWithCanonicalMapping.prefix(ClientSession.maxNameLength))
            #expect(name == expected, "\(hostile.label): stored \(String(reflecting: name)), typed \(String(reflecting: expected))")
        }
    }
}

@Suite("Hostile text from the command line")
struct HostileEventNameTests {
    /// `--event` is typed by staff but shown to every client on the welcome screen and
    /// stored with every record: it must be refused (exit 64) or shown made safe.
    @Test("an event name with escape and bidi codes is refused or shown safely")
    func eventName() throws {
        let db = KioskBinary.database()
        let event = "Fair\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}X"
        let result = try KioskBinary.run(["run", "--db", db, "--event", event], inputData: Data("\n".utf8), timeout: 30)
        #expect(!result.timedOut)
        #expect(result.status == 64, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("--event"))
        let unsafe = result.stdout.unicodeScalars.filter { $0 != "\n" && TextSafety.isUnsafe($0) }
        #expect(unsafe.isEmpty, "raw controls on the welcome screen: \(unsafe.map { String(format: "U+%04X", $0.value) })")
    }
}

// MARK: - Through the core, every prompt kind

@Suite("Hostile input through ClientSession")
struct HostileCoreTests {
    /// A prompt kind and the typed lines that reach it in `Fixture`.
    struct Prompt: Sendable, CustomTestStringConvertible {
        enum Kind: Sendable { case choice, emptyMeansNo, freeText, name, contact, anyKeyEnds }
        let label: String
        let path: [String]
        let kind: Kind
        /// Commit the booking (followUpSaved) when the path asks for it.
        var saved = true
        var testDescription: String { label }
    }

    static let results = ["", "3", "1", "2", "6", "1", "2", "3"]
    static let prompts: [Prompt] = [
        Prompt(label: "welcome", path: [], kind: .freeText),
        Prompt(label: "warning signs", path: [""], kind: .choice),
        Prompt(label: "one answer", path: ["", "3"], kind: .choice),
        Prompt(label: "several answers", path: ["", "3", "1"], kind: .choice),
        Prompt(label: "scale", path: ["", "3", "1", "2"], kind: .choice),
        Prompt(label: "results: book?", path: results, kind: .emptyMeansNo),
        Prompt(label: "emergency outcome", path: ["", "1"], kind: .anyKeyEnds),
        Prompt(label: "see a doctor soon: book?", path: ["", "2"], kind: .emptyMeansNo),
        Prompt(label: "booking kind", path: results + ["book"], kind: .choice),
        Prompt(label: "named professional", path: results + ["book", "3"], kind: .choice),
        Prompt(label: "times", path: results + ["book", "1"], kind: .choice),
        Prompt(label: "name", path: results + ["book", "1", "1, 2"], kind: .name),
        Prompt(label: "phone or email", path: results + ["book", "1", "1, 2", "Ana"], kind: .contact),
        Prompt(label: "consent", path: results + ["book", "1", "1, 2", "Ana", "555 010 0199"], kind: .choice),
        Prompt(label: "saving", path: results + ["book", "1", "1, 2", "Ana", "555 010 0199", "1"], kind: .choice, saved: false),
        Prompt(label: "finished", path: results + ["book", "1", "1, 2", "Ana", "555 010 0199", "1"], kind: .anyKeyEnds),
    ]

    /// Runs `lines` through a fresh session, committing bookings as the shell does.
    static func session(at prompt: Prompt) -> ClientSession {
        var session = ClientSession(content: Fixture.content, id: "hostile")
        _ = session.start()
        for line in prompt.path {
            let transition = session.handle(line, now: Fixture.now)
            if prompt.saved, transition.effects.contains(where: { if case .saveFollowUp = $0 { true } else { false } }) {
                _ = session.followUpSaved(reference: "ABC-234")
            }
        }
        return session
    }

    static func expectSafe(_ screen: Screen, _ context: String) {
        let shown = screen.plainText + "\n" + (screen.prefill ?? "")
        let unsafe = shown.unicodeScalars.filter { $0 != "\n" && TextSafety.isUnsafe($0) }
        #expect(unsafe.isEmpty, "\(context): \(unsafe.map { String(format: "U+%04X", $0.value) }) on screen")
    }

    @Test("the sanitiser: no unsafe scalar after display, and display is idempotent", arguments: HostileInput.all)
    func sanitiser(_ hostile: HostileInput) {
        for text in hostile.lines + [String(decoding: hostile.bytes, as: UTF8.self)] {
            let once = TextSafety.display(text)
            #expect(!TextSafety.containsUnsafe(once), "\(hostile.label)")
            #expect(TextSafety.display(once) == once, "\(hostile.label)")
            #expect(TextSafety.containsUnsafe(text) == (once != text), "\(hostile.label): display changes exactly the unsafe text")
        }
    }

    @Test("every prompt kind: no crash, a hint for what it cannot take, nothing raw on screen",
          arguments: prompts)
    func everyPrompt(_ prompt: Prompt) throws {
        let reached = Self.session(at: prompt)
        for hostile in HostileInput.all {
            // The whole input as one string (a paste with its line breaks, which the core
            // must refuse), and the line the plain reader would hand over.
            for typed in Set([String(decoding: hostile.bytes, as: UTF8.self)] + (hostile.isOneLine ? hostile.lines : [])) {
                var session = reached
                let before = session.step
                let transition = session.handle(typed, now: Fixture.now)
                let context = "\(prompt.label) <- \(hostile.label) \(String(reflecting: typed).prefix(60))"
                Self.expectSafe(transition.screen, context)

                let refused = HostileInput.refusedEverywhere(typed)
                let blank = typed.trimmingCharacters(in: .whitespaces).isEmpty
                var hintExpected: Bool
                switch prompt.kind {
                case .choice, .contact: hintExpected = true        // none of the inputs is a choice, a number or a contact
                case .name: hintExpected = refused || blank
                case .emptyMeansNo: hintExpected = refused || !blank // Enter (or spaces) means "no, thanks"
                case .freeText, .anyKeyEnds: hintExpected = refused
                }
                if before == .saving { hintExpected = true }
                if hintExpected {
                    guard case .hint? = transition.screen.blocks.last else {
                        Issue.record("\(context): no hint: \(transition.screen.plainText.prefix(200))")
                        continue
                    }
                    #expect(session.step == before, "\(context): moved to \(session.step)")
                    #expect(transition.effects.isEmpty, "\(context): \(transition.effects)")
                }
                if refused {
                    #expect(session.step == before, "\(context): a refused line moved the session")
                    #expect(transition.effects.isEmpty)
                }
                if prompt.kind == .name && !refused && !blank {
                    let expected = String(typed.trimmingCharacters(in: .whitespaces)
                        .precomposedStringWithCanonicalMapping.prefix(ClientSession.maxNameLength))
                    #expect(session.booking.name == expected, "\(context)")
                    #expect(session.booking.name.count <= ClientSession.maxNameLength)
                }
                // The next screen after the hostile line is still usable: help works.
                let help = session.handle("help", now: Fixture.now)
                Self.expectSafe(help.screen, context + " then help")
            }
        }
    }
}
