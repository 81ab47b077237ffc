import Foundation
import KioskCore
import KioskPostgres
import KioskTestSupport
@testable import KioskStore
import Testing

/// A client who has been here before, the same on SQLite and PostgreSQL: the check of a code
/// and its second factor, the locks on wrong pairs (stored: a restart keeps them), the link
/// of a later visit, purge, and what the desk and the numbers read.
@Suite("Returning clients on both stores")
struct ReturningConformanceTests {
    static let questions = ["pain_now", "interference"]

    /// An assessment with these scores (and an answer that must never reach the kiosk).
    static func assessment(_ id: String, pain: Int?, interference: Int?, at seconds: TimeInterval,
                           event: String? = nil) -> AssessmentRecord {
        var answers: Answers = ["area": .choices(["neck"])]
        if let pain { answers["pain_now"] = .scale(pain) }
        if let interference { answers["interference"] = .scale(interference) }
        return AssessmentRecord(id: id, createdAt: at(seconds), event: event, language: "en", answers: answers,
                                level: .selfCare, outcome: nil, optionsShown: ["massage"], optionsLeftOut: [])
    }

    /// A follow-up made from a first visit with these scores; its reference.
    static func followUp(_ store: any PracticeStore, pain: Int?, interference: Int?, phone: String? = "+1 (555) 010-0123",
                         email: String? = nil, at seconds: TimeInterval = 1_740_000_000) throws -> String {
        let first = assessment("A-\(UUID().uuidString)", pain: pain, interference: interference, at: seconds)
        try store.saveAssessment(first)
        var asked = request(name: "Secret Name", phone: phone, email: email, at: seconds)
        asked.assessmentID = first.id
        return try store.saveFollowUp(asked, makeCode: randomCode)
    }

    /// A later visit, saved and linked with the right pair.
    static func visit(_ store: any PracticeStore, _ reference: String, factor: String = "0123", pain: Int?,
                      interference: Int?, at seconds: TimeInterval, event: String? = nil) throws {
        let later = assessment("A-\(UUID().uuidString)", pain: pain, interference: interference, at: seconds, event: event)
        try store.saveAssessment(later)
        #expect(try store.linkVisit(assessmentID: later.id, reference: reference, factor: factor, now: Date()))
    }

