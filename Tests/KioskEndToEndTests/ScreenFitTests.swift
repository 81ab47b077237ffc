import Foundation
import KioskTestSupport
import KioskContent
import KioskCore
import Testing
import Yams

/// Whole sessions of the safety personas (Tests/KioskSafetyTests/personas.yaml), typed into the
/// kiosk in a real terminal of a given size: every screen it draws, page by page, fits.
@Suite("Every screen fits the terminal", .serialized)
struct ScreenFitTests {
    enum Value: Sendable { case number(Int), ids([String]) }
    struct Persona: Sendable { var name: String; var warning: String?; var answers: [String: Value] }

    static let personas: [Persona] = {
        let file = KioskBinary.repo.appendingPathComponent("Tests/KioskSafetyTests/personas.yaml")
        let root = try! Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as! [String: Any]
        let defaults = root["defaults"] as! [String: Any]
        return (root["personas"] as! [[String: Any]]).map { row in
            let raw = defaults.merging(row["answers"] as? [String: Any] ?? [:]) { _, own in own }
            return Persona(name: row["name"] as! String, warning: row["warning"] as? String, answers: raw.mapValues { value in
                if let n = value as? Int { return .number(n) }
                return .ids((value as? [String]) ?? [value as! String])
            })
        }
    }()

    /// The lines a persona types up to the results (or a warning sign's outcome), by number.
    static func answers(_ persona: Persona, content: PracticeContent, language: String) -> (lines: [String], options: Bool) {
        var typed = [language == "en" ? "" : "2"]
        var session = ClientSession(content: content, id: "fit", language: language)
        _ = session.start()
        _ = session.handle(typed[0], now: Date(timeIntervalSince1970: 1_800_000_000))
        for _ in 0..<40 {
            let line: String
            switch session.step {
            case let .warning(i):
                let signs = content.warningScreens[i].signs
                line = String((signs.firstIndex { $0.id == persona.warning } ?? signs.count) + 1)
            case let .question(i):
                let question = content.questions[i]
                switch persona.answers[question.id]! {
                case let .number(n): line = String(n)
                case let .ids(ids):
                    line = ids.map { id in String(question.choices.firstIndex { $0.id == id }! + 1) }.joined(separator: ", ")
                }
            default:
                return (typed, session.step == .results)
            }
            typed.append(line)
            _ = session.handle(line, now: Date(timeIntervalSince1970: 1_800_000_000))
        }
        return (typed, session.step == .results)
    }

    /// Each screen the kiosk drew (split where it cleared the terminal), as the lines a
    /// terminal of `columns` shows: a line wider than it takes two rows.
    static func screens(_ raw: [UInt8], columns: Int) -> [[String]] {
        let text = String(decoding: raw, as: UTF8.self)
        return text.components(separatedBy: "\u{1B}[H\u{1B}[2J\u{1B}[3J").dropFirst().map { chunk in
            stripANSI(chunk).components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\r", with: "") }
        }
    }

    static func rows(_ lines: [String], columns: Int) -> Int {
        var rows = lines.reduce(0) { $0 + max(1, (displayWidth($1) + columns - 1) / columns) }
        if lines.last?.isEmpty == true { rows -= 1 }        // the cursor after the last newline
        return rows
    }

