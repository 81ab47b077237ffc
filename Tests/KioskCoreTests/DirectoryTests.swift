import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// A practice with its own professionals and partners outside it, in code.
enum DirectoryFixture {
    static func t(_ en: String, _ es: String? = nil) -> LocalizedText {
        LocalizedText(es.map { ["en": en, "es": $0] } ?? ["en": en])
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri"]
    static func weekly(_ range: String, days: [String] = weekdays) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: days.map { ($0, [range]) })
    }

    /// Booking times with hours, as questionnaire.yaml gives them.
    static let timeHours: [String: [String: [String]]] = [
        "morning": weekly("06:00-12:00"), "evening": weekly("17:00-22:00"),
    ]

    static let disciplines = [
        Discipline(id: "massage_therapist", label: t("Massage therapist", "Terapeuta de masaje")),
        Discipline(id: "chiropractor", label: t("Chiropractor", "Quiropráctico")),
    ]

    static func own(_ id: String, _ discipline: String = "massage_therapist", languages: [String] = ["en"],
                    hours: [String: [String]] = weekly("09:00-12:00"), newClients: Bool = true) -> Professional {
        Professional(id: id, name: "Professional \(id)", discipline: discipline, languages: languages, hours: hours,
                     newClients: newClients)
    }

    static func partner(_ id: String, _ discipline: String = "chiropractor", languages: [String] = ["en"],
                        hours: [String: [String]] = weekly("09:00-17:00"), newClients: Bool = true) -> Partner {
        Partner(id: id, name: "Partner \(id)", discipline: discipline, languages: languages,
                address: "\(id) Oak Street, Springfield", phone: "(217) 555-01\(id.count)0", hours: hours,
                newClients: newClients, note: t("A short note.", "Una nota corta."))
    }

    static func clinic(own: [Professional], partners: [Partner], care: [MedicalCare] = []) -> Clinic {
        Clinic(name: "Test Clinic", address: "1 Main St", phone: "555-0100", timeZone: "America/Chicago",
               languages: ["en", "es"], disciplines: disciplines, professionals: own, partners: partners, medicalCare: care)
    }

    static let medicalCare = [
        MedicalCare(id: "walk_in", name: "Walk-in office 1", kind: .walkInClinic, address: "55 Main Street",
                    phone: "(217) 555-0171", hours: weekly("08:00-18:00")),
        MedicalCare(id: "urgent", name: "Urgent care 1", kind: .urgentCare, address: "250 Lincoln Avenue",
                    phone: "(217) 555-0172", hours: weekly("08:00-22:00", days: weekdays + ["sat", "sun"])),
        MedicalCare(id: "emergency", name: "Emergency department 1", kind: .emergencyDepartment,
                    address: "800 Hospital Road", phone: "(217) 555-0173",
                    hours: weekly("00:00-24:00", days: weekdays + ["sat", "sun"])),
    ]

    /// The session fixture, with this directory, Spanish, booking times with hours, and
    /// outcomes that name medical care.
    static func content(own: [Professional], partners: [Partner]) -> PracticeContent {
        var content = Fixture.content
        var messages = content.messages.texts
        messages[MessageKey.bookLanguage.rawValue] = t("Someone who speaks English", "Alguien que hable español")
        messages[MessageKey.languageName.rawValue] = t("English", "Español")
        for (key, text) in [(MessageKey.careOpenUntil, "{name}: open until {time}, call {phone}"),
                            (.careOpenAlways, "{name}: always open, call {phone}"),
                            (.careOpens, "{name}: closed, opens {when}, call {phone}"),
                            (.careToday, "today at {time}"), (.careTomorrow, "tomorrow at {time}"),
                            (.careOnDay, "on {day} at {time}"), (.dayMon, "Monday"),
                            (.bookOutside, "outside our practice"), (.bookOfferDesk, "Let the front desk choose"),
                            (.summaryReferralPlace, "{partner}. Phone: {phone}. Address: {address}")] {
            messages[key.rawValue] = t(text)
        }
        content.messages = Messages(messages)
        content.clinic = clinic(own: own, partners: partners, care: medicalCare)
        content.bookingTimes = Fixture.choices([("morning", "Mornings"), ("evening", "Evenings"), ("any", "Any time")],
                                               exclusive: "any")
        content.bookingTimeHours = timeHours
        content.outcomes = content.outcomes.map { outcome in
            var outcome = outcome
            if outcome.level == .emergency {
                outcome.care = CareToName(intro: t("Call 911 first. The emergency department:"), kinds: [.emergencyDepartment])
            } else {
                outcome.care = CareToName(intro: t("See a doctor today at:"), kinds: [.walkInClinic, .urgentCare],
                                          closedIntro: t("If you feel much worse:"), closedKinds: [.emergencyDepartment])
            }
            return outcome
        }
        return content
    }

    /// A local time in the clinic's zone.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }
}

