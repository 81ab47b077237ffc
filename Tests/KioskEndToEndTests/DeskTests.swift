import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

/// The front desk as a person (console) or a script (one command at a time) uses it.
@Suite("kiosk desk", .serialized)
struct DeskEndToEndTests {
    /// A database with follow-ups as a client would leave them, one with a hostile name.
    func seeded(names: [String] = ["Ana Pérez", "Sam Lee"]) throws -> (db: String, refs: [String]) {
        let db = KioskBinary.database()
        let store = try SQLiteKioskStore(path: db)
        var generator = SystemRandomNumberGenerator()
        var refs: [String] = []
        for (i, name) in names.enumerated() {
            let request = FollowUpRequest(
                assessmentID: "a\(i)", createdAt: Date().addingTimeInterval(Double(i - names.count) * 60), event: nil,
                language: "en", name: name, phone: "555-010-01\(10 + i)", email: nil, discipline: "massage_therapist",
                professional: nil, preferredTimes: ["weekday_morning"], consent: true, afterMedicalClearance: false)
            refs.append(try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) })
        }
        try store.raiseAlert(Alert(assessmentID: "x", createdAt: Date(), level: .urgent, outcome: "emergency", event: nil))
        return (db, refs)
    }

    /// The next free weekday-morning slot of massage_1 (Mon/Wed/Fri 09:00 in the bundled clinic.yaml).
    func nextSlot(_ db: String) throws -> String {
        let out = try KioskBinary.run(["desk", "slots", "massage_1", "--db", db]).stdout
        let line = try #require(out.split(separator: "\n").first { $0.contains("09:00") })
        let day = try #require(line.split(separator: " ").first { $0.count == 10 && $0.contains("-") })
        return "\(day) 09:00"
    }

    @Test("one command at a time: list, show, book, set; the audit trail shows every change")
    func scriptedDesk() throws {
        let (db, refs) = try seeded()
        let list = try KioskBinary.run(["desk", "list", "--db", db])
        #expect(list.status == 0)
        #expect(list.stdout.contains("Ana Pérez") && list.stdout.contains("Sam Lee"))
        let json = try KioskBinary.run(["desk", "list", "--format", "json", "--status", "requested", "--db", db])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 2)
        #expect(rows?.first?["reference"] as? String == refs[1], "newest first")

        let slot = try nextSlot(db)
        let book = try KioskBinary.run(["desk", "book", refs[0], "massage_1"] + slot.split(separator: " ").map(String.init) + ["--db", db])
        #expect(book.status == 0, "\(book.stderr)")
        // The same slot again: refused, nothing changes.
        let again = try KioskBinary.run(["desk", "book", refs[1], "massage_1"] + slot.split(separator: " ").map(String.init) + ["--db", db])
        #expect(again.status == 64)
        #expect(again.stderr.contains("already booked"))
        #expect(try SQLiteKioskStore(path: db).deskFollowUp(reference: refs[1])?.status == .requested)

        // The appointment has not started: completed needs --confirm.
        let early = try KioskBinary.run(["desk", "set", refs[0], "completed", "--db", db])
        #expect(early.status == 64 && early.stderr.contains("Add --confirm"), "\(early.stderr)")
        #expect(try KioskBinary.run(["desk", "set", refs[0], "completed", "--note", "went well", "--confirm", "--db", db]).status == 0)
        let illegal = try KioskBinary.run(["desk", "set", refs[0], "contacted", "--db", db])
        #expect(illegal.status == 64)
        #expect(illegal.stderr.contains("cannot become contacted"))
        let show = try KioskBinary.run(["desk", "show", refs[0], "--db", db]).stdout
        #expect(show.contains("requested -> booked"))
        #expect(show.contains("booked -> completed"))
        #expect(show.contains("went well"))
    }

    @Test("desk list lines its columns up on a CJK name, an emoji name and a name too long for its column")
    func tableColumnsOnWideNames() throws {
        let names = ["山田太郎", "Ana 😀 Pérez", "Sam Lee", "山田太郎 and a name longer than the column"]
        let (db, _) = try seeded(names: names)
        let list = try KioskBinary.run(["desk", "list", "--db", db])
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        // Where each column starts, in terminal columns (glibc's wcwidth, not the kiosk's own measure).
        func column(_ line: String, _ text: String) -> Int? {
            line.range(of: text).map { Self.terminalColumns(String(line[..<$0.lowerBound])) }
        }
        let contact = try #require(column(header, "CONTACT")), wants = try #require(column(header, "WANTS"))
        let rows = lines.dropFirst().filter { $0.contains("555-010-01") }
        #expect(rows.count == names.count, "\(list.stdout)")
        for row in rows {
            #expect(column(row, "555-010-01") == contact, "CONTACT out of line:\n\(header)\n\(row)")
            #expect(column(row, "Massage") == wants, "WANTS out of line:\n\(header)\n\(row)")
        }
        #expect(rows.contains { $0.contains("山田太郎 ") } && rows.contains { $0.contains("Ana 😀 Pérez") })
        #expect(rows.contains { $0.contains("山田太郎 and a") && $0.contains("…") }, "the long name is cut with …")
    }

    /// Columns a line takes in a UTF-8 terminal, by the C library's wcwidth (which Swift's
    /// Glibc module does not show, hence dlsym).
    static func terminalColumns(_ text: String) -> Int {
        typealias WCWidth = @convention(c) (wchar_t) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth") else {
            Issue.record("no wcwidth in the C library"); return -1
        }
        let wcwidth = unsafeBitCast(symbol, to: WCWidth.self)
        let locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
        let previous = uselocale(locale)
        defer { uselocale(previous); freelocale(locale) }
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(wcwidth(wchar_t($1.value)))) }
    }

    @Test("bad input: one line naming the nearest valid choice, and nothing changes")
    func badInput() throws {
        let (db, refs) = try seeded()
        let cases: [([String], String)] = [
            (["desk", "show", String(refs[0].dropLast()) + (refs[0].hasSuffix("A") ? "B" : "A")], "Did you mean \(refs[0])"),
            (["desk", "book", refs[0], "massage", "2026-12-01", "09:00"], "could be: massage_1, massage_2"),
            (["desk", "book", refs[0], "massage_1", "2026-13-01", "09:00"], "is not a date"),
            (["desk", "book", refs[0], "massage_1", "2026-12-01", "9am"], "is not a time"),
            (["desk", "set", refs[0], "complted"], "Did you mean completed"),
            (["desk", "book", refs[0], "massage_1", "2020-01-06", "09:00"], "in the past"),
        ]
        for (args, message) in cases {
            let result = try KioskBinary.run(args + ["--db", db])
            #expect(result.status != 0, "\(args)")
            #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 2)
        }
        let console = try KioskBinary.run(["desk", "--db", db], input: "lsit\nquit\n")
        #expect(console.stdout.contains("Did you mean list?"))
        let store = try SQLiteKioskStore(path: db)
        #expect(try refs.allSatisfy { try store.deskFollowUp(reference: $0)?.status == .requested })
    }

    @Test("two desks booking the same slot at once: one wins, the other is told it is taken")
    func doubleBooking() throws {
        let (db, refs) = try seeded()
        let when = try nextSlot(db).split(separator: " ").map(String.init)
        final class Box: @unchecked Sendable { var codes: [Int32] = [-1, -1]; let lock = NSLock() }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let code = (try? KioskBinary.run(["desk", "book", refs[i], "massage_1"] + when + ["--db", db]).status) ?? -1
            box.lock.lock(); box.codes[i] = code; box.lock.unlock()
        }
        #expect(Set(box.codes) == [0, 64])
    }

    @Test("the console shows alerts first, then new requests; ack clears an alert")
    func consoleAlerts() throws {
        let (db, _) = try seeded()
        let result = try KioskBinary.run(["desk", "--db", db], input: "ack 1\nalerts\nquit\n")
        let out = result.stdout
        let alert = try #require(out.range(of: "URGENT"))
        let count = try #require(out.range(of: "2 new requests"))
        #expect(alert.lowerBound < count.lowerBound)
        #expect(out.contains("Alert #1 acknowledged."))
        #expect(out.contains("No alerts."))
    }

    @Test("a name with escape codes, bidi overrides or a carriage return shows as visible markers")
    func hostileNameInTerminal() throws {
        let (db, _) = try seeded(names: ["Eve\u{1B}[2J\u{1B}]0;pwned\u{07}", "Mal\u{202E}lory", "Car\rriage"])
        let desk = try PTYProcess(KioskBinary.path, arguments: ["desk", "--db", db],
                                  environment: PTYProcess.inheritedEnvironment().merging(["KIOSK_CONTENT": KioskBinary.content]) { $1 })
        defer { desk.terminate(); _ = desk.waitExit() }
        try desk.waitFor("desk>")
        desk.send("list\r")
        try desk.waitFor("Car<CR>riage")          // the newest row comes first
        try desk.waitFor("Eve<ESC>[2J<ESC>]0;p")  // the oldest last: the whole list is out
        let raw = desk.rawOutput
        #expect(!raw.contains(0x07), "no bell from the name")
        #expect(!String(decoding: raw, as: UTF8.self).contains("\u{202E}"))
        #expect(!String(decoding: raw, as: UTF8.self).contains("\u{1B}]0;pwned"))
        #expect(desk.output.contains("Mal<U+202E>lory"))
        desk.send("find Eve\r")
        try desk.waitFor("desk>")
        desk.send("show \(try #require(try SQLiteKioskStore(path: db).find("Eve", limit: 1).first?.reference))\r")
        try desk.waitFor("Eve<ESC>[2J<ESC>]0;pwned<U+0007>")
        // TAB completes the desk's words: commands, references, professionals.
        desk.send("sh\t")
        try desk.waitFor("show")
    }

    @Test("exports: CSV with guarded cells, iCalendar with booked follow-ups only and no contact details")
    func exports() throws {
        let (db, refs) = try seeded(names: ["=HYPERLINK(\"http://x\")", "Sam Lee"])
        let when = try nextSlot(db).split(separator: " ").map(String.init)
        #expect(try KioskBinary.run(["desk", "book", refs[1], "massage_1"] + when + ["--db", db]).status == 0)
        let csv = try KioskBinary.run(["export", "csv", "--db", db])
        #expect(csv.status == 0)
        #expect(csv.stdout.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(csv.stdout.hasSuffix("\r\n"))
        let ics = try KioskBinary.run(["export", "ics", "--db", db]).stdout
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count == 2, "one booked follow-up, one event")
        #expect(ics.contains("UID:\(refs[1])@"))
        #expect(!ics.contains("Sam Lee") && !ics.contains("555-010"))
        let withContact = try KioskBinary.run(["export", "ics", "--include-contact", "--db", db]).stdout
            .replacingOccurrences(of: "\r\n ", with: "")   // unfold RFC 5545 lines
        #expect(withContact.contains("Sam Lee"))
        let file = KioskBinary.scratch().appendingPathComponent("out.csv").path
        #expect(try KioskBinary.run(["export", "csv", "--output", file, "--db", db]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("purge: a dry run first, then contact details of old closed follow-ups only")
    func purge() throws {
        let (db, refs) = try seeded()
        #expect(try KioskBinary.run(["desk", "set", refs[0], "cancelled", "--db", db]).status == 0)
        let dry = try KioskBinary.run(["purge", "--older-than", "1", "--db", db])
        #expect(dry.stdout.contains("Dry run: 0"), "the cancelled one is younger than a day")
        let store = try SQLiteKioskStore(path: db)
        #expect(try store.purgeContactDetails(before: Date().addingTimeInterval(3600), dryRun: true, actor: "test", now: Date()) == 1)
        #expect(try store.deskFollowUp(reference: refs[0])?.followUp.request.name == "Ana Pérez")
    }
}
