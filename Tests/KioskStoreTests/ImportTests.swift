import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

/// 1 March 2025, 10:00 UTC: the day of the health fair in these tests.
private let fairDay: TimeInterval = 1_740_823_200

private func fair(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: fairDay + seconds) }

private func lead(_ name: String, phone: String? = nil, email: String? = nil, at seconds: TimeInterval = 0,
                  assessment: String = "A-\(UUID().uuidString)") -> FollowUpRequest {
    FollowUpRequest(assessmentID: assessment, createdAt: fair(seconds), event: "Spring Health Fair",
                    language: "en", name: name, phone: phone, email: email, discipline: "massage_therapist",
                    professional: nil, preferredTimes: ["weekday_morning"], consent: true,
                    afterMedicalClearance: false)
}

private func assessmentRecord(_ id: String, at seconds: TimeInterval = 0) -> AssessmentRecord {
    AssessmentRecord(id: id, createdAt: fair(seconds), event: "Spring Health Fair", language: "en",
                     answers: ["area": .choices(["neck"]), "intensity": .scale(5)], level: .selfCare,
                     outcome: nil, optionsShown: ["massage", "heat"], optionsLeftOut: [])
}

/// Every table's row count: "nothing imported" means these do not move.
private func counts(_ store: SQLiteKioskStore) throws -> [String: Int] {
    var result: [String: Int] = [:]
    for table in ["assessment", "session_start", "follow_up", "follow_up_event", "alert"] {
        result[table] = try store.rowCount(table)
    }
    return result
}

/// An event laptop's database: `leads` follow-ups (each with its assessment), a session
/// start per lead and one alert. Closed, as the laptop leaves it.
@discardableResult
private func eventFile(_ path: String, leads: [FollowUpRequest], code: (() -> String)? = nil,
                       alert: Bool = true) throws -> [String] {
    let store = try SQLiteKioskStore(path: path)
    var references: [String] = []
    for (index, lead) in leads.enumerated() {
        try store.recordSessionStart(id: "S-\(lead.assessmentID)", at: lead.createdAt.addingTimeInterval(-120),
                                     event: lead.event, language: "en")
        try store.saveAssessment(assessmentRecord(lead.assessmentID, at: Double(index) * 60))
        references.append(try store.saveFollowUp(lead, makeCode: code ?? randomCode))
    }
    if alert {
        try store.raiseAlert(Alert(assessmentID: "A-alert-\(UUID().uuidString)", createdAt: fair(900),
                                   level: .urgent, outcome: "emergency", event: "Spring Health Fair"))
    }
    try store.close()
    return references
}

@Suite("Importing an event database")
struct ImportTests {
    @Test("importing twice: the first adds everything with its audit trail, the second adds nothing")
    func importTwice() throws {
        let db = try TempDatabase("event.sqlite")
        let references = try eventFile(db.path, leads: [
            lead("Ana Pérez", phone: "555-010-0199", at: 0),
            lead("Sam Lee", email: "sam@example.org", at: 60),
        ])
        do {
            // A status move on the laptop: the audit trail comes along.
            let laptop = try SQLiteKioskStore(path: db.path)
            try laptop.setStatus(reference: references[1], to: .contacted, actor: "desk:eve", note: "called back",
                                 now: fair(3_600))
            try laptop.close()
        }
        let practice = try SQLiteKioskStore(path: db.dir.path("practice.sqlite"))

        let first = try practice.importDatabase(from: db.path, now: fair(86_400))
        #expect(first.source == "event.sqlite")
        #expect(first.sourceSchemaVersion == SQLiteKioskStore.schemaVersion)
        #expect(first.followUps == .init(added: 2))
        #expect(first.assessments == .init(added: 2))
        #expect(first.sessions == .init(added: 2))
        #expect(first.events == .init(added: 3))
        #expect(first.alerts == .init(added: 1))
        #expect(first.refusals.isEmpty && first.renamed.isEmpty && first.flagged.isEmpty)

        let sam = try #require(try practice.deskFollowUp(reference: references[1]))
        #expect(sam.followUp.request.name == "Sam Lee")
        #expect(sam.status == .contacted)
        #expect(sam.flag == nil)
        let history = try practice.history(reference: references[1])
        #expect(history.map(\.to) == [.requested, .contacted])
        #expect(history.last?.actor == "desk:eve" && history.last?.note == "called back")
        #expect(try practice.assessment(id: sam.followUp.request.assessmentID)?.answers["intensity"] == .scale(5))
        #expect(try practice.alerts(includeAcknowledged: true).count == 1)

        let before = try counts(practice)
        let second = try practice.importDatabase(from: db.path, now: fair(90_000))
        #expect(second.added == 0)
        #expect(second.followUps == .init(skipped: 2))
        #expect(second.assessments == .init(skipped: 2))
        #expect(second.sessions == .init(skipped: 2))
        #expect(second.events == .init(skipped: 3))
        #expect(second.alerts == .init(skipped: 1))
        #expect(second.refusals.isEmpty && second.renamed.isEmpty && second.flagged.isEmpty)
        #expect(try counts(practice) == before)
    }