@Suite("Who is offered: the practice's own first, partners for the rest")
struct ProfessionalFinderTests {
    typealias F = DirectoryFixture

    @Test("a Spanish client wanting a chiropractor at a practice with none: partner chiropractors, Spanish speakers first, never one taking no new clients")
    func spanishChiropractorAtMassageOnlyPractice() {
        let clinic = F.clinic(own: [F.own("mt1", languages: ["en", "es"])], partners: [
            F.partner("chiro_en"), F.partner("chiro_es", languages: ["es", "en"]),
            F.partner("chiro_full", languages: ["es"], newClients: false),
            F.partner("pt_es", "physical_therapist", languages: ["es"]),
        ])
        let offer = offered(BookingWish(discipline: "chiropractor", language: "es"),
                                             clinic: clinic, timeHours: F.timeHours)
        #expect(offer.own.isEmpty)
        #expect(!offer.ownFitsFully)
        #expect(offer.partners.map(\.id) == ["chiro_es", "chiro_en"])
        // Asking for someone who speaks Spanish leaves out those who do not.
        let spanish = offered(BookingWish(discipline: "chiropractor", language: "es", requireLanguage: true),
                                               clinic: clinic, timeHours: F.timeHours)
        #expect(spanish.partners.map(\.id) == ["chiro_es"])
    }

    @Test("a practice that changes a booking time's hours after loading is offered by the new hours, not the ones read before")
    func hoursFollowContent() {
        var content = F.content(own: [F.own("mornings")], partners: [])
        let wish = BookingWish(discipline: "massage_therapist", language: "en", times: ["morning"])
        #expect(ProfessionalFinder.offer(wish, clinic: content.clinic, hours: content.tables.directoryHours).own.map(\.id)
                == ["mornings"])
        content.bookingTimeHours["morning"] = F.weekly("13:00-14:00")    // no longer overlaps 09:00-12:00
        #expect(ProfessionalFinder.offer(wish, clinic: content.clinic, hours: content.tables.directoryHours).own.isEmpty)
    }

    @Test("a client wanting evenings: the practice's professional who works evenings; partners only when no one at the practice does")
    func evenings() {
        let morningPartner = F.partner("mt_morning", "massage_therapist", hours: F.weekly("08:00-12:00"))
        let eveningPartner = F.partner("mt_evening", "massage_therapist", hours: F.weekly("16:00-20:00"))
        let wish = BookingWish(discipline: "massage_therapist", language: "en", times: ["evening"])
        let withEvenings = F.clinic(own: [F.own("mornings"), F.own("evenings", hours: F.weekly("14:00-19:00"))],
                                    partners: [morningPartner, eveningPartner])
        let first = offered(wish, clinic: withEvenings, timeHours: F.timeHours)
        #expect(first.own.map(\.id) == ["evenings"])
        #expect(first.ownFitsFully && first.partners.isEmpty)

        let mornings = F.clinic(own: [F.own("mornings")], partners: [morningPartner, eveningPartner])
        let second = offered(wish, clinic: mornings, timeHours: F.timeHours)
        #expect(second.own.isEmpty)
        #expect(second.partners.map(\.id) == ["mt_evening"])
        // Mornings or evenings: the practice's morning professional fits again.
        var either = wish
        either.times = ["morning", "evening"]
        #expect(offered(either, clinic: mornings, timeHours: F.timeHours).own.map(\.id) == ["mornings"])
        // A time without hours ("any time") fits everyone.
        either.times = ["any"]
        #expect(offered(either, clinic: mornings, timeHours: F.timeHours).ownFitsFully)
    }

    @Test("a partner who takes no new clients is not offered, even as the only one; nor a professional of the practice who takes none")
    func noNewClients() {
        let clinic = F.clinic(own: [F.own("full", "chiropractor", newClients: false)],
                              partners: [F.partner("closed", newClients: false)])
        let offer = offered(BookingWish(discipline: "chiropractor", language: "en"),
                                             clinic: clinic, timeHours: F.timeHours)
        #expect(offer.isEmpty)
    }

    @Test("someone at the practice fits but does not speak Spanish: they come first, then partners who do")
    func ownFirstThenPartnersForTheLanguage() {
        let clinic = F.clinic(own: [F.own("chiro1", "chiropractor")],
                              partners: [F.partner("chiro_en"), F.partner("chiro_es", languages: ["es"])])
        let offer = offered(BookingWish(discipline: "chiropractor", language: "es"),
                                             clinic: clinic, timeHours: F.timeHours)
        #expect(offer.own.map(\.id) == ["chiro1"])
        #expect(!offer.ownFitsFully)
        #expect(offer.partners.map(\.id) == ["chiro_es"])
        // In English the practice's chiropractor fits fully: no partner.
        let english = offered(BookingWish(discipline: "chiropractor", language: "en"),
                                               clinic: clinic, timeHours: F.timeHours)
        #expect(english.ownFitsFully && english.partners.isEmpty)
    }
}

