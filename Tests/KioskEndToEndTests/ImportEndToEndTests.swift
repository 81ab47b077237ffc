import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

/// `kiosk import`: a health fair's leads brought home into the practice's database.
@Suite("kiosk import", .serialized)
struct ImportEndToEndTests {
    @Test("a piped event session, imported: 1 follow-up added, listed at the desk; again: skipped")
    func eventRoundTrip() throws {
        let dir = KioskBinary.scratch()
        let event = dir.appendingPathComponent("event.sqlite").path
        let practice = dir.appendingPathComponent("practice.sqlite").path
        let session = try KioskBinary.run(["run", "--event", "Spring Health Fair", "--db", event], input: Script.piped)
        #expect(session.status == 0, "stderr: \(session.stderr)")
        let reference = try #require(try SQLiteKioskStore(path: event).followUps(status: nil, limit: 10).first?.reference)

        let first = try KioskBinary.run(["import", event, "--db", practice])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let followUps = try #require(first.stdout.split(separator: "\n").first { $0.contains("Follow-ups:") })
        #expect(followUps.contains("1 added"), "\(first.stdout)")
        #expect(followUps.contains("0 skipped"))
        #expect(!first.stdout.contains("Refused"))

        let list = try KioskBinary.run(["desk", "list", "--event", "Spring Health Fair", "--db", practice])
        #expect(list.status == 0, "stderr: \(list.stderr)")
        #expect(list.stdout.contains(reference))
        #expect(list.stdout.contains("Ana María Pérez"))

        let again = try KioskBinary.run(["import", event, "--db", practice])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        let skipped = try #require(again.stdout.split(separator: "\n").first { $0.contains("Follow-ups:") })
        #expect(skipped.contains("0 added") && skipped.contains("1 skipped"), "\(again.stdout)")
        #expect(again.stdout.contains("Nothing new"))
        #expect(try SQLiteKioskStore(path: practice).followUps(status: nil, limit: 10).count == 1)
    }

    @Test("a lead from a second laptop with the phone of one already here is imported and flagged")
    func sameClientTwice() throws {
        let dir = KioskBinary.scratch()
        let practice = dir.appendingPathComponent("practice.sqlite").path
        var references: [String] = []
        for laptop in ["north.sqlite", "south.sqlite"] {
            let event = dir.appendingPathComponent(laptop).path
            #expect(try KioskBinary.run(["run", "--db", event], input: Script.piped).status == 0)
            references.append(try #require(try SQLiteKioskStore(path: event).followUps(status: nil, limit: 1).first?.reference))
            let result = try KioskBinary.run(["import", event, "--db", practice])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            if laptop == "south.sqlite" {
                #expect(result.stdout.contains("Flagged for the desk"))
                #expect(result.stdout.contains("\(references[1]): same phone as \(references[0])"), "\(result.stdout)")
            }
        }
        let both = try SQLiteKioskStore(path: practice).followUps(status: nil, limit: 10)
        #expect(both.count == 2, "flagged, not merged")
    }

    @Test("a missing file: exit 66; a text file: exit 65, one clear line, no practice database made")
    func badFiles() throws {
        let dir = KioskBinary.scratch()
        let practice = dir.appendingPathComponent("practice.sqlite").path

        let missing = try KioskBinary.run(["import", "/nonexistent", "--db", practice])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("does not exist"))
        #expect(missing.stderr.split(separator: "\n").count == 1)

        let text = dir.appendingPathComponent("leads.txt")
        try Data("name,phone\nAna,555-010-0199\n".utf8).write(to: text)
        let notDatabase = try KioskBinary.run(["import", text.path, "--db", practice])
        #expect(notDatabase.status == 65)
        #expect(notDatabase.stderr.contains("not a SQLite database"))
        #expect(notDatabase.stderr.split(separator: "\n").count == 1)
        #expect(notDatabase.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: practice), "the source is checked before the practice database is opened")
    }

    @Test("a newer kiosk's file: exit 65; the practice database itself: exit 64")
    func notImportable() throws {
        let dir = KioskBinary.scratch()
        let practice = dir.appendingPathComponent("practice.sqlite").path
        let event = dir.appendingPathComponent("event.sqlite").path
        #expect(try KioskBinary.run(["run", "--db", event], input: Script.piped).status == 0)
        // A copy that claims a newer schema (user_version is at byte 60 of the file header).
        let newer = dir.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: event, toPath: newer)
        var header = try Data(contentsOf: URL(fileURLWithPath: newer))
        header.replaceSubrange(60..<64, with: [0, 0, 0, 99])
        try header.write(to: URL(fileURLWithPath: newer))

        let result = try KioskBinary.run(["import", newer, "--db", practice])
        #expect(result.status == 65, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("newer kiosk"))
        #expect(result.stderr.split(separator: "\n").count == 1)

        let same = try KioskBinary.run(["import", event, "--db", event])
        #expect(same.status == 64)
        #expect(same.stderr.contains("the database it would be imported into"))
    }
}
