import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// Shared builders for the desk's tests: a clinic in America/Chicago with two
/// professionals who keep hours, and follow-ups in any status.
enum DeskFixture {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static let weekdayHours = ["09:00-12:00", "13:00-17:00"]

    static let dana = Professional(id: "dana", name: "Dana Reyes", discipline: "massage_therapist", languages: ["en"],
                                   hours: ["mon": weekdayHours, "tue": weekdayHours, "wed": weekdayHours,
                                           "thu": weekdayHours, "fri": weekdayHours])
    static let lee = Professional(id: "lee", name: "Lee Park", discipline: "physical_therapist", languages: ["en"],
                                  hours: ["mon": weekdayHours, "tue": weekdayHours])
    static let sam = Professional(id: "sam", name: "Sam Ortiz", discipline: "massage_therapist", languages: ["en"],
                                  hours: ["mon": weekdayHours])

    static let clinic = Clinic(name: "Test Clinic", address: "1 Main St", phone: "555-0100", timeZone: "America/Chicago",
                               languages: ["en"], disciplines: Fixture.content.clinic.disciplines,
                               professionals: [dana, lee, sam], slotMinutes: 60)

    /// A wall-clock time in Chicago.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, zone: TimeZone = chicago) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func local(_ date: Date, zone: TimeZone = chicago) -> (day: Int, hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.day, .hour, .minute], from: date)
        return (c.day!, c.hour!, c.minute!)
    }

    static func appointment(_ professional: String, _ start: Date, minutes: Int = 60) -> Appointment {
        Appointment(professional: professional, start: start, end: start.addingTimeInterval(TimeInterval(minutes * 60)))
    }

    static func followUp(_ reference: String = "ABC-DEF", status: FollowUpStatus = .requested,
                         name: String = "Ada Client", phone: String? = "+1 555 0199", email: String? = "ada@example.org",
                         discipline: String? = "massage_therapist", professional: String? = nil,
                         appointment: Appointment? = nil, notes: String? = nil) -> DeskFollowUp {
        let request = FollowUpRequest(assessmentID: "assessment-1", createdAt: at(2026, 3, 1, 10, 15), event: "health-fair",
                                      language: "en", name: name, phone: phone, email: email, discipline: discipline,
                                      professional: professional, preferredTimes: ["morning", "evening"], consent: true,
                                      afterMedicalClearance: false)
        return DeskFollowUp(followUp: FollowUp(reference: reference, request: request, status: status),
                            appointment: appointment, notes: notes)
    }
}

@Suite("Desk: status moves")
struct DeskStatusMoveTests {
    /// Written out by hand from DESIGN.md ("Data"), not copied from `StatusMoves`.
    static let expected: Set<String> = [
        "requested>contacted", "requested>booked", "requested>cancelled",
        "contacted>booked", "contacted>cancelled",
        "booked>completed", "booked>no_show", "booked>cancelled",
    ]

    @Test("every (from, to) pair is allowed or refused as the design says",
          arguments: FollowUpStatus.allCases, FollowUpStatus.allCases)
    func table(from: FollowUpStatus, to: FollowUpStatus) {
        let allowed = Self.expected.contains("\(from.rawValue)>\(to.rawValue)")
        #expect(StatusMoves.isAllowed(from: from, to: to) == allowed, "\(from) -> \(to)")
    }

    @Test("closed statuses allow no move and are not bookable")
    func closed() {
        for status in StatusMoves.closed {
            #expect(FollowUpStatus.allCases.allSatisfy { !StatusMoves.isAllowed(from: status, to: $0) })
            #expect(!BookingRules.isBookable(status))
        }
        #expect(BookingRules.isBookable(.requested) && BookingRules.isBookable(.contacted) && BookingRules.isBookable(.booked))
    }
}

@Suite("Desk: free slots")
struct DeskSlotTests {
    typealias F = DeskFixture
    static let longAgo = Date(timeIntervalSince1970: 0)