@Suite("Booking with the directory: a referral to a partner")
struct ReferralSessionTests {
    typealias F = DirectoryFixture

    /// No warning sign, then neck / tight / 6 / old car accident / years / none: results.
    let selfCare = ["", "3", "1", "2", "6", "1", "2", "3"]

    func session(_ content: PracticeContent, language: String = "en") -> ClientSession {
        var session = ClientSession(content: content, id: "session-1", language: language)
        _ = session.start()
        for line in selfCare { _ = session.handle(line, now: Fixture.now) }
        return session
    }

    @Test("a Spanish client wanting a chiropractor at a massage practice: partners marked outside the practice; choosing one saves a referral with consent to pass the contact on")
    func spanishReferral() throws {
        let content = F.content(own: [F.own("mt1", languages: ["en", "es"])],
                                partners: [F.partner("chiro_en"), F.partner("chiro_es", languages: ["es", "en"])])
        var session = session(content, language: "es")
        #expect(session.step == .results)
        _ = session.handle("book", now: Fixture.now)                    // at the overview: ask for a visit
        let kinds = session.screen(for: .bookKind).plainText
        #expect(kinds.contains("Quiropráctico") && kinds.contains("Alguien que hable español"))
        _ = session.handle("Quiropráctico", now: Fixture.now)
        let offer = session.handle("1", now: Fixture.now)                // mornings
        #expect(session.step == .bookOffer)
        let text = offer.screen.plainText
        #expect(text.contains("1. Partner chiro_es (Quiropráctico; Español, English; outside our practice)"))
        #expect(text.contains("2. Partner chiro_en (Quiropráctico; English; outside our practice)"))
        #expect(text.contains("3. Let the front desk choose"))
        _ = session.handle("1", now: Fixture.now)
        _ = session.handle("María José", now: Fixture.now)
        let consent = session.handle("555 010 0142", now: Fixture.now)
        #expect(session.step == .bookReferralConsent)
        #expect(consent.screen.plainText.contains("book.referral_consent"))
        let saving = session.handle("1", now: Fixture.now)
        guard case let .saveFollowUp(request)? = saving.effects.first else { Issue.record("no follow-up saved"); return }
        #expect(request.referral && request.passOnConsent && request.consent)
        #expect(request.professional == "chiro_es")
        #expect(request.discipline == "chiropractor")
        #expect(request.language == "es")

        let saved = session.followUpSaved(reference: "ABC-234").screen
        #expect(saved.blocks.contains(.heading("summary.referral {clinic} {code} {min} {max} {answer} {matches} {choice} {option} {reason} {contact}")))
        #expect(saved.plainText.contains("Partner chiro_es. Phone: (217) 555-0180. Address: chiro_es Oak Street, Springfield"))
    }

