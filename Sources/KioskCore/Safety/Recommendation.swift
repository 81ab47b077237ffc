/// An option that fits, with why and what to take care of.
public struct Suggestion: Sendable {
    public var option: CareOption
    public var score: Int
    public var reasons: [LocalizedText]
    public var precautions: [LocalizedText]
}

/// An option left out because the client's answers make it unsafe.
public struct LeftOut: Sendable {
    public var option: CareOption
    public var because: [LocalizedText]
}

public struct Recommendation: Sendable {
    public var suggested: [Suggestion]
    public var leftOut: [LeftOut]
    public var suggestedIDs: [String] { suggested.map(\.option.id) }
    public var leftOutIDs: [String] { leftOut.map(\.option.id) }
}

/// What the answers lead to: a warning-sign outcome, or options.
public struct Assessment: Sendable {
    public var level: TriageLevel
    public var outcome: TriageOutcome?
    /// Options that fit and are safe; empty for an emergency, always.
    public var recommendation: Recommendation
}

public enum Recommender {
    /// The warning-sign outcome the answers lead to, if any: a sign the client
    /// picked on a warning screen, else the first escalation rule that holds.
    /// The most urgent wins.
    public static func triage(_ answers: Answers, content: PracticeContent) -> TriageOutcome? {
        var found: [TriageOutcome] = []
        for screen in content.warningScreens {
            for sign in screen.signs where answers[screen.id]?.choiceIDs.contains(sign.id) == true {
                if let outcome = content.outcome(sign.outcome) { found.append(outcome) }
            }
        }
        for rule in content.escalations where rule.when.holds(for: answers) {
            if let outcome = content.outcome(rule.outcome) { found.append(outcome) }
        }
        return found.max { rank($0.level) < rank($1.level) }
    }

    static func rank(_ level: TriageLevel) -> Int {
        switch level { case .selfCare: 0; case .doctorSoon: 1; case .emergency: 2 }
    }

    /// Options that fit, best first (ties keep Content's order); every option a
    /// safety rule excludes is left out with the reason, whether or not it fit.
    public static func recommend(_ answers: Answers, content: PracticeContent) -> Recommendation {
        var suggested: [Suggestion] = []
        var leftOut: [LeftOut] = []
        for option in content.options {
            let excluded = content.leaveOut.filter { $0.option == option.id && $0.when.holds(for: answers) }
            if !excluded.isEmpty {
                leftOut.append(LeftOut(option: option, because: excluded.map(\.text)))
                continue
            }
            let fitting = option.fits.filter { $0.when.holds(for: answers) }
            let score = fitting.reduce(0) { $0 + $1.weight }
            guard score > 0 else { continue }
            let precautions = content.precautions.filter { $0.option == option.id && $0.when.holds(for: answers) }
            suggested.append(Suggestion(option: option, score: score, reasons: fitting.map(\.reason),
                                        precautions: precautions.map(\.text)))
        }
        // A stable sort: equal scores keep Content's order.
        let ordered = suggested.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        return Recommendation(suggested: ordered, leftOut: leftOut)
    }

    /// The whole decision: an emergency shows no option at all; "see a doctor
    /// soon" and self-care show what is safe.
    public static func assess(_ answers: Answers, content: PracticeContent) -> Assessment {
        let outcome = triage(answers, content: content)
        let level = outcome?.level ?? .selfCare
        let recommendation: Recommendation
        if level == .selfCare {
            recommendation = recommend(answers, content: content)
        } else {
            recommendation = Recommendation(suggested: [], leftOut: [])
        }
        return Assessment(level: level, outcome: outcome, recommendation: recommendation)
    }
}
