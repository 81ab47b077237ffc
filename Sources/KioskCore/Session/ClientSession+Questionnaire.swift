import Foundation

// The welcome, the warning-sign lists and the questions, up to the outcome or the overview.
extension ClientSession {
    /// The welcome: the staff word, a language, "I have been here before", or Enter to start.
    mutating func welcomeAnswer(_ input: String) -> Transition {
        if isStaffWord(input) {
            return Transition(screen: screen(for: .welcome), effects: [.staffExit])
        }
        // A language's number or name on the welcome picks it and starts; "I have been
        // here before" (its number after the languages, or its words) asks for the code.
        if !input.isEmpty {
            let languages = content.clinic.languages.count > 1 ? languageChoices : []
            switch AnswerMatcher.choose(input, among: languages + [returningChoice], multiple: false,
                                        vocabulary: tables.vocabulary) {
            case let .success(picked):
                if picked[0] == languages.count { return startReturning(input) }
                language = content.clinic.languages[picked[0]]
            case let .failure(problem):
                // With one language, anything else starts, as Enter does.
                if !languages.isEmpty { return Transition(screen: hintScreen(hint(problem))) }
            }
        }
        var transition = advance(to: .warning(0))
        transition.effects += countSession()
        return transition
    }

    /// A warning-sign list: a sign ends the questions at the outcome; "none" goes on.
    mutating func warningAnswer(_ input: String, _ index: Int, now: Date) -> Transition {
        let screen = content.warningScreens[index]
        switch AnswerMatcher.choose(input, among: tables.warningChoices[index], multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem):
            // "yes" here means one of these signs: which one?
            let yes = AnswerMatcher.choose(input, among: tables.yesNoChoices, multiple: false, vocabulary: tables.vocabulary)
            return Transition(screen: hintScreen(hint(yes == .success([0]) ? .whichSign : problem)))
        case let .success(picked):
            let chosen = picked[0] < screen.signs.count ? screen.signs[picked[0]].id : ContentIDs.noWarningSign
            answers[screen.id] = .choices([chosen])
            if chosen != ContentIDs.noWarningSign { return enterOutcome(now: now) }
            return advance(to: index + 1 < content.warningScreens.count ? .warning(index + 1) : firstQuestionStep())
        }
    }

    /// A question: its answer, then the next question, the outcome or the overview.
    mutating func questionAnswer(_ input: String, _ index: Int, now: Date) -> Transition {
        let question = content.questions[index]
        switch parse(input, for: question, at: index) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(value):
            answers[question.id] = value
            dropUnaskedAnswers()
            // Answers that together make a warning sign stop the questionnaire at once.
            if Recommender.triage(answers, content: content) != nil { return enterOutcome(now: now) }
            if let next = nextQuestion(after: index) { return advance(to: .question(next)) }
            assessment = Recommender.assess(answers, content: content)
            return advance(to: .results)
        }
    }

    mutating func enterOutcome(now: Date) -> Transition {
        let result = Recommender.assess(answers, content: content)
        assessment = result
        outcomeReachedAt = now
        var effects: [Effect] = []
        if let outcome = result.outcome, !alertRaised {
            alertRaised = true
            // The anonymous assessment goes first so the alert can point at it.
            effects.append(.saveAssessment(assessmentRecord(now: now)))
            effects += linkEffects()
            effects.append(.raiseAlert(Alert(assessmentID: id, createdAt: now,
                                             level: outcome.level == .emergency ? .urgent : .soon,
                                             outcome: outcome.id, event: event)))
        }
        var transition = advance(to: .outcome)
        transition.effects = effects + transition.effects
        // A warning sign is final for this session: `back` cannot undo it into options
        // (the alert has gone to the desk and points at this assessment).
        trail = []
        return transition
    }

    /// The first time the client leaves the welcome: count the session (once).
    mutating func countSession() -> [Effect] {
        guard !sessionCounted else { return [] }
        sessionCounted = true
        return [.sessionStarted(id: id, event: event, language: language)]
    }

    mutating func advance(to next: Step) -> Transition {
        trail.append(step)
        step = next
        // One question at a time: each step starts on a clean screen.
        return Transition(screen: screen(for: next, clear: true))
    }

    /// After `back` and a changed answer, an answer to a question that would no longer be
    /// asked (its ask_if fails) must not count: drop it.
    mutating func dropUnaskedAnswers() {
        for question in content.questions {
            if let askIf = question.askIf, !askIf.holds(for: answers) { answers[question.id] = nil }
        }
    }

    func firstQuestionStep() -> Step {
        if let first = nextQuestion(after: -1) { return .question(first) }
        return .results
    }

    func nextQuestion(after index: Int) -> Int? {
        var i = index + 1
        while i < content.questions.count {
            if content.questions[i].askIf?.holds(for: answers) ?? true { return i }
            i += 1
        }
        return nil
    }

    func parse(_ input: String, for question: Question, at index: Int) -> Result<Answer, InputProblem> {
        switch question.kind {
        case let .scale(min, max):
            return AnswerMatcher.scale(input, min: min, max: max, vocabulary: tables.vocabulary).map(Answer.scale)
        case .single, .multiple:
            return AnswerMatcher.choose(input, among: tables.questionChoices[index],
                                        multiple: question.kind == .multiple, vocabulary: tables.vocabulary)
                .map { .choices($0.map { question.choices[$0].id }) }
        }
    }

    func assessmentRecord(now: Date) -> AssessmentRecord {
        let result = assessment ?? Recommender.assess(answers, content: content)
        return AssessmentRecord(id: id, createdAt: now, event: event, language: language, answers: answers,
                                level: result.level, outcome: result.outcome?.id,
                                optionsShown: result.recommendation.suggestedIDs,
                                optionsLeftOut: result.recommendation.leftOutIDs)
    }
}