    @Test("someone at the practice fits: no list of partners, the request goes to the practice as before")
    func ownFitsNoOffer() throws {
        let content = F.content(own: [F.own("mt1", hours: F.weekly("08:00-12:00"))],
                                partners: [F.partner("mt_partner", "massage_therapist")])
        var session = session(content)
        for line in ["book", "1", "1"] { _ = session.handle(line, now: Fixture.now) }  // book, massage therapist, mornings
        #expect(session.step == .bookName)
        for line in ["Sam", "555 010 0100"] { _ = session.handle(line, now: Fixture.now) }
        #expect(session.step == .bookConsent)
        guard case let .saveFollowUp(request)? = session.handle("1", now: Fixture.now).effects.first else {
            Issue.record("no follow-up saved"); return
        }
        #expect(!request.referral && request.professional == nil && request.discipline == "massage_therapist")
    }

    @Test("declining to pass the contact on keeps nothing and gives the partner's phone")
    func referralDeclined() {
        let content = F.content(own: [F.own("mt1")], partners: [F.partner("chiro")])
        var session = session(content)
        for line in ["book", "2", "3", "1", "Sam", "555 010 0100"] { _ = session.handle(line, now: Fixture.now) }
        #expect(session.step == .bookReferralConsent)
        let declined = session.handle("2", now: Fixture.now)
        #expect(declined.effects.isEmpty)
        #expect(session.step == .finished)
        #expect(declined.screen.plainText.contains("book.referral_declined"))
    }

    @Test("back from the partner's consent to the list, then the front desk instead: an ordinary request")
    func backToFrontDesk() throws {
        let content = F.content(own: [F.own("mt1")], partners: [F.partner("chiro")])
        var session = session(content)
        for line in ["book", "2", "3", "1", "Sam", "555 010 0100"] { _ = session.handle(line, now: Fixture.now) }
        for _ in 0..<3 { _ = session.handle("back", now: Fixture.now) }
        #expect(session.step == .bookOffer)
        for line in ["2", "Sam", "555 010 0100"] { _ = session.handle(line, now: Fixture.now) }
        #expect(session.step == .bookConsent)
        guard case let .saveFollowUp(request)? = session.handle("1", now: Fixture.now).effects.first else {
            Issue.record("no follow-up saved"); return
        }
        #expect(!request.referral && !request.passOnConsent && request.professional == nil)
        #expect(request.discipline == "chiropractor")
    }
}

@Suite("Local medical care on a warning-sign screen")
struct MedicalCareScreenTests {
    typealias F = DirectoryFixture

    func outcome(at now: Date, sign: String) -> Screen {
        var session = ClientSession(content: F.content(own: [], partners: []), id: "s")
        _ = session.start()
        _ = session.handle("", now: now)
        return session.handle(sign, now: now).screen
    }

    @Test("see a doctor today at 10:00: the walk-in office and urgent care, open, with their phones")
    func doctorTodayAtTen() {
        let screen = outcome(at: F.local(2026, 12, 1, 10), sign: "2").plainText   // a Tuesday
        #expect(screen.contains("See a doctor today at:"))
        #expect(screen.contains("- Walk-in office 1: open until 18:00, call (217) 555-0171"))
        #expect(screen.contains("- Urgent care 1: open until 22:00, call (217) 555-0172"))
        #expect(!screen.contains("Emergency department 1"))
    }

    @Test("see a doctor today at 23:00: when the walk-in office and urgent care open, and the emergency department, open")
    func doctorTodayAtEleven() {
        let screen = outcome(at: F.local(2026, 12, 1, 23), sign: "2").plainText
        #expect(!screen.contains("open until"))
        #expect(screen.contains("- Walk-in office 1: closed, opens tomorrow at 08:00, call (217) 555-0171"))
        #expect(screen.contains("- Urgent care 1: closed, opens tomorrow at 08:00, call (217) 555-0172"))
        #expect(screen.contains("If you feel much worse:\n- Emergency department 1: always open, call (217) 555-0173"))
        // On a Saturday night the walk-in office opens on Monday.
        let weekend = outcome(at: F.local(2026, 12, 5, 23), sign: "2").plainText
        #expect(weekend.contains("- Walk-in office 1: closed, opens on Monday at 08:00"))
    }

