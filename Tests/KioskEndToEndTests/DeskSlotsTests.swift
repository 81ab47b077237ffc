import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

/// The desk's suggested slots, waiting list, reminders, statuses that follow time and the
/// events table, through the real binary on the bundled Content (Physical therapist 2 works
/// Wednesdays and Fridays until 19:00; "weekday evenings" are 17:00-22:00).
@Suite("kiosk desk: suggested slots, waiting list, reminders", .serialized)
struct DeskSlotsEndToEndTests {
    struct Seeded {
        var db: String
        var environment: [String: String]
        var refs: [String: String]
    }

    /// Requests, oldest first: "wait" and "late" want a physical therapist on weekday evenings,
    /// "morning" one in the mornings, "massage" a massage therapist in the evenings.
    func seeded() throws -> Seeded {
        let folder = KioskBinary.scratch()
        let db = folder.appendingPathComponent("kiosk.sqlite").path
        let store = try SQLiteKioskStore(path: db)
        var refs: [String: String] = [:]
        var generator = SystemRandomNumberGenerator()
        let wishes: [(String, String, String)] = [("wait", "physical_therapist", "weekday_evening"),
                                                  ("morning", "physical_therapist", "weekday_morning"),
                                                  ("massage", "massage_therapist", "weekday_evening"),
                                                  ("late", "physical_therapist", "weekday_evening"),
                                                  ("asker", "physical_therapist", "weekday_evening")]
        for (i, (key, discipline, time)) in wishes.enumerated() {
            let request = FollowUpRequest(
                assessmentID: "a\(i)", createdAt: Date().addingTimeInterval(Double(i - 10) * 60), event: nil, language: i == 4 ? "es" : "en",
                name: "Client \(key)", phone: "+1 555-010-01\(10 + i)", email: "\(key)@example.org", discipline: discipline,
                professional: nil, preferredTimes: [time], consent: true, afterMedicalClearance: false)
            refs[key] = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
        }
        try store.close()
        return Seeded(db: db, environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("cache").path], refs: refs)
    }

    func desk(_ s: Seeded, _ arguments: [String], input: String = "") throws -> KioskBinary.Result {
        try KioskBinary.run(["desk"] + arguments + ["--db", s.db], input: input, environment: s.environment)
    }

    /// The numbered lines of `slots REF`: number, "YYYY-MM-DD HH:MM", professional.
    func suggestions(_ out: String) -> [(Int, String, String)] {
        out.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 5, let n = Int(words[0]), words[2].count == 10 else { return nil }
            return (n, words[2] + " " + words[3], words[4...].joined(separator: " "))
        }
    }

    @Test("slots REF suggests what fits; book REF N books it, and refuses a suggestion taken meanwhile")
    func suggestAndBook() throws {
        let s = try seeded()
        let asker = s.refs["asker"]!
        let listed = try desk(s, ["slots", asker])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("asked for Physical therapist, Weekday evenings"))
        let slots = suggestions(listed.stdout)
        #expect(slots.count >= 4, "\(listed.stdout)")
        #expect(slots.map(\.0) == Array(1...slots.count))
        #expect(slots.allSatisfy { $0.2 == "Physical therapist 2" && ($0.1.hasSuffix(" 17:00") || $0.1.hasSuffix(" 18:00")) },
                "\(listed.stdout)")
        #expect(slots.map(\.1) == slots.map(\.1).sorted(), "soonest first")

        // Another desk takes suggestion 1 meanwhile.
        let first = slots[0].1.split(separator: " ").map(String.init)
        #expect(try desk(s, ["book", s.refs["late"]!, "physical_therapist_2"] + first).status == 0)
        let taken = try desk(s, ["book", asker, "1"])
        #expect(taken.status == 64)
        #expect(taken.stderr.contains("Suggestion 1 (") && taken.stderr.contains("has just been taken"), "\(taken.stderr)")
        let booked = try desk(s, ["book", asker, "2"])
        #expect(booked.status == 0, "\(booked.stderr)")
        #expect(booked.stdout.contains("with Physical therapist 2 on") && booked.stdout.contains(slots[1].1), "\(booked.stdout)")
        let none = try desk(s, ["book", asker, String(slots.count + 1)])
        #expect(none.status == 64 && none.stderr.contains("No suggestion \(slots.count + 1): slots \(asker) listed 1 to \(slots.count)."))
        let unlisted = try desk(s, ["book", s.refs["wait"]!, "1"])
        #expect(unlisted.status == 64 && unlisted.stderr.contains("List the suggestions first: slots \(s.refs["wait"]!)"))

        // The console: slots, then book by number, in one session.
        let console = try desk(s, [], input: "slots \(s.refs["wait"]!)\nbook \(s.refs["wait"]!) 1\nquit\n")
        #expect(console.stdout.contains("Booked \(s.refs["wait"]!) with Physical therapist 2"), "\(console.stdout)")
    }

    @Test("a request made after a warning sign: slots REF says so, book REF N waits for --confirm")
    func clearance() throws {
        let s = try seeded()
        let store = try SQLiteKioskStore(path: s.db)
        let request = FollowUpRequest(assessmentID: "cleared", createdAt: Date(), event: nil, language: "en", name: "Client cleared",
                                      phone: "555-010-0199", email: nil, discipline: "physical_therapist", professional: nil,
                                      preferredTimes: ["weekday_evening"], consent: true, afterMedicalClearance: true)
        var generator = SystemRandomNumberGenerator()
        let ref = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
        try store.close()
        let listed = try desk(s, ["slots", ref])
        #expect(listed.stdout.contains("!! A warning sign was raised at the kiosk: book only after a doctor has said it is safe."))
        let refused = try desk(s, ["book", ref, "1"])
        #expect(refused.status == 64 && refused.stderr.contains("Add --confirm once a doctor has."), "\(refused.stderr)")
        #expect(try desk(s, ["book", ref, "1", "--confirm"]).status == 0)
    }

    @Test("cancelling a booking lists the waiting requests its slot suits, oldest first, and not the others")
    func cancellationFillsFromTheWaitlist() throws {
        let s = try seeded()
        let late = s.refs["late"]!
        let slots = suggestions(try desk(s, ["slots", late]).stdout)
        let slot = try #require(slots.first).1.split(separator: " ").map(String.init)
        #expect(try desk(s, ["book", late, "1"]).status == 0)
        let cancelled = try desk(s, ["set", late, "cancelled"])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        let out = cancelled.stdout
        #expect(out.contains("Waiting for Physical therapist 2 on"), "\(out)")
        let wait = try #require(out.range(of: s.refs["wait"]!)), asker = try #require(out.range(of: s.refs["asker"]!))
        #expect(wait.lowerBound < asker.lowerBound, "oldest first")
        #expect(!out.contains(s.refs["morning"]!) && !out.contains(s.refs["massage"]!), "\(out)")
        let list = out.split(separator: "\n").drop { !$0.hasPrefix("Waiting for") }
        #expect(!list.contains { $0.hasPrefix(late) }, "the cancelled one itself is not waiting")
        #expect(out.contains("Book one: book REF physical_therapist_2 \(slot.joined(separator: " "))"))
        // waiting SLOT says the same, by the reference or by professional and time.
        let byReference = try desk(s, ["waiting", late]).stdout
        let byTime = try desk(s, ["waiting", "physical_therapist_2"] + slot).stdout
        for text in [byReference, byTime] {
            #expect(text.contains(s.refs["wait"]!) && text.contains(s.refs["asker"]!) && !text.contains(s.refs["morning"]!))
        }
        let nobody = try desk(s, ["waiting", "chiropractor_1"] + [slot[0], "09:00"])
        #expect(nobody.stdout.contains("Nobody waiting asked for Chiropractor 1"), "\(nobody.stdout)")
    }

    @Test("reminders as a table, JSON and CSV: booked visits of the day only; completed before the start needs --confirm")
    func remindersAndTiming() throws {
        let s = try seeded()
        // A Wednesday two days ahead or more, in the clinic's zone: its evening has 17:00 and 18:00.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago")!
        var date = calendar.date(byAdding: .day, value: 2, to: Date())!
        while calendar.component(.weekday, from: date) != 4 { date = calendar.date(byAdding: .day, value: 1, to: date)! }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        func book(_ key: String) throws {
            let listed = suggestions(try desk(s, ["slots", s.refs[key]!, day, "--days", "1"]).stdout)
            #expect(listed.first?.1.hasPrefix(day) == true, "\(listed)")
            #expect(try desk(s, ["book", s.refs[key]!, "1"]).status == 0)
        }
        // Booked that day, then cancelled: no reminder.
        try book("late")
        #expect(try desk(s, ["set", s.refs["late"]!, "cancelled"]).status == 0)
        try book("asker")
        try book("wait")
        let slots = suggestions(try desk(s, ["slots", s.refs["late"]!, day, "--days", "1"]).stdout)
        #expect(slots.isEmpty, "both evening slots are taken")

        let table = try desk(s, ["reminders", "--day", day])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("2 booked visits"), "\(table.stdout)")
        #expect(table.stdout.contains("Client asker") && table.stdout.contains("+1 555-010-0114"))
        #expect(!table.stdout.contains(s.refs["late"]!))

        let json = try desk(s, ["reminders", "--day", day, "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["reference"] as? String } == [s.refs["asker"]!, s.refs["wait"]!])
        #expect(rows[0]["date"] as? String == day && rows[0]["time"] as? String == "17:00")
        #expect(rows[1]["time"] as? String == "18:00")
        #expect((rows[0]["message"] as? String)?.hasPrefix("Riverside Massage & Physical Therapy: le recordamos su cita") == true,
                "the client chose Spanish")
        #expect((rows[1]["message"] as? String)?.contains("reminder of your visit with Physical therapist 2 on \(day)") == true)

        let csv = try desk(s, ["reminders", "--day", day, "--format", "csv"])
        let records = csv.stdout.components(separatedBy: "\r\n")
        #expect(records.last == "" && records.count == 4, "header, two rows, the final CRLF")
        #expect(records[0] == "reference,date,time,professional,name,phone,phone_digits,email,language,message")
        #expect(records[1].hasPrefix("\(s.refs["asker"]!),\(day),") && records[1].contains(",'+1 555-010-0114,15550100114,"))

        let early = try desk(s, ["set", s.refs["asker"]!, "completed"])
        #expect(early.status == 64 && early.stderr.contains("Add --confirm"), "\(early.stderr)")
        let noShow = try desk(s, ["set", s.refs["asker"]!, "no-show"])
        #expect(noShow.status == 64)
        #expect(try desk(s, ["show", s.refs["asker"]!]).stdout.contains("booked  created"))
        #expect(try desk(s, ["set", s.refs["asker"]!, "completed", "--confirm"]).status == 0)
        let after = try desk(s, ["reminders", "--day", day]).stdout
        #expect(after.contains("1 booked visit.") && !after.contains("Client asker"), "completed: no reminder")
    }

    @Test("stats: the events side by side beside the totals, in the table and JSON")
    func statsByEvent() throws {
        let s = try seeded()
        let store = try SQLiteKioskStore(path: s.db)
        for (n, event) in ["Spring fair", "Spring fair", "Open day", nil].enumerated() {
            try store.recordSessionStart(id: "s\(n)", at: Date(), event: event, language: "en")
            try store.saveAssessment(AssessmentRecord(id: "a\(n)", createdAt: Date(), event: event, language: "en", answers: [:],
                                                      level: .selfCare, outcome: nil, optionsShown: [], optionsLeftOut: []))
        }
        try store.close()
        let table = try KioskBinary.run(["stats", "--db", s.db], environment: s.environment)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        // The warning-sign rows in Content's words (messages.yaml: stats.emergency, stats.doctor_soon).
        #expect(lines.contains { $0.hasPrefix("  Emergency now") } && lines.contains { $0.hasPrefix("  See a doctor soon") })
        let start = try #require(lines.firstIndex(of: "Events"), "\(table.stdout)")
        #expect(lines[start + 1].contains("Sessions") && lines[start + 1].contains("Requests") && lines[start + 1].contains("Conversion"))
        #expect(lines[start + 2].hasPrefix("  Open day") && lines[start + 3].hasPrefix("  Spring fair"))
        #expect(lines[start + 4].hasPrefix("  (no event)") && lines[start + 4].hasSuffix("500.0%"), "5 requests, 1 finished session")
        #expect(lines[start + 5].hasPrefix("  All") && lines[start + 5].hasSuffix("125.0%"))
        let json = try KioskBinary.run(["stats", "--format", "json", "--db", s.db], environment: s.environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.map { $0["event"] as? String } == ["Open day", "Spring fair", nil])
        #expect(events[1]["sessions"] as? Int == 2 && events[1]["finishedSessions"] as? Int == 2)
    }

    @Test("show: a scale answer with the range Content sets; export: 1 follow-up written")
    func smallThings() throws {
        let s = try seeded()
        // The same content, with the daily-life question on a 1-5 scale.
        let content = KioskBinary.scratch().appendingPathComponent("Content")
        try FileManager.default.copyItem(atPath: KioskBinary.content, toPath: content.path)
        let questionnaire = content.appendingPathComponent("questionnaire.yaml")
        let text = try String(contentsOf: questionnaire, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "  - id: interference\n    kind: scale\n    min: 0\n    max: 10",
                                                with: "  - id: interference\n    kind: scale\n    min: 1\n    max: 5")
        #expect(changed != text)
        try changed.write(to: questionnaire, atomically: true, encoding: .utf8)
        let store = try SQLiteKioskStore(path: s.db)
        try store.saveAssessment(AssessmentRecord(id: "a0", createdAt: Date(), event: nil, language: "en",
                                                  answers: ["pain_now": .scale(6), "interference": .scale(4)],
                                                  level: .selfCare, outcome: nil, optionsShown: [], optionsLeftOut: []))
        try store.close()
        let show = try KioskBinary.run(["desk", "show", s.refs["wait"]!, "--db", s.db, "--content", content.path],
                                       environment: s.environment)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("right now? 6/10"), "\(show.stdout)")
        #expect(show.stdout.contains("time with others? 4 (1-5)"), "\(show.stdout)")

        let file = KioskBinary.scratch().appendingPathComponent("one.ics").path
        _ = try desk(s, ["slots", s.refs["wait"]!])
        #expect(try desk(s, ["book", s.refs["wait"]!, "1"]).status == 0)
        let export = try KioskBinary.run(["export", "ics", "--output", file, "--db", s.db], environment: s.environment)
        #expect(export.stderr == "kiosk: 1 follow-up written to \(file).\n")
        let ics = try String(contentsOfFile: file, encoding: .utf8)
        #expect(ics.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\n") && ics.contains("TRIGGER:-P1D\r\n"), "clinic.yaml: a day before")
    }

    @Test("TAB after book REF offers the numbers slots REF listed")
    func completion() throws {
        let s = try seeded()
        let asker = s.refs["asker"]!
        var environment = PTYProcess.inheritedEnvironment().merging(s.environment) { $1 }
        environment["KIOSK_CONTENT"] = KioskBinary.content
        let console = try PTYProcess(KioskBinary.path, arguments: ["desk", "--db", s.db], environment: environment)
        defer { console.terminate(); _ = console.waitExit() }
        try console.waitFor("desk>")
        console.send("slots \(asker)\r")
        try console.waitFor("(book \(asker) N)")
        console.send("book \(asker.prefix(3))\t")
        try console.waitFor("book \(asker)")
        console.send(" \t\t")
        let shown = try console.waitFor("physical_therapist_2")
        let offered = Set(shown.split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(offered.isSuperset(of: ["1", "2", "massage_1"]), "\(shown)")
    }
}