    @Test("09:00-12:00 and 13:00-17:00 at 60 minutes give 3 + 4 slots a day, over a week")
    func week() {
        // Monday 2026-03-02 to Monday 2026-03-09 (before the change): Mon-Fri open.
        let slots = SlotCalculator.freeSlots(for: F.dana, from: F.at(2026, 3, 2, 0), until: F.at(2026, 3, 9, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(slots.count == 5 * 7)
        let monday = slots.filter { F.local($0.start).day == 2 }
        #expect(monday.map { F.local($0.start).hour } == [9, 10, 11, 13, 14, 15, 16])
        #expect(monday.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 && $0.professional == "dana" })
        #expect(slots == slots.sorted { $0.start < $1.start })
        // 90 minutes: 09:00, 10:30 (ends at 12:00), 13:00, 14:30 (16:00 would end after 17:00).
        let long = SlotCalculator.freeSlots(for: F.dana, from: F.at(2026, 3, 2, 0), until: F.at(2026, 3, 3, 0),
                                            slotMinutes: 90, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(long.map { F.local($0.start).hour * 60 + F.local($0.start).minute } == [540, 630, 780, 870])
    }

    @Test("a booked slot is not offered; another professional's booking does not matter")
    func booked() {
        let booked = [F.appointment("dana", F.at(2026, 3, 2, 13, 30)),   // takes 13:00 and 14:00
                      F.appointment("dana", F.at(2026, 3, 2, 9)),        // takes 09:00 exactly
                      F.appointment("lee", F.at(2026, 3, 2, 16))]        // someone else's
        let slots = SlotCalculator.freeSlots(for: F.dana, from: F.at(2026, 3, 2, 0), until: F.at(2026, 3, 3, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: booked, now: Self.longAgo)
        #expect(slots.map { F.local($0.start).hour } == [10, 11, 15, 16])
    }

    @Test("a slot starting before now is not offered")
    func past() {
        let now = F.at(2026, 3, 2, 10, 30)
        let slots = SlotCalculator.freeSlots(for: F.dana, from: F.at(2026, 3, 2, 0), until: F.at(2026, 3, 3, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: now)
        #expect(slots.map { F.local($0.start).hour } == [11, 13, 14, 15, 16])
        let exactly = SlotCalculator.freeSlots(for: F.dana, from: F.at(2026, 3, 2, 0), until: F.at(2026, 3, 3, 0),
                                               slotMinutes: 60, timeZone: F.chicago, booked: [], now: F.at(2026, 3, 2, 11))
        #expect(exactly.first.map { F.local($0.start).hour } == 11)
    }

    static let everyDay = Professional(id: "eve", name: "Eve", discipline: "massage_therapist", languages: ["en"],
                                       hours: Dictionary(uniqueKeysWithValues: DeskTime.weekdayKeys.map { ($0, ["09:00-10:00"]) }))

    @Test("09:00 stays 09:00 local across the spring change (2026-03-08)")
    func springWeek() {
        let slots = SlotCalculator.freeSlots(for: Self.everyDay, from: F.at(2026, 3, 5, 0), until: F.at(2026, 3, 12, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(slots.count == 7)
        #expect(slots.allSatisfy { F.local($0.start).hour == 9 && F.local($0.start).minute == 0 })
        #expect(slots.map { F.local($0.start).day } == [5, 6, 7, 8, 9, 10, 11])
        let gaps = zip(slots, slots.dropFirst()).map { $1.start.timeIntervalSince($0.start) / 3600 }
        #expect(gaps == [24, 24, 23, 24, 24, 24])
        #expect(F.chicago.secondsFromGMT(for: slots[0].start) == -6 * 3600)
        #expect(F.chicago.secondsFromGMT(for: slots[6].start) == -5 * 3600)
    }

    @Test("09:00 stays 09:00 local across the autumn change (2026-11-01)")
    func autumnWeek() {
        let slots = SlotCalculator.freeSlots(for: Self.everyDay, from: F.at(2026, 10, 29, 0), until: F.at(2026, 11, 5, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(slots.map { F.local($0.start).day } == [29, 30, 31, 1, 2, 3, 4])
        #expect(slots.allSatisfy { F.local($0.start).hour == 9 })
        let gaps = zip(slots, slots.dropFirst()).map { $1.start.timeIntervalSince($0.start) / 3600 }
        #expect(gaps == [24, 24, 25, 24, 24, 24])
    }

    static let night = Professional(id: "owl", name: "Owl", discipline: "massage_therapist", languages: ["en"],
                                    hours: ["sun": ["01:00-04:00"]])

    @Test("01:00-04:00 on the spring-forward night gives only real local times")
    func springNight() {
        let slots = SlotCalculator.freeSlots(for: Self.night, from: F.at(2026, 3, 8, 0), until: F.at(2026, 3, 9, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(slots.map { F.local($0.start).hour } == [1, 3])
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 })
        #expect(slots.last.map { F.local($0.end).hour } == 4)
        // A range that starts inside the gap begins at the change (03:00 CDT).
        let gapStart = Professional(id: "gap", name: "Gap", discipline: "x", languages: [], hours: ["sun": ["02:30-04:00"]])
        let cut = SlotCalculator.freeSlots(for: gapStart, from: F.at(2026, 3, 8, 0), until: F.at(2026, 3, 9, 0),
                                           slotMinutes: 30, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(cut.map { F.local($0.start).hour * 60 + F.local($0.start).minute } == [180, 210])
    }

    @Test("01:00-04:00 on the fall-back night gives four real hours, 01:00 twice")
    func autumnNight() {
        let slots = SlotCalculator.freeSlots(for: Self.night, from: F.at(2026, 11, 1, 0), until: F.at(2026, 11, 2, 0),
                                             slotMinutes: 60, timeZone: F.chicago, booked: [], now: Self.longAgo)
        #expect(slots.map { F.local($0.start).hour } == [1, 1, 2, 3])
        #expect(Set(slots.map(\.start)).count == 4)
    }

    @Test("parseTime reads HH:MM on the local day, refuses times that do not exist")
    func parse() {
        let day = F.at(2026, 3, 8, 12)
        #expect(SlotCalculator.parseTime("09:00", on: day, timeZone: F.chicago) == F.at(2026, 3, 8, 9))
        #expect(SlotCalculator.parseTime("01:59", on: day, timeZone: F.chicago) == F.at(2026, 3, 8, 1, 59))
        #expect(SlotCalculator.parseTime("02:30", on: day, timeZone: F.chicago) == nil)
        #expect(SlotCalculator.parseTime("24:00", on: day, timeZone: F.chicago) == F.at(2026, 3, 9, 0))
        for bad in ["9:00", "25:00", "12:60", "noon", "", "12:00:00", "١٢:٠٠"] {
            #expect(SlotCalculator.parseTime(bad, on: day, timeZone: F.chicago) == nil, "\(bad)")
        }
        // Fall back: the earlier 01:30 (CDT).
        let repeated = SlotCalculator.parseTime("01:30", on: F.at(2026, 11, 1, 12), timeZone: F.chicago)
        #expect(repeated.map { F.chicago.secondsFromGMT(for: $0) } == -5 * 3600)
    }

    @Test("isWithinHours: wholly inside one range of the day it starts")
    func within() {
        func check(_ start: Date, _ minutes: Int) -> Bool {
            SlotCalculator.isWithinHours(F.appointment("dana", start, minutes: minutes), of: F.dana, timeZone: F.chicago)
        }
        #expect(check(F.at(2026, 3, 2, 9), 60))
        #expect(check(F.at(2026, 3, 2, 16), 60))          // ends at 17:00 exactly
        #expect(check(F.at(2026, 3, 2, 9, 15), 30))       // off the slot grid is still within hours
        #expect(!check(F.at(2026, 3, 2, 11, 30), 60))     // runs into lunch
        #expect(!check(F.at(2026, 3, 2, 8, 30), 60))
        #expect(!check(F.at(2026, 3, 2, 16, 30), 60))
        #expect(!check(F.at(2026, 3, 7, 10), 60))         // Saturday: no hours
        #expect(!check(F.at(2026, 3, 2, 10), 0))
        #expect(!check(F.at(2026, 3, 2, 10), -30))
        // The Monday after the change, 09:00 CDT.
        #expect(check(F.at(2026, 3, 9, 9), 60))
    }
}

@Suite("Desk: booking rules")
struct DeskBookingTests {
    typealias F = DeskFixture
    static let now = F.at(2026, 3, 2, 8)
    static let monday10 = F.appointment("dana", F.at(2026, 3, 2, 10))

    func check(_ f: DeskFollowUp, _ appointment: Appointment = monday10, professional: Professional = F.dana,
               booked: [Appointment] = [], confirm: Bool = false) -> BookingProblem? {
        BookingRules.check(f, appointment: appointment, professional: professional, clinic: F.clinic,
                           booked: booked, now: Self.now, confirmDiscipline: confirm)
    }

    @Test("a clean booking is allowed, from requested and from contacted")
    func clean() {
        #expect(check(F.followUp(status: .requested)) == nil)
        #expect(check(F.followUp(status: .contacted)) == nil)
        #expect(check(F.followUp(discipline: nil)) == nil)                       // anyone suitable
        #expect(check(F.followUp(discipline: "physical_therapist", professional: "dana")) == nil) // named wins
    }

    @Test("a start in the past is refused")
    func inPast() {
        let early = F.appointment("dana", F.at(2026, 3, 2, 7))
        #expect(BookingRules.check(F.followUp(), appointment: F.appointment("dana", F.at(2026, 3, 2, 9)), professional: F.dana,
                                   clinic: F.clinic, booked: [], now: F.at(2026, 3, 2, 9, 1), confirmDiscipline: false) == .inPast)
        #expect(check(F.followUp(), early) == .inPast)
    }

    @Test("outside the professional's hours is refused")
    func outsideHours() {
        #expect(check(F.followUp(), F.appointment("dana", F.at(2026, 3, 2, 11, 30))) == .outsideHours)
        #expect(check(F.followUp(), F.appointment("dana", F.at(2026, 3, 7, 10))) == .outsideHours)
        #expect(check(F.followUp(), F.appointment("dana", F.at(2026, 3, 2, 17))) == .outsideHours)
    }

    @Test("overlapping another booking of the same professional is refused")
    func slotTaken() {
        let other = F.appointment("dana", F.at(2026, 3, 2, 10, 30))
        #expect(check(F.followUp(), booked: [other]) == .slotTaken)
        #expect(check(F.followUp(), booked: [Self.monday10]) == .slotTaken)
        // Back to back is fine; so is another professional at the same time.
        #expect(check(F.followUp(), booked: [F.appointment("dana", F.at(2026, 3, 2, 11)),
                                             F.appointment("dana", F.at(2026, 3, 2, 9)),
                                             F.appointment("lee", F.at(2026, 3, 2, 10))]) == nil)
    }

    @Test("moving a booked follow-up does not clash with its own appointment, but does with others")
    func move() {
        let own = Self.monday10
        let booked = F.followUp(status: .booked, appointment: own)
        let later = F.appointment("dana", F.at(2026, 3, 2, 10, 30))
        #expect(check(booked, later, booked: [own]) == nil)
        #expect(check(booked, own, booked: [own]) == nil)
        // Someone else holding the identical slot still clashes.
        #expect(check(booked, later, booked: [own, own]) == .slotTaken)
        #expect(check(booked, later, booked: [own, F.appointment("dana", F.at(2026, 3, 2, 11))]) == .slotTaken)
    }

    @Test("another discipline or another named professional needs confirmation")
    func disciplineMismatch() {
        let wantsPT = F.followUp(discipline: "physical_therapist")
        #expect(check(wantsPT) == .disciplineMismatch(requested: "physical_therapist", professional: "massage_therapist"))
        #expect(check(wantsPT, confirm: true) == nil)
        let wantsLee = F.followUp(discipline: "massage_therapist", professional: "lee")
        #expect(check(wantsLee) == .disciplineMismatch(requested: "lee", professional: "dana"))
        // Same discipline, but not the person they named.
        let wantsSam = F.followUp(discipline: "massage_therapist", professional: "sam")
        #expect(check(wantsSam) == .disciplineMismatch(requested: "sam", professional: "dana"))
        #expect(check(wantsSam, confirm: true) == nil)
        // A hard problem comes before the one the desk can confirm.
        #expect(check(wantsPT, booked: [Self.monday10]) == .slotTaken)
    }

    @Test("closed follow-ups cannot be booked", arguments: [FollowUpStatus.completed, .cancelled, .noShow])
    func notBookable(_ status: FollowUpStatus) {
        #expect(check(F.followUp(status: status)) == .notBookable(status))
        #expect(check(F.followUp(status: status), confirm: true) == .notBookable(status))
    }
}
