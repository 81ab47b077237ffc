import Foundation
import KioskTestSupport
import KioskCore
import KioskStore
import Testing

/// The directory as a client meets it (a referral to a partner, in Spanish, in a real
/// terminal) and as the desk does (list --referrals, pass, stats, export, kiosk directory).
@Suite("The directory: referrals and local care", .serialized)
struct DirectoryEndToEndTests {
    /// A Spanish session in a terminal that ends in a referral to a Spanish-speaking partner
    /// chiropractor (the practice's own chiropractor speaks English only). Returns the database.
    func spanishReferral() throws -> (db: String, screen: String) {
        let db = KioskBinary.database()
        let kiosk = try KioskBinary.terminal(db)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Español")
        kiosk.send("2\r")
        _ = try kiosk.waitFor("¿Tiene alguno de estos ahora mismo?")
        for _ in 0..<4 { kiosk.send("ninguno\r") }
        _ = try kiosk.waitFor("¿Dónde le duele más?")
        kiosk.send("cuello\r")
        for answer in Script.questionnaire.dropFirst(6) { kiosk.send(answer + "\r") }
        _ = try kiosk.waitFor("cita para pedir una visita")
        kiosk.send("cita\r")
        let kinds = try kiosk.waitFor("Alguien que hable español")
        #expect(kinds.contains("Médico ortopedista"))
        kiosk.send("Quiropráctico\r")
        _ = try kiosk.waitFor("¿Qué horario le conviene?")
        kiosk.send("1, 2\r")
        let offer = try kiosk.waitFor("Que la recepción elija por mí")
        #expect(offer.contains("1. Chiropractor 1 (Quiropráctico; English)"))
        #expect(offer.contains("Partner chiropractor 1 (Quiropráctico; Español, English; fuera de nuestra clínica)"))
        #expect(!offer.contains("Partner chiropractor 2"), "takes no new clients")
        kiosk.send("2\r")
        _ = try kiosk.waitFor("¿Cómo se llama?")
        kiosk.send("María José Núñez\r")
        kiosk.send("555-010-0142\r")
        _ = try kiosk.waitFor("Partner chiropractor 1, para")
        kiosk.send("1\r")
        let saved = try kiosk.waitFor("Le contactarán para fijar una hora", timeout: 10)
        kiosk.send("\r")
        _ = try kiosk.waitFor("Press Enter to start", timeout: 5)
        return (db, saved)
    }

    @Test("a Spanish session in a terminal ends in a referral to a Spanish-speaking partner, with its phone and address")
    func spanishSessionEndsInReferral() throws {
        let (db, saved) = try spanishReferral()
        let summary = stripANSI(saved)
        #expect(summary.contains("Le referimos fuera de nuestra clínica:"))
        #expect(summary.contains("pasará"))
        #expect(summary.contains("Partner chiropractor 1 (Quiropráctico). Teléfono: (217) 555-0161."))
        #expect(summary.contains("400 Oak Street"))
        let store = try SQLiteKioskStore(path: db)
        let request = try #require(try store.followUps(status: nil, limit: 5).first).request
        #expect(request.referral && request.passOnConsent && request.consent)
        #expect(request.professional == "partner_chiropractor_1" && request.discipline == "chiropractor")
        #expect(request.language == "es" && request.name == "María José Núñez")
        #expect(summary.contains(try #require(try store.followUps(status: nil, limit: 1).first).reference))
    }

    @Test("the desk: referrals listed apart, passed on once, counted by partner, exported with the partner's name")
    func deskHandlesReferral() throws {
        let (db, _) = try spanishReferral()
        let store = try SQLiteKioskStore(path: db)
        let reference = try #require(try store.followUps(status: nil, limit: 1).first).reference
        // One request to the practice too.
        _ = try store.saveFollowUp(FollowUpRequest(
            assessmentID: "own", createdAt: Date(), event: nil, language: "en", name: "Sam Lee", phone: "555-010-0150",
            email: nil, discipline: "massage_therapist", professional: nil, preferredTimes: [], consent: true,
            afterMedicalClearance: false)) { "KWN-222" }

        let own = try KioskBinary.run(["desk", "list", "--db", db])
        #expect(own.stdout.contains("Sam Lee") && !own.stdout.contains("Núñez"))
        let referrals = try KioskBinary.run(["desk", "list", "--referrals", "--db", db])
        #expect(referrals.stdout.contains("María José Núñez") && referrals.stdout.contains("Partner chiropractor 1 [referral]"))
        #expect(!referrals.stdout.contains("Sam Lee"))
        let show = try KioskBinary.run(["desk", "show", reference, "--db", db]).stdout
        #expect(show.contains("Referral: to a partner outside the practice: (217) 555-0161, 400 Oak Street"))
        #expect(show.contains("pass \(reference)"))

        let notReferral = try KioskBinary.run(["desk", "pass", "KWN-222", "--db", db])
        #expect(notReferral.status == 64 && notReferral.stderr.contains("not a referral"))
        let pass = try KioskBinary.run(["desk", "pass", reference, "--db", db])
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("passed on to Partner chiropractor 1 ((217) 555-0161)"))
        let again = try KioskBinary.run(["desk", "pass", reference, "--db", db])
        #expect(again.status == 64 && again.stderr.contains("already passed on"))
        #expect(try store.history(reference: reference).last?.note == "passed on to Partner chiropractor 1 ((217) 555-0161)")

