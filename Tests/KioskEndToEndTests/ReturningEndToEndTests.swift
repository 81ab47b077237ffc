import Foundation
import KioskTestSupport
import KioskCore
@testable import KioskStore
import Testing

/// A client who books once, keeps the code, and comes back with it and the last 4 digits of
/// their phone; then the desk and the numbers; the lock on wrong pairs across restarts.
@Suite("Returning clients, end to end", .serialized)
struct ReturningEndToEndTests {
    /// The lines of a second visit: the code, the factor, consent, the questionnaire again
    /// (warning signs first) with pain `pain`, then no visit.
    static func comeBack(_ code: String, factor: String, consent: String = "yes", pain: String = "2") -> [String] {
        var questionnaire = Array(Script.questionnaire.dropFirst())
        questionnaire[7] = pain                        // pain now (was 5); interference stays 4
        return ["I have been here before", code, factor, consent] + questionnaire + ["no", ""]
    }

    /// A database with one booked visit; its code.
    static func booked() throws -> (db: String, code: String) {
        let db = KioskBinary.database()
        let first = try KioskBinary.run(["run", "--db", db],
                                        input: Script.piped)
        #expect(first.status == 0, "\(first.stderr)")
        let code = try #require(try SQLiteKioskStore(path: db).followUps(status: nil, limit: 1).first?.reference)
        return (db, code)
    }

