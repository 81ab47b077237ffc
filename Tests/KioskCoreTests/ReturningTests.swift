import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// A client who has been here before: the welcome, the code and second factor, consent,
/// the questionnaire again (warning signs first), and "Since last time" on the overview.
@Suite("A returning client")
struct ReturningTests {
    static let rule = ProgressRule(
        measures: [.init(question: "pain_now", label: Fixture.t("Pain now")),
                   .init(question: "interference", label: Fixture.t("Daily life"))],
        points: 2, outOf: 10, percent: 30, evidence: ["ev2"])

    /// The fixture, with an interference question, the progress rule and its words.
    static func content(painScale: (Int, Int) = (0, 10), rule: ProgressRule = ReturningTests.rule) -> PracticeContent {
        var content = Fixture.content
        var texts = content.messages.texts
        let words: [MessageKey: String] = [
            .welcomeReturning: "I have been here before",
            .wordsReturning: "been here before, returning, i have a code",
            .returnRefused: "That code and those digits or letters do not match.",
            .returnLocked: "Too many tries here.",
            .progressTitle: "Since last time ({source}):",
            .progressLine: "{measure}: {before} → {now}, {change}.",
            .progressLineVerdict: "{measure}: {before} → {now}, {change}: {verdict}.",
            .progressDown: "down {points} points", .progressDownOne: "down 1 point",
            .progressUp: "up {points} points", .progressUpOne: "up 1 point", .progressNoChange: "no change",
            .progressPercent: "({percent}%)",
            .progressBetter: "a change most people notice",
            .progressSame: "less than most people notice",
            .progressWorse: "a rise most people notice. Please tell the professional at your visit",
            .earlierAnswer: "Your answer before: {answer}",
        ]
        for (key, text) in words { texts[key.rawValue] = Fixture.t(text) }
        content.messages = Messages(texts)
        var questions = content.questions
        let pain = questions.firstIndex { $0.id == "pain_now" }!
        questions[pain].kind = .scale(min: painScale.0, max: painScale.1)
        questions.insert(Question(id: "interference", kind: .scale(min: 0, max: 10), prompt: Fixture.t("In the way?"),
                                  why: Fixture.t("why interference")), at: pain + 1)
        content.questions = questions
        content.evidence.append(Evidence(id: "ev2", citation: "Farrar JT, et al. Pain 2001;94:149-158.", year: 2001,
                                         kind: Fixture.t("analysis"), finding: Fixture.t("About 2 points or 30%"),
                                         strength: Fixture.t("one study"), short: Fixture.t("Farrar 2001, Pain")))
        content.progress = rule
        return content
    }

    /// Welcome -> "I have been here before" -> code -> factor: the check the shell runs.
    static func atCheck(_ content: PracticeContent = ReturningTests.content()) -> (ClientSession, Transition) {
        var session = ClientSession(content: content, id: "visit-2")
        _ = session.start()
        _ = session.handle("I have been here before", now: Fixture.now)
        _ = session.handle("k7m 2qx", now: Fixture.now)
        let check = session.handle("0100", now: Fixture.now)
        return (session, check)
    }

    /// No warning sign, low back, stiff, pain `pain`, interference `interference`, nothing known, none.
    static func questionnaire(pain: Int, interference: Int) -> [String] {
        ["3", "2", "1", String(pain), String(interference), "3", "3"]
    }

