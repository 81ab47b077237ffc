import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

/// 1 March 2025, 10:00 UTC, and the next day.
private let day1: TimeInterval = 1_740_823_200
private let day2: TimeInterval = day1 + 86_400

private func assessment(_ id: String, _ time: TimeInterval, _ event: String, area: String?, cause: String?,
                        level: TriageLevel = .selfCare, outcome: String? = nil, shown: [String]) -> AssessmentRecord {
    var answers: Answers = ["warning_emergency_1": .choices([level == .emergency ? "chest_pain" : "none"])]
    if let area { answers["area"] = .choices([area]) }
    if let cause { answers["cause"] = .choices([cause]) }
    answers["pain_now"] = .scale(6)
    return AssessmentRecord(id: id, createdAt: at(time), event: event, language: "en", answers: answers,
                            level: level, outcome: outcome, optionsShown: shown,
                            optionsLeftOut: level == .selfCare ? [] : ["massage"])
}

private func request(for record: AssessmentRecord) -> FollowUpRequest {
    FollowUpRequest(assessmentID: record.id, createdAt: record.createdAt.addingTimeInterval(60), event: record.event,
                    language: record.language, name: "Zoë Müller \(record.id)", phone: "+41 79 123 45 67",
                    email: "zoe@example.org", discipline: "massage_therapist", professional: nil,
                    preferredTimes: ["saturday"], consent: true, afterMedicalClearance: false)
}

/// Two events ("fair", "expo") over two days, through the store's public API.
///
/// | event | day | sessions (language) | assessments | follow-ups |
/// | fair  | 1 | 5 (4 en, 1 es) | A1 low_back/work_strain, A2 low_back/fall, A3 neck/work_strain, A4 emergency | F1 booked (A1), F2 completed (A2) |
/// | fair  | 2 | 3 (en)         | A5 low_back/sports_injury, A6 hip_leg/fall doctor_soon | F3 requested (A5) |
/// | expo  | 1 | 2 (es)         | A7 neck/nothing_known | F4 cancelled after contact (A7) |
/// | expo  | 2 | 4 (2 en, 2 es) | A8 neck/work_strain, A9 upper_back/work_strain | F5 no-show (A8), F6 requested (A9) |
private func fill(_ store: SQLiteKioskStore) throws {
    var n = 0
    func sessions(_ event: String, _ time: TimeInterval, _ languages: [String]) throws {
        for language in languages {
            n += 1
            try store.recordSessionStart(id: "S\(n)", at: at(time + Double(n)), event: event, language: language)
        }
    }
    try sessions("fair", day1, ["en", "en", "en", "en", "es"])
    try sessions("fair", day2, ["en", "en", "en"])
    try sessions("expo", day1, ["es", "es"])
    try sessions("expo", day2, ["en", "en", "es", "es"])

    let a1 = assessment("A1", day1 + 100, "fair", area: "low_back", cause: "work_strain", shown: ["massage", "heat"])
    let a2 = assessment("A2", day1 + 200, "fair", area: "low_back", cause: "fall", shown: ["massage"])
    let a3 = assessment("A3", day1 + 300, "fair", area: "neck", cause: "work_strain", shown: ["heat"])
    let a4 = assessment("A4", day1 + 400, "fair", area: nil, cause: nil, level: .emergency, outcome: "emergency", shown: [])
    let a5 = assessment("A5", day2 + 100, "fair", area: "low_back", cause: "sports_injury", shown: ["massage", "ice"])
    let a6 = assessment("A6", day2 + 200, "fair", area: "hip_leg", cause: "fall", level: .doctorSoon,
                        outcome: "doctor_soon", shown: ["gentle_movement"])
    let a7 = assessment("A7", day1 + 500, "expo", area: "neck", cause: "nothing_known", shown: ["massage"])
    let a8 = assessment("A8", day2 + 300, "expo", area: "neck", cause: "work_strain", shown: ["massage", "heat"])
    let a9 = assessment("A9", day2 + 400, "expo", area: "upper_back", cause: "work_strain", shown: ["heat"])
    for record in [a1, a2, a3, a4, a5, a6, a7, a8, a9] { try store.saveAssessment(record) }

    var codes = ["FAA-AA1", "FAA-AA2", "FAA-AA3", "FAA-AA4", "FAA-AA5", "FAA-AA6"].makeIterator()
    func save(_ record: AssessmentRecord) throws -> String {
        try store.saveFollowUp(request(for: record), makeCode: { codes.next() ?? "" })
    }
    let now = at(day2 + 86_400)
    func slot(_ hour: Double) -> Appointment {
        Appointment(professional: "dana", start: at(day2 + 86_400 * 2 + hour * 3600),
                    end: at(day2 + 86_400 * 2 + hour * 3600 + 3600))
    }
    let f1 = try save(a1)
    try store.book(reference: f1, appointment: slot(0), actor: "desk", note: nil, now: now)
    let f2 = try save(a2)
    try store.book(reference: f2, appointment: slot(1), actor: "desk", note: nil, now: now)
    try store.setStatus(reference: f2, to: .completed, actor: "desk", note: nil, now: now)
    _ = try save(a5)
    let f4 = try save(a7)
    try store.setStatus(reference: f4, to: .contacted, actor: "desk", note: nil, now: now)
    try store.setStatus(reference: f4, to: .cancelled, actor: "desk", note: nil, now: now)
    let f5 = try save(a8)
    try store.book(reference: f5, appointment: slot(2), actor: "desk", note: nil, now: now)
    try store.setStatus(reference: f5, to: .noShow, actor: "desk", note: nil, now: now)
    _ = try save(a9)
}