    @Test("two laptops drew the same code for different clients: the second is renamed, both kept, the old code in its audit trail")
    func clashingReference() throws {
        let dir = try TempDir()
        let north = dir.path("north.sqlite"), south = dir.path("south.sqlite")
        try eventFile(north, leads: [lead("Ana Pérez", phone: "555-010-0199")], code: { "ABC-DEF" })
        try eventFile(south, leads: [lead("Bo Berg", email: "bo@example.org", at: 30)], code: { "ABC-DEF" })
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))

        let first = try practice.importDatabase(from: north, now: fair(86_400))
        #expect(first.followUps.added == 1 && first.renamed.isEmpty)
        let second = try practice.importDatabase(from: south, now: fair(86_460))
        #expect(second.followUps == .init(added: 1))
        #expect(second.refusals.isEmpty)
        let entry = try #require(second.renamed.first)
        #expect(second.renamed.count == 1)
        #expect(entry.hasPrefix("ABC-DEF -> "))
        let new = String(entry.dropFirst("ABC-DEF -> ".count))
        #expect(ReferenceCode.isValid(new) && new != "ABC-DEF")

        #expect(try practice.deskFollowUp(reference: "ABC-DEF")?.followUp.request.name == "Ana Pérez")
        let bo = try #require(try practice.deskFollowUp(reference: new))
        #expect(bo.followUp.request.name == "Bo Berg")
        #expect(bo.followUp.request.email == "bo@example.org")
        let history = try practice.history(reference: new)
        #expect(history.map(\.actor) == ["kiosk", "import"])
        #expect(history.first?.to == .requested)
        #expect(history.last?.note == "imported from south.sqlite as \(new), was ABC-DEF there")
        #expect(try practice.history(reference: "ABC-DEF").count == 1, "Ana's trail is untouched")

        // Again: recognised as the same request under its new code, not renamed a second time.
        let before = try counts(practice)
        let again = try practice.importDatabase(from: south, now: fair(90_000))
        #expect(again.followUps == .init(skipped: 1))
        #expect(again.renamed.isEmpty)
        #expect(try counts(practice) == before)
        #expect(try practice.followUps(status: nil, limit: 10).count == 2)
    }

    @Test("a request with the phone or email of one already here is flagged for the desk, never merged")
    func sameContactFlagged() throws {
        let dir = try TempDir()
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        let known = try practice.saveFollowUp(lead("Zoë Müller", phone: "+41 79 123 45 67", email: "Zoe@Example.org"),
                                              makeCode: randomCode)
        let other = try practice.saveFollowUp(lead("Kim Ode", email: "kim@example.org", at: 10), makeCode: randomCode)
        let event = dir.path("event.sqlite")
        let refs = try eventFile(event, leads: [
            lead("Zoe Mueller", phone: "(41) 79-123.45.67", at: 100),
            lead("K. Ode", email: "  KIM@example.ORG ", at: 200),
            lead("Z. M.", phone: "41 79 123 4567", email: "zoe@example.org", at: 300),
            lead("Someone Else", phone: "555-000-1111", email: "else@example.org", at: 400),
        ])

        let report = try practice.importDatabase(from: event, now: fair(86_400))
        #expect(report.followUps == .init(added: 4))
        #expect(report.flagged == Array(refs.prefix(3)))
        #expect(try practice.deskFollowUp(reference: refs[0])?.flag == "same phone as \(known)")
        #expect(try practice.deskFollowUp(reference: refs[1])?.flag == "same email as \(other)")
        #expect(try practice.deskFollowUp(reference: refs[2])?.flag == "same phone and email as \(known)")
        #expect(try practice.deskFollowUp(reference: refs[3])?.flag == nil)
        // Nothing merged: the existing requests are as they were, the new ones beside them.
        #expect(try practice.followUps(status: nil, limit: 10).count == 6)
        let zoe = try #require(try practice.deskFollowUp(reference: known))
        #expect(zoe.followUp.request.name == "Zoë Müller" && zoe.flag == nil)
        #expect(try practice.deskFollowUp(reference: refs[0])?.followUp.request.name == "Zoe Mueller")
    }

    @Test("rows that do not fit are refused one by one, with a reason; the rest is imported")
    func rowRefusals() throws {
        let dir = try TempDir()
        let event = dir.path("event.sqlite")
        let refs = try eventFile(event, leads: [lead("Ana", phone: "555-010-0199"), lead("Purged", phone: "555-010-0000", at: 60)])
        do {
            let laptop = try SQLiteKioskStore(path: event)
            try laptop.executeForTesting("UPDATE follow_up SET name = '', phone = NULL, email = NULL WHERE reference = '\(refs[1])'")
            try laptop.executeForTesting("UPDATE assessment SET level = 'mystery' WHERE id = (SELECT assessment_id FROM follow_up WHERE reference = '\(refs[0])')")
            try laptop.close()
        }
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        let report = try practice.importDatabase(from: event, now: fair(86_400))
        #expect(report.followUps == .init(added: 1, refused: 1))
        #expect(report.events == .init(added: 1, refused: 1))
        #expect(report.assessments == .init(added: 1, refused: 1))
        #expect(report.refusals.count == 2)
        #expect(report.refusals.contains("follow-up \(refs[1]): has no name, phone or email (nothing to follow up)"))
        #expect(report.refusals.contains { $0.hasPrefix("assessment ") && $0.hasSuffix("unknown triage level 'mystery'") })
        #expect(try practice.deskFollowUp(reference: refs[0]) != nil)
        #expect(try practice.deskFollowUp(reference: refs[1]) == nil)
    }

    @Test("a booked request whose slot is taken here is refused, not double-booked")
    func bookedSlotTaken() throws {
        let dir = try TempDir()
        let slot = Appointment(professional: "massage_1", start: fair(7 * 86_400), end: fair(7 * 86_400 + 1_800))
        let event = dir.path("event.sqlite")
        let refs = try eventFile(event, leads: [lead("Ana", phone: "555-010-0199")])
        do {
            let laptop = try SQLiteKioskStore(path: event)
            try laptop.book(reference: refs[0], appointment: slot, actor: "desk:eve", note: nil, now: fair(3_600))
            try laptop.close()
        }
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        let holder = try practice.saveFollowUp(lead("Bo", phone: "555-010-0123", at: -3_600), makeCode: randomCode)
        try practice.book(reference: holder, appointment: slot, actor: "desk:max", note: nil, now: fair(1_800))

        let report = try practice.importDatabase(from: event, now: fair(86_400))
        #expect(report.followUps == .init(refused: 1))
        #expect(report.refusals.count == 1)
        #expect(report.refusals.first?.contains("a slot \(holder) holds here") == true)
        #expect(try practice.appointments(professional: "massage_1", from: fair(0), until: fair(30 * 86_400)).count == 1)
    }

    @Test("all or nothing: a failure half-way leaves the practice database as it was")
    func allOrNothing() throws {
        let dir = try TempDir()
        let event = dir.path("event.sqlite")
        try eventFile(event, leads: [lead("Ana", phone: "555-010-0199"), lead("Bo", phone: "555-010-0123", at: 60)],
                      code: nil)
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        let laptopCodes = try SQLiteKioskStore(path: event).followUps(status: nil, limit: 10).map(\.reference)
        // The practice already holds the laptop's first code for another client, and every
        // new code drawn is taken too: the import gives up after assessments were copied.
        let taken = try practice.saveFollowUp(lead("Other", phone: "555-999-0000", at: -100),
                                              makeCode: { laptopCodes[1] })
        let before = try counts(practice)
        #expect(throws: StoreError.noFreeReference(attempts: ReferenceCode.maxAttempts)) {
            _ = try practice.importDatabase(from: event, now: fair(86_400), makeCode: { taken })
        }
        #expect(try counts(practice) == before)
    }

    @Test("a file that cannot be imported is refused with a clear error, and nothing is imported",
          arguments: ["missing", "garbage", "empty", "not a kiosk database", "damaged", "newer schema", "folder"])
    func refusedFiles(_ kind: String) throws {
        let dir = try TempDir()
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        try practice.saveAssessment(assessmentRecord("A-existing"))
        _ = try practice.saveFollowUp(lead("Existing", phone: "555-010-0101"), makeCode: randomCode)
        let before = try counts(practice)

        let path = dir.path("incoming.sqlite")
        var expected = ""
        switch kind {
        case "missing":
            expected = "does not exist"
        case "garbage":
            try Data(String(repeating: "name,phone\nAna,555\n", count: 300).utf8).write(to: URL(fileURLWithPath: path))
            expected = "not a SQLite database"
        case "empty":
            try Data().write(to: URL(fileURLWithPath: path))
            expected = "not a kiosk database"
        case "not a kiosk database":
            let other = try SQLiteKioskStore(path: path)
            try other.executeForTesting("""
                DROP TABLE follow_up_event; DROP TABLE follow_up; DROP TABLE assessment; DROP TABLE alert;
                DROP TABLE staff_lock; DROP TABLE session_start; DROP TABLE grdb_migrations;
                CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipe (name) VALUES ('soup');
                PRAGMA user_version = 0;
                """)
            try other.close()
            expected = "not a kiosk database"
        case "damaged":
            try eventFile(path, leads: (0..<40).map { lead("Client \($0)", phone: "555-010-\(1000 + $0)", at: Double($0)) })
            // Everything into the main file first, so that damaging it damages the data.
            let laptop = try SQLiteKioskStore(path: path)
            try laptop.executeForTesting("PRAGMA wal_checkpoint(TRUNCATE)")
            try laptop.close()
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 4_096 * 2)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 4_096 * 4))
            try handle.close()
            expected = "damaged"
        case "newer schema":
            try eventFile(path, leads: [lead("Ana", phone: "555-010-0199")])
            let newer = try SQLiteKioskStore(path: path)
            try newer.executeForTesting("PRAGMA user_version = 99")
            try newer.close()
        case "folder":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            expected = "is a folder"
        default:
            Issue.record("unknown case \(kind)")
        }

        do {
            _ = try practice.importDatabase(from: path, now: fair(86_400))
            Issue.record("imported \(kind)")
        } catch {
            switch error {
            case let .io(reason):
                #expect(reason.contains(expected), "\(kind): \(reason)")
                #expect(!error.description.contains("\n"))
            case let .newerSchema(found, known):
                #expect(kind == "newer schema")
                #expect(found == 99 && known == SQLiteKioskStore.schemaVersion)
            default:
                Issue.record("\(kind): unexpected \(error)")
            }
        }
        #expect(throws: StoreError.self) { try SQLiteKioskStore.checkImportSource(path: path) }
        #expect(try counts(practice) == before)
    }

    @Test("the event laptop's file is only read: its bytes and modification time stay the same")
    func sourceUnchanged() throws {
        let dir = try TempDir()
        let event = dir.path("event.sqlite")
        try eventFile(event, leads: [lead("Ana", phone: "555-010-0199"), lead("Bo", email: "bo@example.org", at: 60)])
        // The laptop's data may still be in its -wal file: that must not change either.
        // (SQLite may leave an empty -wal beside a file it opened read-only: same as none.)
        func contents() -> [Data] {
            [event, event + "-wal"].map { (try? Data(contentsOf: URL(fileURLWithPath: $0))) ?? Data() }
        }
        let bytes = contents()
        #expect(!bytes[0].isEmpty)
        let modified = try FileManager.default.attributesOfItem(atPath: event)[.modificationDate] as? Date
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        #expect(try practice.importDatabase(from: event, now: fair(86_400)).followUps.added == 2)
        #expect(try practice.importDatabase(from: event, now: fair(86_500)).followUps.skipped == 2)
        #expect(try SQLiteKioskStore.checkImportSource(path: event) == SQLiteKioskStore.schemaVersion)
        #expect(contents() == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: event)[.modificationDate] as? Date == modified)
    }

    @Test("a file from an older kiosk (schema 2: no session_start, booked_start or flag) imports")
    func olderSchema() throws {
        let dir = try TempDir()
        let event = dir.path("old.sqlite")
        let refs = try eventFile(event, leads: [lead("Ana", phone: "555-010-0199")])
        do {
            let laptop = try SQLiteKioskStore(path: event)
            try laptop.executeForTesting("""
                DROP TABLE session_start;
                DROP INDEX follow_up_booked_slot; DROP INDEX follow_up_by_event; DROP INDEX follow_up_professional;
                DROP INDEX follow_up_booked_professional; DROP INDEX assessment_event;
                ALTER TABLE follow_up DROP COLUMN flag;
                ALTER TABLE follow_up DROP COLUMN booked_end;
                ALTER TABLE follow_up DROP COLUMN booked_start;
                DELETE FROM grdb_migrations WHERE identifier IN ('v3-desk', 'v4-events');
                PRAGMA user_version = 2;
                """)
            try laptop.close()
        }
        let practice = try SQLiteKioskStore(path: dir.path("practice.sqlite"))
        let report = try practice.importDatabase(from: event, now: fair(86_400))
        #expect(report.sourceSchemaVersion == 2)
        #expect(report.followUps == .init(added: 1))
        #expect(report.sessions == .init())
        #expect(report.assessments == .init(added: 1))
        let ana = try #require(try practice.deskFollowUp(reference: refs[0]))
        #expect(ana.followUp.request.phone == "555-010-0199")
        #expect(ana.appointment == nil && ana.flag == nil)
    }

    @Test("importing while another program writes to the practice database: nothing lost, counts add up")
    func concurrentWriter() throws {
        let dir = try TempDir()
        let event = dir.path("event.sqlite")
        let leads = (0..<60).map { lead("Fair client \($0)", phone: "555-020-\(1000 + $0)", at: Double($0) * 30) }
        try eventFile(event, leads: leads, alert: false)
        let path = dir.path("practice.sqlite")
        let practice = try SQLiteKioskStore(path: path)
        let desk = try SQLiteKioskStore(path: path)
        let log = Collected<String>()
        let writes = 120
        let done = DispatchSemaphore(value: 0)
        let writer = Thread {
            for n in 0..<writes {
                do {
                    log.add(try desk.saveFollowUp(lead("Walk-in \(n)", phone: "555-030-\(1000 + n)", at: 10_000 + Double(n)),
                                                  makeCode: randomCode))
                } catch {
                    log.fail(error)
                }
            }
            done.signal()
        }
        writer.start()
        var reports: [ImportReport] = []
        for round in 0..<3 {
            reports.append(try practice.importDatabase(from: event, now: fair(86_400 + Double(round))))
        }
        done.wait()

        let (codes, errors) = log.take()
        #expect(errors.isEmpty, "\(errors)")
        #expect(codes.count == writes)
        #expect(reports[0].followUps.added == 60 && reports[0].followUps.refused == 0)
        #expect(reports.dropFirst().allSatisfy { $0.followUps == .init(skipped: 60) })
        #expect(try practice.rowCount("follow_up") == 60 + writes)
        #expect(try practice.rowCount("follow_up_event") == 60 + writes)
        #expect(try practice.rowCount("assessment") == 60)
        #expect(try practice.rowCount("session_start") == 60)
        for code in codes { #expect(try practice.deskFollowUp(reference: code) != nil) }
    }
}

@Suite("Closing the store")
struct CloseTests {
    @Test("after close, the .sqlite file alone holds every request (the -wal can be left behind)")
    func closeCheckpoints() throws {
        let db = try TempDatabase("event.sqlite")
        let store = try SQLiteKioskStore(path: db.path)
        var generator = SystemRandomNumberGenerator()
        let request = FollowUpRequest(assessmentID: "a", createdAt: Date(), event: "Fair", language: "en", name: "Sam",
                                      phone: "555-010-0100", email: nil, discipline: nil, professional: nil,
                                      preferredTimes: [], consent: true, afterMedicalClearance: false)
        let code = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
        try store.close()
        // Copy only the main file, as staff might from a laptop.
        let copy = db.dir.path("copy.sqlite")
        try FileManager.default.copyItem(atPath: db.path, toPath: copy)
        #expect(try SQLiteKioskStore(path: copy).followUp(reference: code) != nil)
    }
}