    @Test("a whole returning session: code and factor checked by the shell, consent, warning signs first, the change on the overview, the visit linked")
    func wholeSession() throws {
        var (session, check) = Self.atCheck()
        #expect(check.effects == [.checkReturning(reference: "K7M-2QX", factor: "0100", questions: ["pain_now", "interference"])])
        #expect(session.step == .returnChecking)
        _ = session.handle("anything", now: Fixture.now)
        #expect(session.step == .returnChecking, "typing while the check runs changes nothing")

        let consent = session.returningChecked(.admitted(scores: ["pain_now": 7, "interference": 6]))
        #expect(session.step == .returnConsent)
        #expect(consent.screen.clear)
        _ = session.handle("yes", now: Fixture.now)
        #expect(session.step == .warning(0), "the warning signs still come first")
        var last = Transition(screen: Screen(blocks: [], prompt: ""))
        for line in Self.questionnaire(pain: 4, interference: 5) { last = session.handle(line, now: Fixture.now) }
        #expect(session.step == .results)
        let overview = last.screen.plainText
        #expect(overview.contains("Since last time (Farrar 2001, Pain):"))
        #expect(overview.contains("- Pain now: 7 → 4, down 3 points (43%): a change most people notice."))
        #expect(overview.contains("- Daily life: 6 → 5, down 1 point (17%): less than most people notice."))
        #expect(!overview.contains("tell the professional"))

        // Asking for no visit: the anonymous assessment is saved, then linked.
        let done = session.handle("no", now: Fixture.now)
        guard case let .saveAssessment(record)? = done.effects.first else { Issue.record("no assessment"); return }
        #expect(record.id == "visit-2")
        #expect(done.effects.dropFirst().first == .linkVisit(assessmentID: "visit-2", reference: "K7M-2QX", factor: "0100"))
    }