    @Test("book once, come back with the code and the phone's last 4 digits: warning signs first, then the change since last time; nothing else of the first visit")
    func comesBack() throws {
        let (db, code) = try Self.booked()
        let again = try KioskBinary.run(["run", "--db", db], input: Script.pipe(Self.comeBack(code.lowercased().replacingOccurrences(of: "-", with: ""),
                                                                                   factor: "0199")))
        #expect(again.status == 0, "\(again.stderr)")
        let out = again.stdout
        let consent = try #require(out.range(of: "May we keep this visit with your earlier one"))
        let warnings = try #require(out.range(of: "Do you have any of these right now?", range: consent.upperBound..<out.endIndex))
        let panel = try #require(out.range(of: "Since last time (Farrar 2001, Pain):"))
        #expect(warnings.lowerBound < panel.lowerBound, "the warning signs come first")
        #expect(out.contains("Pain now: 5 → 2, down 3 points (60%): a change most people notice."))
        #expect(out.contains("Daily life: 4 → 4, no change."))
        for earlier in ["Ana María Pérez", "555-010-0199", "Your answer before"] {
            #expect(!out.contains(earlier), "a returning client never sees \(earlier)")
        }
        // The new visit is linked to the follow-up (consent), and the desk sees both.
        let show = try KioskBinary.run(["desk", "show", code, "--db", db])
        #expect(show.status == 0)
        #expect(show.stdout.contains("Visits kept with this request (2; the first is the request's own):"), "\(show.stdout)")
        #expect(show.stdout.contains("Pain now 5  Daily life 4"))
        #expect(show.stdout.contains("since the first: Pain now -3, a change people notice: better; Daily life 0"))
        let list = try KioskBinary.run(["desk", "list", "--db", db])
        #expect(list.stdout.contains("PAIN") && list.stdout.contains("5→2 -3"), "\(list.stdout)")
        let json = try KioskBinary.run(["desk", "list", "--format", "json", "--db", db])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["painChange"] as? Int == -3 && rows.first?["painChangeNoticed"] as? String == "better")
        let find = try KioskBinary.run(["desk", "find", "Ana", "--db", db])
        #expect(find.stdout.contains("5→2 -3"))
        let stats = try KioskBinary.run(["stats", "--format", "json", "--db", db])
        let numbers = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        let returning = try #require(numbers["returning"] as? [String: Any])
        #expect(returning["returningClients"] as? Int == 1 && returning["medianPainChange"] as? Double == -3)
        #expect(returning["better"] as? Int == 1 && returning["betterShare"] as? Double == 1)
        #expect(numbers["sessions"] as? Int == 2, "the practice's numbers are still there")
        let table = try KioskBinary.run(["stats", "--db", db])
        #expect(table.stdout.contains("Returning clients       1"))
        #expect(table.stdout.contains("better 1 (100.0%), unchanged 0 (0.0%), worse 0 (0.0%)"))
    }

    @Test("without consent, the visit stays anonymous: shown the change, but nothing is linked")
    func noConsent() throws {
        let (db, code) = try Self.booked()
        let again = try KioskBinary.run(["run", "--db", db],
                                        input: Script.pipe(Self.comeBack(code, factor: "0199", consent: "no")))
        #expect(again.stdout.contains("Pain now: 5 → 2"))
        let show = try KioskBinary.run(["desk", "show", code, "--db", db])
        #expect(!show.stdout.contains("Visits kept"))
        let stats = try KioskBinary.run(["stats", "--format", "json", "--db", db])
        #expect(stats.stdout.contains("\"returningClients\" : 0"))
    }

    @Test("a good code with wrong digits and a made-up code get the same screen; the fifth wrong pair locks, and a restart keeps the lock; the desk sees it")
    func wrongPairsAndLock() throws {
        let (db, code) = try Self.booked()
        let wrongDigits = try KioskBinary.run(["run", "--db", db], input: "been here before\n\(code)\n0198\n")
        let madeUp = try KioskBinary.run(["run", "--db", db], input: "been here before\nZZZ-ZZZ\n0199\n")
        #expect(wrongDigits.stdout.contains("do not match what we have"))
        #expect(wrongDigits.stdout == madeUp.stdout, "the same words whatever was wrong")
        // Three more wrong pairs (five in a row at this kiosk): the fifth locks.
        let tries = Array(repeating: ["ZZZ-ZZZ", "0000"], count: 3).flatMap { $0 }
        let locking = try KioskBinary.run(["run", "--db", db], input: Script.pipe(["i have a code"] + tries))
        #expect(locking.stdout.contains("There have been too many tries here."))
        // A new process (a restart): the right pair is refused, the lock holds.
        let after = try KioskBinary.run(["run", "--db", db], input: "i have a code\n\(code)\n0199\n")
        #expect(after.stdout.contains("There have been too many tries here."))
        #expect(!after.stdout.contains("Welcome back"))
        let desk = try KioskBinary.run(["desk", "returning", "--db", db])
        #expect(desk.stdout.contains("5 wrong tries in a row (5 in all)"), "\(desk.stdout)")
        #expect(desk.stdout.contains("locked until"))
        let console = try KioskBinary.run(["desk", "--db", db], input: "quit\n")
        #expect(console.stdout.contains("!! Returning clients:"), "\(console.stdout)")
    }

    @Test("Spanish words at the welcome lead back in Spanish")
    func spanish() throws {
        let (db, code) = try Self.booked()
        let again = try KioskBinary.run(["run", "--db", db], input: "ya vine antes\n\(code)\n0199\nsí\n")
        #expect(again.stdout.contains("Por favor, escriba su código de referencia."))
        #expect(again.stdout.contains("¿Podemos guardar esta visita junto con la anterior"))
    }

    @Test("purge: a purged follow-up cannot be used to come back, and its visits are unlinked")
    func purged() throws {
        let (db, code) = try Self.booked()
        _ = try KioskBinary.run(["run", "--db", db], input: Script.pipe(Self.comeBack(code, factor: "0199")))
        #expect(try KioskBinary.run(["desk", "set", code, "cancelled", "--db", db]).status == 0)
        // The request is two days old.
        try SQLiteKioskStore(path: db).executeForTesting("""
            UPDATE follow_up SET created_at = '\(StoredDate.text(Date().addingTimeInterval(-2 * 86_400)))'
            """)
        let purge = try KioskBinary.run(["purge", "--older-than", "1", "--yes", "--db", db])
        #expect(purge.status == 0, "\(purge.stdout) \(purge.stderr)")
        let show = try KioskBinary.run(["desk", "show", code, "--db", db])
        #expect(!show.stdout.contains("Visits kept"))
        let again = try KioskBinary.run(["run", "--db", db], input: "i have a code\n\(code)\n0199\n")
        #expect(again.stdout.contains("do not match what we have"))
    }
}