    static func displayWidth(_ s: String) -> Int {
        s.reduce(0) { width, c in
            guard let v = c.unicodeScalars.first?.value else { return width }
            return width + ((0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || v >= 0x1F300 ? 2 : 1)
        }
    }

    @Test("whole persona sessions at 80x24 and 40x24, in English and Spanish: no screen taller or wider than the terminal",
          arguments: [("en", 80), ("en", 40), ("es", 80), ("es", 40)])
    func personasFit(_ language: String, _ columns: Int) throws {
        let content = try ContentLoader.load(directory: KioskBinary.content).get()
        let db = KioskBinary.database()
        let kiosk = try PTYProcess(KioskBinary.path, arguments: ["run", "--no-lock", "--db", db],
                                   environment: Self.environment, columns: UInt16(columns), rows: 24)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        let en = language == "en"
        let more = en ? "see more" : "ver más"
        let start = "Press Enter to start", done = en ? "you are done" : "cuando termine"
        let overview = en ? "finish" : "terminar", pageEnd = en ? "go back to the list" : "volver a la lista"
        let meansNo = en ? "that means no" : "cuenta como no"
        /// Enter through the pages of a screen until one of `targets` is on screen; which one.
        func reach(_ targets: [String]) throws -> Int {
            for _ in 0..<80 {
                // The welcome is in the clinic's first language, whatever the client picks next.
                let found = try kiosk.waitForAny(targets + [more, "see more"], timeout: 10)
                if found < targets.count { return found }
                type("")
            }
            throw PTYError(description: "\(targets): too many pages")
        }
        /// Types a line once the kiosk waits at a prompt (typed ahead, the terminal would echo
        /// it onto the screen before the kiosk reads it, which is no screen of the kiosk's).
        func type(_ line: String) {
            kiosk.skipOutput()
            kiosk.send(line + "\r")
            kiosk.waitForAnswer()
        }
        _ = try reach([start])
        // After the first booking, every persona comes back with its code (and the phone's last
        // 4 digits): each later overview also shows "Since last time", and must still fit.
        var code: String?
        var returned = 0
        for persona in Self.personas {
            var (lines, options) = Self.answers(persona, content: content, language: language)
            if let code {
                lines = [en ? "I have been here before" : "ya vine antes", code, "0100", en ? "yes" : "sí"] + lines.dropFirst()
                returned += 1
            }
            for line in lines { type(line) }
            if options {
                _ = try reach([overview])
                // An option's page, a page at a time, then back to the list; then a booking.
                type("1")
                _ = try reach([pageEnd])
                kiosk.send("\r")
                _ = try reach([overview])
                for line in [en ? "book" : "cita", "1", "1, 3", "Sam Tester", "555-010-0100", en ? "yes" : "sí"] { type(line) }
                _ = try reach([done])
                if code == nil { code = Self.savedCode(kiosk.rawOutput) }
            } else if try reach([done, meansNo]) == 1 {
                type("")                    // see a doctor soon: no visit now
                _ = try reach([done])
            }
            type("")
            _ = try reach([start])
        }
        let screens = Self.screens(kiosk.rawOutput, columns: columns)
        #expect(screens.count > Self.personas.count * 5)
        #expect(code != nil && returned >= Self.personas.count - 3, "returning sessions: \(returned)")
        let panels = screens.filter { $0.contains { $0.contains(en ? "Since last time" : "Desde la última vez") } }
        #expect(panels.count >= returned / 2, "overviews with the panel: \(panels.count)")
        var tallest = 0
        for screen in screens {
            let rows = Self.rows(screen, columns: columns)
            tallest = max(tallest, rows)
            #expect(rows <= 24, "a screen of \(rows) rows at \(columns)x24:\n\(screen.joined(separator: "\n"))")
            // The last line is the prompt with what was typed: readline wraps it itself.
            var drawn = screen
            while drawn.last?.isEmpty == true { drawn.removeLast() }
            for line in drawn.dropLast() where Self.displayWidth(line) > columns {
                Issue.record("a line wider than \(columns) columns: \(line)")
            }
        }
        print("screen fit \(language) \(columns)x24: \(screens.count) screens, tallest \(tallest) rows")
        if columns >= 80 {
            // At 80x24 the overview and the summary after booking are one screen each, not pages.
            let titles = en ? ["Options that may suit you", "Your summary", "!! Your request is saved"]
                            : ["Opciones que pueden servirle", "Su resumen", "!! Su solicitud está guardada"]
            for title in titles {
                let paged = screens.filter { screen in
                    screen.contains { $0.hasPrefix(title) } && screen.contains { $0.contains(more) }
                }
                #expect(paged.isEmpty, "\(title) took more than one screen:\n\(paged.first?.joined(separator: "\n") ?? "")")
            }
        }
    }

    @Test("a resized terminal gets screens of its new size")
    func resized() throws {
        let db = KioskBinary.database()
        let kiosk = try PTYProcess(KioskBinary.path, arguments: ["run", "--no-lock", "--db", db],
                                   environment: Self.environment, columns: 100, rows: 40)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Press Enter to start")
        kiosk.resize(columns: 40, rows: 24)
        kiosk.skipOutput()
        let before = kiosk.rawOutput.count
        kiosk.send("\r")
        _ = try kiosk.waitForAny(["see more", "answer:"])
        kiosk.waitForAnswer()
        let screens = Self.screens(Array(kiosk.rawOutput[before...]), columns: 40)
        let first = try #require(screens.first)
        #expect(Self.rows(first, columns: 40) <= 24)
        #expect(first.dropLast().allSatisfy { Self.displayWidth($0) <= 40 }, "\(first.joined(separator: "\n"))")
        #expect(first.contains { $0.contains("Chest pain or pressure, mainly if") }, "wrapped at 40 columns")
    }

    /// The reference code on the saved screen ("Your reference code is K7M-2QX"), wrapped or not.
    static func savedCode(_ raw: [UInt8]) -> String? {
        let text = stripANSI(String(decoding: raw, as: UTF8.self))
        let pattern = try! NSRegularExpression(pattern: "(?:code is|referencia es)\\s+([A-Z2-9]{3}-[A-Z2-9]{3})")
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        return matches.first.flatMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    static var environment: [String: String] {
        var env = PTYProcess.inheritedEnvironment()
        env["KIOSK_CONTENT"] = KioskBinary.content
        env["TERM"] = "xterm"
        env["NO_COLOR"] = nil
        env["COLUMNS"] = nil
        env["LINES"] = nil
        return env
    }
}