    @Test("without consent the visit stays anonymous: saved, never linked; the change is still shown")
    func noConsent() {
        var (session, _) = Self.atCheck()
        _ = session.returningChecked(.admitted(scores: ["pain_now": 5]))
        _ = session.handle("no", now: Fixture.now)
        #expect(session.step == .warning(0))
        var last = Transition(screen: Screen(blocks: [], prompt: ""))
        for line in Self.questionnaire(pain: 8, interference: 2) { last = session.handle(line, now: Fixture.now) }
        #expect(last.screen.plainText.contains("- Pain now: 5 → 8, up 3 points (60%): a rise most people notice. "
            + "Please tell the professional at your visit."))
        #expect(!last.screen.plainText.contains("Daily life"), "no score last time: nothing to compare")
        let booked = session.handle("book", now: Fixture.now)
        #expect(booked.effects.contains { if case .saveAssessment = $0 { return true }; return false })
        #expect(!booked.effects.contains { if case .linkVisit = $0 { return true }; return false })
    }

    @Test("a warning sign on the way back: the outcome's assessment is linked too, and the alert raised")
    func warningSign() {
        var (session, _) = Self.atCheck()
        _ = session.returningChecked(.admitted(scores: ["pain_now": 5]))
        _ = session.handle("1", now: Fixture.now)
        let outcome = session.handle("1", now: Fixture.now)
        #expect(session.step == .outcome)
        #expect(outcome.effects.contains(.linkVisit(assessmentID: "visit-2", reference: "K7M-2QX", factor: "0100")))
        #expect(outcome.effects.contains { if case .raiseAlert = $0 { return true }; return false })
    }

    @Test("a wrong pair and a made-up code are told the same words; the code is asked again; back leads to the start")
    func refused() {
        var (session, _) = Self.atCheck()
        let wrong = session.returningChecked(.refused)
        #expect(session.step == .returnCode)
        #expect(wrong.screen.plainText.contains("That code and those digits or letters do not match."))
        // The screen says nothing of which was wrong: it is the same for every refusal.
        var (other, _) = Self.atCheck()
        #expect(other.returningChecked(.refused) == wrong)
        _ = session.handle("back", now: Fixture.now)
        #expect(session.step == .welcome)
    }

    @Test("locked: the kiosk says so, and Enter starts a new, anonymous visit")
    func locked() {
        var (session, _) = Self.atCheck()
        let shown = session.returningChecked(.locked(until: Fixture.now.addingTimeInterval(600)))
        #expect(session.step == .returnLocked)
        #expect(shown.screen.plainText.contains("Too many tries here."))
        _ = session.handle("", now: Fixture.now)
        #expect(session.step == .warning(0))
        #expect(session.returning.reference == nil)
        for line in Self.questionnaire(pain: 4, interference: 5) { _ = session.handle(line, now: Fixture.now) }
        #expect(!session.screen(for: .results).plainText.contains("Since last time"))
        let end = session.handle("no", now: Fixture.now)
        #expect(!end.effects.contains { if case .linkVisit = $0 { return true }; return false })
    }

    @Test("the code and the factor are typed on screens kept out of the line history; their format is checked first")
    func sensitiveScreens() {
        var session = ClientSession(content: Self.content(), id: "s")
        _ = session.start()
        let code = session.handle("returning", now: Fixture.now)
        #expect(session.step == .returnCode)
        #expect(code.screen.sensitive)
        let bad = session.handle("K7M-2Q", now: Fixture.now)
        #expect(session.step == .returnCode, "a code of 5 characters is asked again, not checked")
        #expect(bad.effects.isEmpty)
        let factor = session.handle("K7M-2QX", now: Fixture.now)
        #expect(session.step == .returnFactor)
        #expect(factor.screen.sensitive)
        #expect(session.handle("01", now: Fixture.now).effects.isEmpty, "2 digits are neither a phone's 4 nor an email's 3")
        #expect(session.handle("Sam", now: Fixture.now).effects
            == [.checkReturning(reference: "K7M-2QX", factor: "sam", questions: ["pain_now", "interference"])])
    }

    @Test("'I have been here before' is understood by its number and in a person's own words")
    func ownWords() {
        for typed in ["1", "I have been here before", "been here before", "i have a code", "Returning"] {
            var session = ClientSession(content: Self.content(), id: "s")
            _ = session.start()
            _ = session.handle(typed, now: Fixture.now)
            #expect(session.step == .returnCode, "\(typed)")
        }
        var session = ClientSession(content: Self.content(), id: "s")
        _ = session.start()
        _ = session.handle("", now: Fixture.now)
        #expect(session.step == .warning(0), "Enter starts a new visit")
    }

    @Test("a returning client never sees an earlier answer: only the two scores reach the session")
    func nothingElseShown() {
        var (session, _) = Self.atCheck()
        _ = session.returningChecked(.admitted(scores: ["pain_now": 7]))
        _ = session.handle("yes", now: Fixture.now)
        var screens: [String] = []
        for line in Self.questionnaire(pain: 4, interference: 5) { screens.append(session.handle(line, now: Fixture.now).screen.plainText) }
        for screen in screens.dropLast() {
            #expect(!screen.contains("Your answer before"), "no question shows an answer of the last visit")
        }
        #expect(session.returning.earlier == ["pain_now": 7])
    }

    // MARK: - The rule

    @Test("the change and whether people notice it, on 0-10: 2 points or 30% (Content's thresholds)")
    func comparison() {
        let rule = Self.rule
        func verdict(_ a: Int, _ b: Int) -> ScoreChange.Verdict { rule.change(from: a, to: b, min: 0, max: 10).verdict }
        #expect(rule.change(from: 7, to: 4, min: 0, max: 10) == ScoreChange(before: 7, now: 4, percent: 43, verdict: .better))
        #expect(verdict(7, 5) == .better, "2 points")
        #expect(verdict(8, 7) == .same, "1 point, 12.5%")
        #expect(verdict(3, 2) == .better, "1 point but 33%")
        #expect(verdict(5, 5) == .same)
        #expect(verdict(0, 1) == .same, "from nothing, 1 point: no share of nothing")
        #expect(rule.change(from: 0, to: 3, min: 0, max: 10) == ScoreChange(before: 0, now: 3, percent: nil, verdict: .worse))
        #expect(verdict(6, 8) == .worse)
        #expect(verdict(9, 10) == .same, "1 point, 11%")
    }

    @Test("a scale that Content changes: the points scale with the question's range; other thresholds from Content")
    func otherScale() {
        // Pain on 0-100: 2 points of 10 are 20 of 100.
        let content = Self.content(painScale: (0, 100))
        let rule = Self.rule
        #expect(rule.change(from: 70, to: 55, min: 0, max: 100).verdict == .same, "15 points, 21%")
        #expect(rule.change(from: 70, to: 50, min: 0, max: 100).verdict == .better, "20 points")
        #expect(rule.change(from: 40, to: 28, min: 0, max: 100).verdict == .better, "12 points but 30%")
        // On 1-5, the share is of the score above the bottom: 3 -> 2 is half of what was there.
        #expect(rule.change(from: 3, to: 2, min: 1, max: 5) == ScoreChange(before: 3, now: 2, percent: 50, verdict: .better))
        // A practice that asks for more: 3 points or 50%.
        let strict = ProgressRule(measures: rule.measures, points: 3, outOf: 10, percent: 50, evidence: ["ev2"])
        #expect(strict.change(from: 7, to: 5, min: 0, max: 10).verdict == .same)
        // Through the session: 0-100 pain, 80 -> 30.
        var (session, _) = Self.atCheck(Self.content(painScale: (0, 100), rule: strict))
        _ = session.returningChecked(.admitted(scores: ["pain_now": 80, "interference": 4]))
        _ = session.handle("yes", now: Fixture.now)
        var last = Transition(screen: Screen(blocks: [], prompt: ""))
        for line in ["3", "2", "1", "30", "4", "3", "3"] { last = session.handle(line, now: Fixture.now) }
        #expect(last.screen.plainText.contains("- Pain now: 80 → 30, down 50 points (63%): a change most people notice."))
        #expect(last.screen.plainText.contains("- Daily life: 4 → 4, no change."))
        _ = content
    }

    @Test("codes and second factors as people type them")
    func typing() {
        #expect(ReferenceCode.normalized("k7m2qx") == "K7M-2QX")
        #expect(ReferenceCode.normalized(" K7M 2QX ") == "K7M-2QX")
        #expect(ReferenceCode.normalized("K7M-2Q0") == nil, "0 is never in a code")
        #expect(ReturnFactor.normalized("01 42") == "0142")
        #expect(ReturnFactor.normalized("Sam") == "sam")
        #expect(ReturnFactor.normalized("12345") == nil)
        #expect(ReturnFactor.matches("0142", phone: "(217) 555-0142", email: nil))
        #expect(!ReturnFactor.matches("0142", phone: nil, email: nil), "a purged follow-up matches nothing")
        #expect(ReturnFactor.matches("sam", phone: "555-0100", email: "Sam.Lee@example.com"))
        #expect(!ReturnFactor.matches("0100", phone: "555-0101", email: "0100@example.com"), "4 digits are the phone's")
    }

    @Test("the lock at a kiosk starts at the fifth wrong pair in a row, and grows")
    func lock() {
        #expect(ReturningLock.kiosk.lockDuration(afterFailures: 4) == nil)
        #expect(ReturningLock.kiosk.lockDuration(afterFailures: 5) == 600)
        #expect(ReturningLock.kiosk.lockDuration(afterFailures: 6) == 1_200)
        #expect(ReturningLock.kiosk.lockDuration(afterFailures: 40) == 7_200)
        #expect(StaffLockPolicy.lockDuration(afterFailures: 5) == 60, "the staff PIN's rule is unchanged")
    }

    @Test("the numbers: returning clients, the median change in pain, and the shares that people notice")
    func stats() {
        let outcomes = [
            ReturnOutcome(first: ["pain_now": 7], latest: ["pain_now": 4]),   // -3 better
            ReturnOutcome(first: ["pain_now": 6], latest: ["pain_now": 5]),   // -1 same
            ReturnOutcome(first: ["pain_now": 3], latest: ["pain_now": 6]),   // +3 worse
            ReturnOutcome(first: ["pain_now": 8], latest: ["pain_now": 2]),   // -6 better
            ReturnOutcome(first: [:], latest: ["pain_now": 2]),               // no first score
        ]
        let stats = ReturningStats(outcomes, rule: Self.rule, content: Self.content())
        #expect(stats.returningClients == 5)
        #expect(stats.withScores == 4)
        #expect(stats.medianPainChange == -2, "the middle of -6, -3, -1, +3")
        #expect((stats.better, stats.unchanged, stats.worse) == (2, 1, 1))
        #expect(stats.betterShare == 0.5 && stats.unchangedShare == 0.25 && stats.worseShare == 0.25)
        #expect(stats.tableLines().contains { $0.contains("better 2 (50.0%), unchanged 1 (25.0%), worse 1 (25.0%)") })
        #expect(ReturningStats([], rule: Self.rule, content: Self.content()) == .zero)
    }
}
