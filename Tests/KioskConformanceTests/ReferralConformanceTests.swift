import Foundation
import KioskCore
import KioskPostgres
import KioskTestSupport
@testable import KioskStore
import Testing

/// A referral (a follow-up to a partner outside the practice, with consent to pass the
/// contact on) is an ordinary follow-up on both stores: listed apart, counted, passed on,
/// purged, exported and imported like the rest.
@Suite("Referrals on both stores")
struct ReferralConformanceTests {
    /// A partner of the directory, for the export's names.
    static let clinic = Clinic(
        name: "Test Clinic", address: "1 Main St", phone: "555-0100", timeZone: "America/Chicago", languages: ["en", "es"],
        disciplines: [Discipline(id: "chiropractor", label: LocalizedText(en: "Chiropractor"))],
        professionals: [Professional(id: "physio_1", name: "Physical therapist 1", discipline: "physio", languages: ["en"])],
        partners: [Partner(id: "partner_chiropractor_1", name: "Partner chiropractor 1", discipline: "chiropractor",
                           languages: ["es"], address: "400 Oak Street", phone: "(217) 555-0161", hours: [:], newClients: true)])

    func referral(name: String = "María José Núñez", at seconds: TimeInterval = 1_740_000_000) -> FollowUpRequest {
        var asked = request(name: name, at: seconds)
        asked.language = "es"
        asked.discipline = "chiropractor"
        asked.professional = "partner_chiropractor_1"
        asked.referral = true
        asked.passOnConsent = true
        return asked
    }

    @Test("stored with its flag and consent, listed apart from the practice's own, counted by partner and discipline",
          arguments: StoreKind.available)
    func listedAndCounted(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let kiosk = try db.open()
        let asked = referral()
        let code = try kiosk.saveFollowUp(asked, makeCode: randomCode)
        let own = try kiosk.saveFollowUp(request(name: "Own client", at: 1_740_000_100), makeCode: randomCode)
        let front = try db.open()
        #expect(try front.followUp(reference: code) == FollowUp(reference: code, request: asked, status: .requested))
        #expect(try front.followUps(FollowUpFilter(referral: true), limit: 10, offset: 0).map(\.reference) == [code])
        #expect(try front.followUps(FollowUpFilter(referral: false), limit: 10, offset: 0).map(\.reference) == [own])
        #expect(try front.followUps(FollowUpFilter(), limit: 10, offset: 0).map(\.reference) == [own, code])
        #expect(try front.followUps(FollowUpFilter(professional: "partner_chiropractor_1"), limit: 10, offset: 0)
                .map(\.reference) == [code])
        #expect(try front.countFollowUps(FollowUpFilter(status: .requested, referral: true)) == 1)
        #expect(try front.countFollowUps(FollowUpFilter(status: .requested, referral: false)) == 1)
        #expect(try front.find("Núñez", limit: 10).first?.followUp.request.referral == true)

        var stats = try front.practiceStats(event: nil, since: nil)
        #expect(stats.bookingRequests == 2 && stats.referrals == 1 && stats.waiting == 2 && stats.referralsPassedOn == 0)
        #expect(stats.referralsByPartner == ["partner_chiropractor_1": 1] && stats.referralsByDiscipline == ["chiropractor": 1])