@Suite("Stats store")
struct StatsStoreTests {
    @Test("all events and days: every count exact")
    func all() throws {
        let folder = try TempDir()
        let store = try SQLiteKioskStore(path: folder.path("kiosk.sqlite"))
        try fill(store)
        let stats = try store.practiceStats(event: nil, since: nil)
        #expect(stats == PracticeStats(
            sessions: 14, finishedSessions: 9, warningOutcomes: ["emergency": 1, "doctor_soon": 1],
            emergency: 1, doctorSoon: 1, bookingRequests: 6, conversion: 6.0 / 9.0,
            waiting: 2, booked: 3, completed: 1, noShows: 1, cancelled: 1,
            painAreas: ["low_back": 3, "neck": 3, "hip_leg": 1, "upper_back": 1],
            causes: ["work_strain": 4, "fall": 2, "sports_injury": 1, "nothing_known": 1],
            optionsShown: ["massage": 5, "heat": 4, "ice": 1, "gentle_movement": 1],
            byLanguage: ["en": 9, "es": 5],
            events: [EventStats(event: "expo", sessions: 6, finishedSessions: 3, bookingRequests: 3, conversion: 1),
                     EventStats(event: "fair", sessions: 8, finishedSessions: 6, bookingRequests: 3, conversion: 0.5)]))
    }

    @Test("one event")
    func oneEvent() throws {
        let folder = try TempDir()
        let store = try SQLiteKioskStore(path: folder.path("kiosk.sqlite"))
        try fill(store)
        #expect(try store.practiceStats(event: "fair", since: nil) == PracticeStats(
            sessions: 8, finishedSessions: 6, warningOutcomes: ["emergency": 1, "doctor_soon": 1],
            emergency: 1, doctorSoon: 1, bookingRequests: 3, conversion: 0.5,
            waiting: 1, booked: 2, completed: 1, noShows: 0, cancelled: 0,
            painAreas: ["low_back": 3, "neck": 1, "hip_leg": 1],
            causes: ["work_strain": 2, "fall": 2, "sports_injury": 1],
            optionsShown: ["massage": 3, "heat": 2, "ice": 1, "gentle_movement": 1],
            byLanguage: ["en": 7, "es": 1],
            events: [EventStats(event: "fair", sessions: 8, finishedSessions: 6, bookingRequests: 3, conversion: 0.5)]))
        #expect(try store.practiceStats(event: "no such event", since: nil) == .zero)
    }

    @Test("since a date, alone and with an event")
    func sinceDate() throws {
        let folder = try TempDir()
        let store = try SQLiteKioskStore(path: folder.path("kiosk.sqlite"))
        try fill(store)
        // Midnight UTC starting day 2: everything on day 1 is before it.
        let midnight = at(day2 - 10 * 3600)
        #expect(try store.practiceStats(event: nil, since: midnight) == PracticeStats(
            sessions: 7, finishedSessions: 4, warningOutcomes: ["doctor_soon": 1],
            emergency: 0, doctorSoon: 1, bookingRequests: 3, conversion: 0.75,
            waiting: 2, booked: 1, completed: 0, noShows: 1, cancelled: 0,
            painAreas: ["low_back": 1, "hip_leg": 1, "neck": 1, "upper_back": 1],
            causes: ["sports_injury": 1, "fall": 1, "work_strain": 2],
            optionsShown: ["massage": 2, "ice": 1, "gentle_movement": 1, "heat": 2],
            byLanguage: ["en": 5, "es": 2],
            events: [EventStats(event: "expo", sessions: 4, finishedSessions: 2, bookingRequests: 2, conversion: 1),
                     EventStats(event: "fair", sessions: 3, finishedSessions: 2, bookingRequests: 1, conversion: 0.5)]))
        let fairDay2 = try store.practiceStats(event: "fair", since: midnight)
        #expect(fairDay2.sessions == 3)
        #expect(fairDay2.finishedSessions == 2)
        #expect(fairDay2.bookingRequests == 1)
        #expect(fairDay2.waiting == 1)
        #expect(fairDay2.conversion == 0.5)
        // The bound is inclusive: a record at exactly `since` counts.
        #expect(try store.practiceStats(event: "fair", since: at(day2 + 100)).finishedSessions == 2)
        #expect(try store.practiceStats(event: nil, since: at(day2 + 86_400)) == .zero)
    }

    @Test("an empty database gives zeros, no error")
    func empty() throws {
        let folder = try TempDir()
        let store = try SQLiteKioskStore(path: folder.path("kiosk.sqlite"))
        #expect(try store.practiceStats(event: nil, since: nil) == .zero)
        #expect(try store.practiceStats(event: "fair", since: at(day1)) == .zero)
        let memory = try SQLiteKioskStore.inMemory()
        #expect(try memory.practiceStats(event: nil, since: nil) == .zero)
    }

    @Test("an unreadable assessment is a one-line store error")
    func unreadableRow() throws {
        let store = try SQLiteKioskStore.inMemory()
        try store.saveAssessment(assessment("A1", day1, "fair", area: "neck", cause: nil, shown: []))
        try store.executeForTesting("UPDATE assessment SET answers_json = '{not json'")
        #expect(throws: StoreError.io(reason: "unreadable JSON in column answers_json of assessment A1")) {
            try store.practiceStats(event: nil, since: nil)
        }
    }
}