    @Test("a right pair gives only the last visit's scores; a good code with wrong digits and a made-up code are refused alike",
          arguments: StoreKind.available)
    func check(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let ref = try Self.followUp(store, pain: 7, interference: 6)
        let emailed = try Self.followUp(store, pain: 3, interference: nil, phone: nil, email: "Sam.Lee@example.com")
        let now = Date()
        #expect(try store.checkReturning(reference: ref, factor: "0123", kiosk: "k1", questions: Self.questions, now: now)
            == .admitted(scores: ["pain_now": 7, "interference": 6]))
        #expect(try store.checkReturning(reference: emailed, factor: "sam", kiosk: "k1", questions: Self.questions, now: now)
            == .admitted(scores: ["pain_now": 3]))
        let wrongDigits = try store.checkReturning(reference: ref, factor: "0124", kiosk: "k1", questions: Self.questions, now: now)
        let madeUp = try store.checkReturning(reference: "ZZZ-ZZZ", factor: "0123", kiosk: "k1", questions: Self.questions, now: now)
        let emailForPhone = try store.checkReturning(reference: ref, factor: "sam", kiosk: "k1", questions: Self.questions, now: now)
        #expect(wrongDigits == .refused && madeUp == .refused && emailForPhone == .refused)
        let locks = try store.returnLocks()
        #expect(locks.map(\.kiosk) == ["k1"] && locks.first?.failures == 3 && locks.first?.totalFailures == 3,
                "the desk sees the wrong tries: \(locks)")
        // A right pair clears the count in a row, not the total.
        _ = try store.checkReturning(reference: ref, factor: "0123", kiosk: "k1", questions: Self.questions, now: now)
        let cleared = try store.returnLocks().first
        #expect(cleared?.failures == 0 && cleared?.totalFailures == 3)
    }

    @Test("five wrong pairs in a row lock the way back at that kiosk, the lock survives a restart, other kiosks are not locked",
          arguments: StoreKind.available)
    func lockout(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let ref: String
        let now = Date()
        do {
            let store = try db.open()
            ref = try Self.followUp(store, pain: 5, interference: 5)
            for n in 1...4 {
                #expect(try store.checkReturning(reference: "ZZZ-ZZ\(n + 1)", factor: "0000", kiosk: "waiting-room",
                                                 questions: Self.questions, now: now) == .refused, "try \(n)")
            }
            let fifth = try store.checkReturning(reference: "ZZZ-ZZZ", factor: "0000", kiosk: "waiting-room",
                                                 questions: Self.questions, now: now)
            #expect(fifth == .locked(until: now.addingTimeInterval(ReturningLock.kiosk.firstLock)), "the fifth locks")
            try store.close()
        }
        // Another connection, as after a restart: still locked, even for the right pair.
        let again = try db.open()
        guard case let .locked(until) = try again.checkReturning(reference: ref, factor: "0123", kiosk: "waiting-room",
                                                                questions: Self.questions, now: now.addingTimeInterval(60)) else {
            Issue.record("the lock did not survive a restart"); return
        }
        #expect(abs(until.timeIntervalSince(now.addingTimeInterval(600))) < 0.01)
        #expect(try again.checkReturning(reference: ref, factor: "0123", kiosk: "front-hall", questions: Self.questions,
                                         now: now) == .admitted(scores: ["pain_now": 5, "interference": 5]))
        let seen = try again.returnLocks().first { $0.kiosk == "waiting-room" }
        #expect(seen?.failures == 5 && seen?.lockedUntil != nil, "the desk sees the lock")
        // After the lock, the right pair works again and clears it.
        #expect(try again.checkReturning(reference: ref, factor: "0123", kiosk: "waiting-room", questions: Self.questions,
                                         now: now.addingTimeInterval(601)) == .admitted(scores: ["pain_now": 5, "interference": 5]))
    }

    @Test("a code's fifth wrong factor in a row refuses it at every kiosk, so that nobody tries all 4 digits from several",
          arguments: StoreKind.available)
    func codeGuard(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let ref = try Self.followUp(store, pain: 5, interference: 5)
        let other = try Self.followUp(store, pain: 2, interference: 2)
        for n in 0..<5 {
            #expect(try store.checkReturning(reference: ref, factor: String(format: "%04d", 9000 + n), kiosk: "k\(n)",
                                             questions: Self.questions, now: Date()) == .refused)
        }
        #expect(try store.checkReturning(reference: ref, factor: "0123", kiosk: "k9", questions: Self.questions, now: Date())
            == .refused, "the right factor is refused for a while, with the same words")
        #expect(try !store.linkVisit(assessmentID: "none", reference: ref, factor: "0123", now: Date()))
        #expect(try store.checkReturning(reference: other, factor: "0123", kiosk: "k9", questions: Self.questions, now: Date())
            == .admitted(scores: ["pain_now": 2, "interference": 2]), "another code is not")
    }

    @Test("a later visit is linked only with the right pair; the desk sees each visit; the next check gives the latest scores",
          arguments: StoreKind.available)
    func linking(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let ref = try Self.followUp(store, pain: 7, interference: 6, at: 1_740_000_000)
        let second = Self.assessment("A-second", pain: 4, interference: 5, at: 1_741_000_000)
        try store.saveAssessment(second)
        #expect(try store.linkVisit(assessmentID: second.id, reference: ref, factor: "0123", now: Date()))
        try store.saveAssessment(second)   // saved again (same id), as a session does: the link stays
        // A visit that ended at a warning sign, before the scores.
        try Self.visit(store, ref, pain: nil, interference: nil, at: 1_742_000_000)
        let stranger = Self.assessment("A-stranger", pain: 9, interference: 9, at: 1_743_000_000)
        try store.saveAssessment(stranger)
        #expect(try !store.linkVisit(assessmentID: stranger.id, reference: ref, factor: "9999", now: Date()))
        let visits = try #require(try store.linkedVisits(references: [ref, "ZZZ-ZZZ"], questions: Self.questions)[ref])
        #expect(visits.map(\.scores) == [["pain_now": 7, "interference": 6], ["pain_now": 4, "interference": 5], [:]])
        #expect(visits.map(\.at) == [at(1_740_000_000), at(1_741_000_000), at(1_742_000_000)])
        #expect(try store.linkedVisits(references: ["ZZZ-ZZZ"], questions: Self.questions).isEmpty)
        #expect(try store.checkReturning(reference: ref, factor: "0123", kiosk: "k1", questions: Self.questions, now: Date())
            == .admitted(scores: ["pain_now": 4, "interference": 5]), "each score from the latest visit that holds it")
        // A follow-up nobody came back to has no visits to list.
        let alone = try Self.followUp(store, pain: 3, interference: 3)
        #expect(try store.linkedVisits(references: [alone], questions: Self.questions)[alone] == nil)
    }

    @Test("purge removes the link with the contact details; a purged follow-up cannot be used to come back",
          arguments: StoreKind.available)
    func purge(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let ref = try Self.followUp(store, pain: 7, interference: 6, at: 1_740_000_000)
        try Self.visit(store, ref, pain: 4, interference: 5, at: 1_741_000_000)
        try store.setStatus(reference: ref, to: .cancelled, actor: "desk", note: nil, now: desk(1))
        #expect(try store.purgeContactDetails(before: desk(2), dryRun: false, actor: "desk", now: desk(2)) == 1)
        #expect(try store.linkedVisits(references: [ref], questions: Self.questions).isEmpty)
        #expect(try store.returningOutcomes(questions: Self.questions, event: nil, since: nil).isEmpty)
        #expect(try store.checkReturning(reference: ref, factor: "0123", kiosk: "k1", questions: Self.questions, now: Date())
            == .refused)
    }

    @Test("the numbers from a database with known visits: returning clients, the median change in pain, the shares people notice",
          arguments: StoreKind.available)
    func stats(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let a = try Self.followUp(store, pain: 7, interference: 6, at: 1_740_000_000)
        try Self.visit(store, a, pain: 5, interference: 5, at: 1_741_000_000)
        try Self.visit(store, a, pain: 3, interference: 4, at: 1_742_000_000, event: "Spring fair")   // latest: 7 -> 3
        let b = try Self.followUp(store, pain: 6, interference: 6, at: 1_740_000_000)
        try Self.visit(store, b, pain: 5, interference: 6, at: 1_741_500_000)                        // 6 -> 5
        let c = try Self.followUp(store, pain: 3, interference: 2, at: 1_740_000_000)
        try Self.visit(store, c, pain: 7, interference: 2, at: 1_741_500_000)                        // 3 -> 7
        _ = try Self.followUp(store, pain: 8, interference: 8)                                        // never came back
        let outcomes = try store.returningOutcomes(questions: Self.questions, event: nil, since: nil)
        let pairs = Set(outcomes.map { [$0.first["pain_now"] ?? -1, $0.latest["pain_now"] ?? -1] })
        #expect(pairs == [[7, 3], [6, 5], [3, 7]])
        let stats = ReturningStats(outcomes, rule: Self.rule, content: Self.content)
        #expect(stats.returningClients == 3 && stats.withScores == 3)
        #expect(stats.medianPainChange == -1, "the middle of -4, -1, +4")
        #expect((stats.better, stats.unchanged, stats.worse) == (1, 1, 1))
        // Filtered by the latest visit's event and time.
        #expect(try store.returningOutcomes(questions: Self.questions, event: "Spring fair", since: nil).count == 1)
        #expect(try store.returningOutcomes(questions: Self.questions, event: nil, since: at(1_741_600_000)).count == 1)
        #expect(try store.returningOutcomes(questions: Self.questions, event: nil, since: at(1_742_000_001)).isEmpty)
    }

    static let rule = ProgressRule(measures: [.init(question: "pain_now", label: LocalizedText(en: "Pain now"))],
                                   points: 2, outOf: 10, percent: 30, evidence: ["farrar_2001"])

    /// Just enough content for the rule: the pain question's scale.
    static let content = PracticeContent(
        clinic: Clinic(name: "C", address: "A", phone: "P", timeZone: "UTC", languages: ["en"], disciplines: [], professionals: []),
        messages: Messages([:]), warningScreens: [], outcomes: [], escalations: [],
        questions: [Question(id: "pain_now", kind: .scale(min: 0, max: 10), prompt: LocalizedText(en: "?"), why: LocalizedText(en: "?"))],
        options: [], leaveOut: [], precautions: [], evidence: [], bookingTimes: [], progress: rule)
}