        let stats = try KioskBinary.run(["stats", "--format", "json", "--db", db])
        let numbers = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(numbers["referrals"] as? Int == 1 && numbers["referralsPassedOn"] as? Int == 1)
        #expect(numbers["referralsByPartner"] as? [String: Int] == ["partner_chiropractor_1": 1])
        #expect(numbers["referralsByDiscipline"] as? [String: Int] == ["chiropractor": 1])
        let table = try KioskBinary.run(["stats", "--db", db]).stdout
        #expect(table.contains("Referrals, by partner") && table.contains("Partner chiropractor 1"))

        let csv = try KioskBinary.run(["export", "csv", "--db", db]).stdout
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first?.hasSuffix(",notes,partner") == true)
        #expect(lines.contains { $0.hasPrefix(reference) && $0.hasSuffix(",Partner chiropractor 1") })
        #expect(lines.contains { $0.hasPrefix("KWN-222") && $0.hasSuffix(",") })
    }

    @Test("kiosk directory: filtered by kind and language, open now by the given time, as a table and as JSON")
    func directoryCommand() throws {
        let night = try KioskBinary.run(["directory", "--at", "2026-12-01 23:00"])
        #expect(night.status == 0, "\(night.stderr)")
        #expect(night.stdout.contains("Partners outside the practice"))
        #expect(night.stdout.contains("Emergency department 1 (emergency_department_1): emergency department; open now, all hours"))
        #expect(night.stdout.contains("Urgent care clinic 1 (urgent_care_1): urgent care; closed now, opens Wed 2026-12-02 08:00"))

        let spanish = try KioskBinary.run(["directory", "--discipline", "Quiropráctico", "--language", "Español",
                                           "--format", "json", "--at", "2026-12-01 10:00"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(spanish.stdout.utf8)) as? [String: Any])
        #expect((json["partners"] as? [[String: Any]])?.map { $0["id"] as? String } == ["partner_chiropractor_1"])
        #expect((json["professionals"] as? [[String: Any]])?.isEmpty == true, "Chiropractor 1 speaks English only")
        #expect((json["medicalCare"] as? [[String: Any]])?.isEmpty == true)

        let care = try KioskBinary.run(["directory", "--format", "json", "--at", "2026-12-01 10:00"])
        let places = try #require((try JSONSerialization.jsonObject(with: Data(care.stdout.utf8)) as? [String: Any])?["medicalCare"]
            as? [[String: Any]])
        #expect(places.allSatisfy { $0["openNow"] as? Bool == true })
        #expect(places.first { $0["id"] as? String == "urgent_care_1" }?["until"] as? String == "2026-12-01T22:00:00-06:00")

        let unknown = try KioskBinary.run(["directory", "--discipline", "chiroprator"])
        #expect(unknown.status == 64 && unknown.stderr.contains("Did you mean chiropractor?"))
    }

    @Test("an emergency names the emergency department, open all day, after the call to 911")
    func emergencyNamesTheDepartment() throws {
        let db = KioskBinary.database()
        let piped = try KioskBinary.run(["run", "--db", db], input: "\n1\n\n")
        #expect(piped.status == 0)
        let screen = piped.stdout
        let call = try #require(screen.range(of: "911"))
        let place = try #require(screen.range(of: "Emergency department 1 (emergency department): open all day, every day."))
        #expect(call.lowerBound < place.lowerBound)
        #expect(screen.contains("Phone: (217) 555-0173"))
    }
}