        // Passed on: the desk's status move, in the audit trail; it no longer waits.
        try front.setStatus(reference: code, to: StatusMoves.referralPassedOn, actor: "anna",
                           note: "passed on to Partner chiropractor 1", now: desk(1))
        #expect(try front.history(reference: code).map(\.note) == [nil, "passed on to Partner chiropractor 1"])
        stats = try front.practiceStats(event: nil, since: nil)
        #expect(stats.referralsPassedOn == 1 && stats.waiting == 1 && stats.bookingRequests == 2)
    }

    @Test("purge blanks a referral once passed on, keeping its partner and flag; one not yet passed on keeps its contact",
          arguments: StoreKind.available)
    func purge(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let passed = try store.saveFollowUp(referral(name: "Passed on", at: 1_000), makeCode: randomCode)
        let waiting = try store.saveFollowUp(referral(name: "Waiting", at: 2_000), makeCode: randomCode)
        let ownContacted = try store.saveFollowUp(request(name: "Own, contacted", at: 3_000), makeCode: randomCode)
        for code in [passed, ownContacted] {
            try store.setStatus(reference: code, to: .contacted, actor: "a", note: nil, now: desk(10))
        }
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: true, actor: "anna", now: desk(20)) == 1)
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: false, actor: "anna", now: desk(20)) == 1)
        let purged = try #require(try store.deskFollowUp(reference: passed))
        #expect(purged.followUp.request.name == "" && purged.followUp.request.phone == nil)
        #expect(purged.followUp.request.referral && purged.followUp.request.professional == "partner_chiropractor_1")
        #expect(try store.history(reference: passed).last
                == FollowUpEvent(reference: passed, at: desk(20), actor: "anna", from: .contacted, to: .contacted,
                                 note: "contact details removed"))
        #expect(try store.deskFollowUp(reference: waiting)?.followUp.request.name == "Waiting")
        #expect(try store.deskFollowUp(reference: ownContacted)?.followUp.request.name == "Own, contacted")
        #expect(try store.practiceStats(event: nil, since: nil).referrals == 2)
    }

    @Test("the CSV export names the partner of a referral in its partner column", arguments: StoreKind.available)
    func export(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let code = try store.saveFollowUp(referral(), makeCode: randomCode)
        let own = try store.saveFollowUp(request(name: "Own client", at: 1_740_000_100), makeCode: randomCode)
        var bytes: [UInt8] = []
        let zone = TimeZone(identifier: "America/Chicago")!
        #expect(try store.writeFollowUpsCSV(since: nil, clinic: Self.clinic, timeZone: zone) { bytes += $0 } == 2)
        let rows = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            .map { $0.components(separatedBy: ",") }
        let header = CSV.followUpHeader()
        let partner = try #require(header.firstIndex(of: "partner"))
        #expect(rows.count == 2 && rows.allSatisfy { $0.count == header.count })
        #expect(rows[0][0] == code && rows[0][partner] == "Partner chiropractor 1")
        #expect(rows[0][header.firstIndex(of: "professional_requested")!] == "Partner chiropractor 1")
        #expect(rows[1][0] == own && rows[1][partner] == "")
        // The general encoder (one DeskFollowUp at a time) writes the same bytes.
        var general = ""
        try store.forEachFollowUp(since: nil) {
            general += CSV.row(CSV.followUpCells($0, clinic: Self.clinic, timeZone: zone))
        }
        #expect(general == String(decoding: bytes, as: UTF8.self))
    }

    @Test("an event's referral is imported once with its flag and consent; one without consent is refused; an older file holds none",
          arguments: StoreKind.available)
    func importReferrals(_ kind: StoreKind) throws {
        let folder = try TempDir()
        let eventPath = folder.path("fair.sqlite")
        let asked = referral(at: 1_740_823_200)
        let code: String
        let unconsented: String
        do {
            let laptop = try SQLiteKioskStore(path: eventPath)
            code = try laptop.saveFollowUp(asked, makeCode: randomCode)
            unconsented = try laptop.saveFollowUp(referral(name: "No consent", at: 1_740_823_300), makeCode: randomCode)
            try laptop.executeForTesting("UPDATE follow_up SET pass_on_consent = 0 WHERE reference = '\(unconsented)'")
            try laptop.close()
        }
        // A file of a kiosk from before referrals (schema v6): its request is an ordinary one.
        let oldPath = folder.path("old.sqlite")
        try SQLiteKioskStore.createForTesting(path: oldPath, upTo: "v6-words", """
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, discipline,
                                   preferred_times_json, consent, status)
            VALUES ('OLD-AAA', 'A-old', '2025-03-01T10:00:00.000Z', 'en', 'Old client', '555 010 0100',
                    'chiropractor', '[]', 1, 'requested');
            INSERT INTO follow_up_event (reference, at, actor, to_status) VALUES ('OLD-AAA', '2025-03-01T10:00:00.000Z', 'kiosk', 'requested');
            """)

        let db = try TestDatabase(kind)
        let practice = try db.open()
        let first = try practice.importDatabase(from: eventPath, now: desk(0), makeCode: nil)
        #expect(first.followUps == ImportReport.Counts(added: 1, refused: 1))
        #expect(first.refusals == ["follow-up \(unconsented): is a referral to a partner without consent to pass the contact on"])
        let imported = try #require(try practice.followUp(reference: code))
        #expect(imported.request == asked)
        #expect(try practice.importDatabase(from: eventPath, now: desk(1), makeCode: nil).followUps
                == ImportReport.Counts(skipped: 1, refused: 1))
        #expect(try practice.countFollowUps(FollowUpFilter(referral: true)) == 1)

        let old = try practice.importDatabase(from: oldPath, now: desk(2), makeCode: nil)
        #expect(old.followUps == ImportReport.Counts(added: 1))
        let ordinary = try #require(try practice.followUp(reference: "OLD-AAA"))
        #expect(!ordinary.request.referral && !ordinary.request.passOnConsent)
    }
}