    @Test("an emergency screen says to call emergency services first, then names the emergency department")
    func emergencyCallsFirst() throws {
        let screen = outcome(at: F.local(2026, 12, 1, 23), sign: "1")
        #expect(screen.blocks.first == .notice("Get help now"))
        #expect(screen.blocks[1] == .notice("Call emergency services"))
        let text = screen.plainText
        let call = try #require(text.range(of: "Call emergency services"))
        let place = try #require(text.range(of: "Emergency department 1: always open"))
        #expect(call.lowerBound < place.lowerBound)
        #expect(!text.contains("Urgent care 1"))
    }
}

@Suite("Open now, in the clinic's time zone, across daylight-saving changes")
struct OpeningHoursTests {
    typealias F = DirectoryFixture
    let zone = TimeZone(identifier: "America/Chicago")!
    let daily = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    @Test("08:00-20:00 every day is 08:00 and 20:00 local on both sides of the spring change")
    func springForward() {
        let hours = F.weekly("08:00-20:00", days: daily)
        // Saturday 7 March 2026, 07:30 CST: closed, opens 08:00 CST (14:00 UTC).
        let before = F.local(2026, 3, 7, 7, 30)
        #expect(OpeningHours.status(hours, at: before, timeZone: zone) == .closed(opens: F.local(2026, 3, 7, 8)))
        #expect(F.local(2026, 3, 7, 8).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 14 * 3600)
        // Saturday 23:00 CST: it opens on Sunday, after the change, at 08:00 CDT (13:00 UTC).
        let night = F.local(2026, 3, 7, 23)
        #expect(OpeningHours.status(hours, at: night, timeZone: zone) == .closed(opens: F.local(2026, 3, 8, 8)))
        #expect(F.local(2026, 3, 8, 8).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 13 * 3600)
        // The same UTC time of day as "before" is 08:30 CDT on Monday: open until 20:00 CDT.
        let after = before.addingTimeInterval(2 * 86_400)
        #expect(OpeningHours.status(hours, at: after, timeZone: zone) == .open(until: F.local(2026, 3, 9, 20)))
    }

    @Test("a range across the skipped hour is open from its real start; all day every day never closes")
    func theSkippedHour() {
        let night = ["sun": ["01:00-04:00"]]
        let changeNight = F.local(2026, 3, 8, 1, 30)                       // 01:30 CST
        #expect(OpeningHours.status(night, at: changeNight, timeZone: zone) == .open(until: F.local(2026, 3, 8, 4)))
        #expect(F.local(2026, 3, 8, 4).timeIntervalSince(changeNight) == 90 * 60)  // 02:00-03:00 does not exist
        let always = F.weekly("00:00-24:00", days: daily)
        #expect(OpeningHours.status(always, at: changeNight, timeZone: zone) == .open(until: nil))
        #expect(OpeningHours.status(always, at: F.local(2026, 11, 1, 1, 30), timeZone: zone) == .open(until: nil))
    }

    @Test("on the autumn change 20:00 stays 20:00 local; a night that ends at 24:00 runs into the next day's 00:00")
    func fallBack() {
        let hours = F.weekly("08:00-20:00", days: daily)
        let evening = F.local(2026, 11, 1, 19)                             // after the change, CST
        #expect(OpeningHours.status(hours, at: evening, timeZone: zone) == .open(until: F.local(2026, 11, 1, 20)))
        #expect(F.local(2026, 11, 1, 20).timeIntervalSince(F.local(2026, 10, 31, 20)) == 25 * 3600)
        let lateNight = ["sat": ["18:00-24:00"], "sun": ["00:00-02:00"]]
        #expect(OpeningHours.status(lateNight, at: F.local(2026, 10, 31, 23), timeZone: zone)
                == .open(until: F.local(2026, 11, 1, 2)))
        #expect(OpeningHours.status([:], at: evening, timeZone: zone) == .closed(opens: nil))
    }

    @Test("the outcome screen counts days in the clinic's time zone across the change")
    func screenAcrossTheChange() {
        var session = ClientSession(content: F.content(own: [], partners: []), id: "s")
        _ = session.start()
        _ = session.handle("", now: F.local(2026, 3, 7, 23))
        let text = session.handle("2", now: F.local(2026, 3, 7, 23)).screen.plainText   // Saturday night
        #expect(text.contains("- Urgent care 1: closed, opens tomorrow at 08:00"))
        #expect(text.contains("- Walk-in office 1: closed, opens on Monday at 08:00"))
    }
}

