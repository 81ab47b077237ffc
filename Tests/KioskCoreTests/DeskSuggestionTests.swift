import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// The desk's suggested slots, waiting list, status timing, reminders and the events table.
@Suite("Desk: suggested slots, waiting list, reminders")
struct DeskSuggestionTests {
    typealias F = DeskFixture
    static let weekdays = ["mon", "tue", "wed", "thu", "fri"]
    static func everyWeekday(_ range: String) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: weekdays.map { ($0, [range]) })
    }

    /// A physical therapist who works late on weekdays, one who works mornings, a massage therapist.
    static let late = Professional(id: "late", name: "Late PT", discipline: "physical_therapist", languages: ["en"],
                                   hours: everyWeekday("15:00-20:00"))
    static let early = Professional(id: "early", name: "Early PT", discipline: "physical_therapist", languages: ["en"],
                                    hours: everyWeekday("08:00-12:00"))
    static let content: PracticeContent = {
        var content = Fixture.content
        content.clinic = Clinic(name: "Test Clinic", address: "1 Main St", phone: "555-0100", timeZone: "America/Chicago",
                                languages: ["en", "es"], disciplines: Fixture.content.clinic.disciplines,
                                professionals: [F.dana, late, early], slotMinutes: 60, reminderMinutes: 120)
        content.bookingTimeHours = ["evening": everyWeekday("17:00-22:00"), "morning": everyWeekday("06:00-12:00")]
        var texts = content.messages.texts
        texts[MessageKey.reminderText.rawValue] = LocalizedText(["en": "{clinic}: {professional} on {date} at {time}; call {phone}.",
                                                                 "es": "{clinic}: {professional} el {date} a las {time}; llame al {phone}."])
        content.messages = Messages(texts)
        return content
    }()

    static func request(discipline: String? = "physical_therapist", professional: String? = nil,
                        times: [String] = ["evening"], language: String = "en") -> FollowUpRequest {
        FollowUpRequest(assessmentID: "a", createdAt: F.at(2026, 3, 1, 10), event: nil, language: language, name: "Ana Núñez",
                        phone: "+1 555 0199", email: nil, discipline: discipline, professional: professional,
                        preferredTimes: times, consent: true, afterMedicalClearance: false)
    }

    @Test("weekday evenings with a physical therapist, across the spring-forward night: 17:00 local on both sides")
    func acrossDaylightSaving() {
        // Chicago moves to daylight time on Sunday 8 March 2026.
        let taken = F.appointment("late", F.at(2026, 3, 6, 18))
        let slots = SlotSuggestions.suggest(for: Self.request(), content: Self.content, from: F.at(2026, 3, 6, 0),
                                            until: F.at(2026, 3, 10, 0), booked: [taken], now: F.at(2026, 3, 1, 9))
        #expect(slots.map(\.professional).allSatisfy { $0 == "late" }, "only the physical therapist who works evenings")
        let local = slots.map { F.local($0.start) }
        #expect(local.map(\.day) == [6, 6, 9, 9, 9])
        #expect(local.map(\.hour) == [17, 19, 17, 18, 19], "18:00 on Friday is taken; 20:00 would end after the hours")
        // 17:00 CST is 23:00 UTC; 17:00 CDT is 22:00 UTC: the wall clock, not 24-hour steps.
        #expect(slots[0].start == Date(timeIntervalSince1970: 1_772_838_000))  // 2026-03-06T23:00:00Z
        #expect(slots[2].start == Date(timeIntervalSince1970: 1_773_093_600))  // 2026-03-09T22:00:00Z
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 })
    }

    @Test("soonest first, several professionals in the clinic's order, at most the limit; a named one alone; any time")
    func orderAndChoice() {
        let from = F.at(2026, 3, 9, 0), until = F.at(2026, 3, 10, 0), now = F.at(2026, 3, 1, 9)
        let mornings = SlotSuggestions.suggest(for: Self.request(times: ["morning"]), content: Self.content, from: from,
                                               until: until, booked: [], now: now, limit: 3)
        #expect(mornings.map { F.local($0.start).hour } == [8, 9, 10])
        #expect(mornings.allSatisfy { $0.professional == "early" })
        let named = SlotSuggestions.suggest(for: Self.request(professional: "dana", times: []), content: Self.content,
                                            from: from, until: until, booked: [], now: now, limit: 100)
        #expect(named.allSatisfy { $0.professional == "dana" } && named.count == 7, "any time: all of Dana's day")
        let both = SlotSuggestions.suggest(for: Self.request(times: ["morning", "evening"]), content: Self.content,
                                           from: from, until: until, booked: [], now: now, limit: 100)
        #expect(both.map { F.local($0.start).hour } == [8, 9, 10, 11, 17, 18, 19])
        // A time the content gives no hours (any time) fits everything.
        let anyTime = SlotSuggestions.suggest(for: Self.request(times: ["evening", "any"]), content: Self.content,
                                              from: from, until: until, booked: [], now: now, limit: 100)
        #expect(anyTime.count == 4 + 5)
        // Not before now.
        let later = SlotSuggestions.suggest(for: Self.request(), content: Self.content, from: from, until: until,
                                            booked: [], now: F.at(2026, 3, 9, 17, 30))
        #expect(later.map { F.local($0.start).hour } == [18, 19])
    }

    @Test("a freed slot lists waiting requests that fit it, not those that asked for another kind, time or status")
    func waitingList() {
        let slot = F.appointment("late", F.at(2026, 3, 9, 18))
        func waiting(_ status: FollowUpStatus = .requested, discipline: String? = "physical_therapist",
                     professional: String? = nil, times: [String] = ["evening"]) -> DeskFollowUp {
            DeskFollowUp(followUp: FollowUp(reference: "ABC-DEF", request: Self.request(discipline: discipline, professional: professional,
                                                                                        times: times), status: status),
                         appointment: nil, notes: nil)
        }
        #expect(Waitlist.fits(waiting(), slot: slot, professional: Self.late, content: Self.content))
        #expect(Waitlist.fits(waiting(.contacted), slot: slot, professional: Self.late, content: Self.content))
        #expect(Waitlist.fits(waiting(discipline: nil, times: []), slot: slot, professional: Self.late, content: Self.content))
        #expect(Waitlist.fits(waiting(professional: "late"), slot: slot, professional: Self.late, content: Self.content))
        #expect(!Waitlist.fits(waiting(times: ["morning"]), slot: slot, professional: Self.late, content: Self.content))
        #expect(!Waitlist.fits(waiting(discipline: "massage_therapist"), slot: slot, professional: Self.late, content: Self.content))
        #expect(!Waitlist.fits(waiting(professional: "early"), slot: slot, professional: Self.late, content: Self.content))
        #expect(!Waitlist.fits(waiting(.booked), slot: slot, professional: Self.late, content: Self.content))
        #expect(!Waitlist.fits(waiting(.cancelled), slot: slot, professional: Self.late, content: Self.content))
    }

    @Test("completed or no-show before the appointment starts needs confirming; after it, or other moves, do not")
    func statusTiming() {
        let start = F.at(2026, 3, 9, 18)
        let booked = F.followUp(status: .booked, appointment: F.appointment("late", start))
        for status in [FollowUpStatus.completed, .noShow] {
            #expect(StatusTiming.check(booked, to: status, now: start.addingTimeInterval(-60), confirmed: false)
                    == .beforeAppointment(start: start))
            #expect(StatusTiming.check(booked, to: status, now: start.addingTimeInterval(-60), confirmed: true) == nil)
            #expect(StatusTiming.check(booked, to: status, now: start, confirmed: false) == nil)
        }
        #expect(StatusTiming.check(booked, to: .cancelled, now: start.addingTimeInterval(-60), confirmed: false) == nil)
    }

    @Test("a request asked after a warning sign is booked only when the desk confirms the clearance")
    func clearance() {
        var f = F.followUp(discipline: "physical_therapist")
        f.followUp.request.afterMedicalClearance = true
        let slot = F.appointment("lee", F.at(2026, 3, 9, 9))
        let now = F.at(2026, 3, 1, 9)
        #expect(BookingRules.check(f, appointment: slot, professional: F.lee, clinic: F.clinic, booked: [], now: now,
                                   confirmDiscipline: false) == .awaitingClearance)
        #expect(BookingRules.check(f, appointment: slot, professional: F.lee, clinic: F.clinic, booked: [], now: now,
                                   confirmDiscipline: false, confirmClearance: true) == nil)
    }

    @Test("reminders: booked visits of one local day only, soonest first, with the text in the client's language")
    func reminders() throws {
        let day = Reminders.day(F.at(2026, 3, 9, 12), timeZone: F.chicago)
        #expect(day.from == F.at(2026, 3, 9, 0) && day.until == F.at(2026, 3, 10, 0))
        func booked(_ ref: String, _ status: FollowUpStatus, _ start: Date, language: String = "en") -> DeskFollowUp {
            var f = F.followUp(ref, status: status, name: "Client \(ref)", appointment: F.appointment("late", start))
            f.followUp.request.language = language
            return f
        }
        let list = Reminders.list([booked("BBB-BBB", .booked, F.at(2026, 3, 9, 18), language: "es"),
                                   booked("AAA-AAA", .booked, F.at(2026, 3, 9, 9)),
                                   booked("CCC-CCC", .cancelled, F.at(2026, 3, 9, 10)),
                                   booked("DDD-DDD", .completed, F.at(2026, 3, 9, 11)),
                                   booked("EEE-EEE", .booked, F.at(2026, 3, 10, 9))],
                                  content: Self.content, from: day.from, until: day.until)
        #expect(list.map(\.reference) == ["AAA-AAA", "BBB-BBB"])
        #expect(list[0].message == "Test Clinic: Late PT on 2026-03-09 at 09:00; call 555-0100.")
        #expect(list[1].message == "Test Clinic: Late PT el 2026-03-09 a las 18:00; llame al 555-0100.")
        let csv = CSV.row(Reminders.header) + list.map { CSV.row(Reminders.cells($0, timeZone: F.chicago)) }.joined()
        let records = try StrictCSV.parse(csv)
        #expect(records.count == 3 && records.allSatisfy { $0.count == Reminders.header.count })
        #expect(records[1] == ["AAA-AAA", "2026-03-09", "09:00", "Late PT", "Client AAA-AAA", "'+1 555 0199", "15550199",
                               "ada@example.org", "en", "Test Clinic: Late PT on 2026-03-09 at 09:00; call 555-0100."])
    }

    @Test("export ics: a booked event reminds as clinic.yaml says; history does not; lines stay within 75 octets")
    func valarm() throws {
        let booked = F.followUp("ABC-DEF", status: .booked, appointment: F.appointment("late", F.at(2026, 3, 9, 18)))
        let completed = F.followUp("GHJ-KMN", status: .completed, appointment: F.appointment("late", F.at(2026, 3, 2, 18)))
        let long = "Late PT " + String(repeating: "Ångström-Øverli ", count: 6)
        var text = ICalendar.header(clinic: Self.content.clinic, now: DeskICalendarTests.now)
        for f in [booked, completed] {
            text += try #require(ICalendar.event(f, clinic: Self.content.clinic, professionalName: long, includeContact: false,
                                                 now: DeskICalendarTests.now))
        }
        text += ICalendar.footer
        for line in DeskICalendarTests.physicalLines(text) { #expect(line.utf8.count <= 75, "\(line)") }
        let lines = DeskICalendarTests.unfold(text)
        var stack: [String] = [], alarms: [[String]] = [], inEvent: String?
        for line in lines {
            if line.hasPrefix("BEGIN:") {
                stack.append(String(line.dropFirst(6)))
                if line == "BEGIN:VALARM" { alarms.append(["in " + (inEvent ?? "?")]) }
            } else if line.hasPrefix("END:") {
                #expect(stack.popLast() == String(line.dropFirst(4)))
            } else if stack.last == "VEVENT", line.hasPrefix("UID:") {
                inEvent = String(line.dropFirst(4).prefix(7))
            } else if stack.last == "VALARM" {
                alarms[alarms.count - 1].append(line)
            }
        }
        #expect(stack.isEmpty)
        #expect(alarms.count == 1, "the booked event only")
        let alarm = try #require(alarms.first)
        #expect(alarm.contains("in ABC-DEF"))
        #expect(alarm.contains("ACTION:DISPLAY") && alarm.contains("TRIGGER:-PT2H"))
        #expect(alarm.contains("DESCRIPTION:Reminder: follow-up ABC-DEF with " + ICalendar.escape(long)))
        #expect(ICalendar.trigger(minutesBefore: 1440) == "-P1D" && ICalendar.trigger(minutesBefore: 90) == "-PT90M")
        var silent = Self.content.clinic
        silent.reminderMinutes = 0
        #expect(!(ICalendar.event(booked, clinic: silent, professionalName: "x", includeContact: false,
                                  now: DeskICalendarTests.now) ?? "").contains("VALARM"))
    }

    @Test("the numbers per event side by side, with no event as its own row, beside the totals")
    func eventsSideBySide() {
        var builder = PracticeStatsBuilder()
        for (event, language) in [("Spring fair", "en"), ("Spring fair", "es"), (nil, "en"), ("Open day", "en")] as [(String?, String)] {
            builder.addSession(language: language, event: event)
        }
        for event in ["Spring fair", "Spring fair", nil] as [String?] {
            builder.add(AssessmentRecord(id: UUID().uuidString, createdAt: Date(), event: event, language: "en", answers: [:],
                                         level: .selfCare, outcome: nil, optionsShown: [], optionsLeftOut: []))
        }
        builder.addFollowUp(status: .requested, event: "Spring fair")
        let stats = builder.build()
        #expect(stats.events == [
            EventStats(event: "Open day", sessions: 1),
            EventStats(event: "Spring fair", sessions: 2, finishedSessions: 2, bookingRequests: 1, conversion: 0.5),
            EventStats(event: nil, sessions: 1, finishedSessions: 1),
        ])
        let table = StatsReport.table(stats, width: 80, sectionLabels: { $1 })
        let rows = table.split(separator: "\n").map(String.init)
        let header = rows.firstIndex(of: "Events")
        #expect(header != nil, "\(table)")
        if let header {
            #expect(rows[header + 1].contains("Sessions") && rows[header + 1].contains("Conversion"))
            #expect(rows[header + 2].hasPrefix("  Open day") && rows[header + 2].hasSuffix("0.0%"))
            #expect(rows[header + 3].hasPrefix("  Spring fair") && rows[header + 3].hasSuffix("50.0%"))
            #expect(rows[header + 4].hasPrefix("  (no event)"))
            #expect(rows[header + 5].hasPrefix("  All") && rows[header + 5].contains(" 4 ") && rows[header + 5].hasSuffix("33.3%"))
        }
        #expect(rows.allSatisfy { TextWidth.columns($0) <= 80 })
    }
}