@Suite("Referrals in the numbers and the export")
struct ReferralRecordsTests {
    @Test("stats count referrals by partner and by discipline; one passed on no longer waits")
    func stats() {
        var builder = PracticeStatsBuilder()
        builder.addFollowUp(status: .requested, referralTo: nil, discipline: "massage_therapist")
        builder.addFollowUp(status: .requested, referralTo: "chiro_es", discipline: "chiropractor")
        builder.addFollowUp(status: .contacted, referralTo: "chiro_es", discipline: "chiropractor")
        builder.addFollowUp(status: .requested, referralTo: "ortho", discipline: "orthopedist")
        let stats = builder.build()
        #expect(stats.bookingRequests == 4 && stats.referrals == 3 && stats.referralsPassedOn == 1)
        #expect(stats.waiting == 3)
        #expect(stats.referralsByPartner == ["chiro_es": 2, "ortho": 1])
        #expect(stats.referralsByDiscipline == ["chiropractor": 2, "orthopedist": 1])
        let table = StatsReport.table(stats, labels: { $0 }, width: 80)
        #expect(table.contains("Referrals, by partner\n  chiro_es"))
        #expect(table.contains("Referrals, by discipline"))
    }

    @Test("a referral closes for purge once passed on; the practice's own contacted request does not")
    func closedReferral() {
        #expect(StatusMoves.isClosed(.contacted, referral: true))
        #expect(!StatusMoves.isClosed(.contacted, referral: false))
        #expect(!StatusMoves.isClosed(.requested, referral: true))
        #expect(StatusMoves.isClosed(.cancelled, referral: false))
    }

    @Test("the CSV names the partner of a referral in its last column, by name")
    func csvPartner() {
        let clinic = DirectoryFixture.clinic(own: [DirectoryFixture.own("mt1")], partners: [DirectoryFixture.partner("chiro")])
        var request = FollowUpRequest(assessmentID: "a", createdAt: Date(timeIntervalSince1970: 1_800_000_000), event: nil,
                                      language: "es", name: "Ana", phone: "555", email: nil, discipline: "chiropractor",
                                      professional: "chiro", preferredTimes: [], consent: true, afterMedicalClearance: false,
                                      referral: true, passOnConsent: true)
        let referral = DeskFollowUp(followUp: FollowUp(reference: "ABC-DEF", request: request, status: .requested),
                                    appointment: nil, notes: nil)
        let zone = TimeZone(identifier: "America/Chicago")!
        #expect(CSV.followUpHeader().last == "partner")
        let cells = CSV.followUpCells(referral, clinic: clinic, timeZone: zone)
        #expect(cells.count == CSV.followUpHeader().count)
        #expect(cells.last == "Partner chiro" && cells[7] == "Partner chiro")
        request.referral = false
        request.professional = "mt1"
        let own = DeskFollowUp(followUp: FollowUp(reference: "ABC-DEG", request: request, status: .requested),
                               appointment: nil, notes: nil)
        #expect(CSV.followUpCells(own, clinic: clinic, timeZone: zone).last == "")
    }
}

/// The finder on `clinic`'s hours, read as the session reads them (`DirectoryHours`).
private func offered(_ wish: BookingWish, clinic: Clinic, timeHours: [String: [String: [String]]]) -> Offer {
    ProfessionalFinder.offer(wish, clinic: clinic, hours: DirectoryHours(clinic: clinic, timeHours: timeHours))
}
