import Foundation

/// One client's way through the kiosk, as a value: `start()` gives the welcome;
/// `handle(_:now:)` takes a typed line and gives what to show and what to do.
/// It reads no file, no clock and no terminal: the shell passes those in.
public struct ClientSession: Sendable {
    public enum Step: Sendable, Hashable {
        case welcome
        case warning(Int)
        case question(Int)
        case outcome
        /// The overview of the options that fit.
        case results
        /// One option's page, by its number in the overview (from 0).
        case page(Int)
        case bookKind
        case bookProfessional
        case bookWhen
        case bookName
        case bookContact
        case bookConsent
        /// Who fits what the client asked for, partners outside the practice marked (Directory).
        case bookOffer
        /// Consent to pass the client's contact on to a partner (Directory).
        case bookReferralConsent
        /// Waiting for the shell to commit the request.
        case saving
        /// Saved, or declined: Enter ends the session.
        case finished
        /// After Ctrl-D: start over, or go on?
        case confirmStartOver
        /// After a long pause: is anyone there?
        case stillThere
        /// After `language`: which one?
        case chooseLanguage
        /// A returning client (ClientSession+Returning): their reference code, the second
        /// factor, waiting for the shell's check, a lock or a failed check, and consent to
        /// keep this visit with the earlier one.
        case returnCode
        case returnFactor
        case returnChecking
        case returnLocked
        case returnConsent
    }

    /// What the client has said about a booking so far.
    public struct BookingDraft: Sendable, Hashable {
        public var discipline: String?
        public var professional: String?
        /// The booking kind picked: a discipline id, "named" or "anyone".
        public var kind: String?
        public var times: [String] = []
        public var name = ""
        public var phone: String?
        public var email: String?
        /// The language asked for ("Someone who speaks Spanish"), if any.
        public var requiredLanguage: String?
        /// `professional` is a partner outside the practice: the request is a referral.
        public var referral = false
    }

    public let content: PracticeContent
    public let id: String
    public let event: String?
    /// Running without a staff PIN (--no-lock): the welcome says so.
    public let unlocked: Bool
    public internal(set) var language: String { didSet { tables = content.tables.tables(language) } }
    public internal(set) var step: Step = .welcome
    public private(set) var answers: Answers = [:]
    public internal(set) var booking = BookingDraft()
    public private(set) var assessment: Assessment?
    /// When the warning-sign outcome was reached: which local care is open then.
    public private(set) var outcomeReachedAt: Date?
    /// A client who has been here before (ClientSession+Returning).
    public internal(set) var returning = Returning()
    /// Steps behind the current one, for `back`.
    var trail: [Step] = []
    private var alertRaised = false
    private var sessionCounted = false
    /// Texts, command words and choice words in the session's language, worked out once per content.
    private(set) var tables: LanguageTables
    /// The step a question about starting over (Ctrl-D, a long pause) interrupted.
    private var interrupted: Step?
    /// A command word that is also a choice's word was typed here: typed again, it is the command.
    private var clash: (word: String, step: Step)?
    /// The take-home code and slip at the end (ClientSession+TakeHome.swift).
    var takeHome = TakeHome()

    public static let maxNameLength = 100
    public static let maxContactLength = 254

    public init(content: PracticeContent, id: String, event: String? = nil, language: String? = nil,
                unlocked: Bool = false) {
        self.content = content
        self.id = id
        self.event = event
        self.unlocked = unlocked
        let language = language ?? content.clinic.defaultLanguage
        self.language = language
        self.tables = content.tables.tables(language)
    }

    // MARK: - Driving the session

    public func start() -> Transition { Transition(screen: screen(for: .welcome, clear: true)) }

    public mutating func handle(_ raw: String, now: Date) -> Transition {
        if step == .saving { return Transition(screen: hintScreen(msg(.bookSaving))) }
        if step == .returnChecking { return Transition(screen: hintScreen(msg(.returnChecking))) }
        let input: String
        switch InputParsing.screen(raw) {
        case let .success(text): input = text
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        }
        let folded = TextSafety.folded(input)
        let repeated = clash.map { $0.word == folded && $0.step == step } ?? false
        clash = nil
        if let command = InputParsing.command(input, folded: tables.foldedCommandWords) {
            let matches = repeated ? [] : choicesMentioned(by: input)
            if !matches.isEmpty {
                clash = (folded, step)
                return Transition(screen: hintScreen(hint(.commandClash(word: input, matches: matches))))
            }
            switch command {
            case .help: return Transition(screen: helpScreen())
            case .restart: return Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession])
            case .back: return goBack()
            case .language:
                guard content.clinic.languages.count > 1, step != .chooseLanguage else { break }
                if step != .stillThere && step != .confirmStartOver { interrupted = step }
                step = .chooseLanguage
                return Transition(screen: screen(for: .chooseLanguage, clear: true))
            }
        }
        return answer(input, now: now)
    }

    /// Ctrl-D on an empty line: ask whether to start over. Nothing to ask on the
    /// welcome or while a request is being saved.
    public mutating func endOfInput() -> Transition? {
        guard step != .welcome, step != .saving, step != .confirmStartOver else { return nil }
        if step != .stillThere { interrupted = step }
        step = .confirmStartOver
        return Transition(screen: screen(for: .confirmStartOver))
    }

    /// No key for the idle time: first ask "still there?", then start over.
    public mutating func idle() -> Transition? {
        switch step {
        case .welcome, .saving: return nil
        case .stillThere, .confirmStartOver: return Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession])
        default:
            interrupted = step
            step = .stillThere
            return Transition(screen: screen(for: .stillThere))
        }
    }

    /// Back to the step that Ctrl-D or a pause interrupted, as it was.
    private mutating func resume() -> Transition {
        step = interrupted ?? .welcome
        interrupted = nil
        return Transition(screen: screen(for: step, clear: true))
    }

    /// The shell committed the request: show the reference code.
    public mutating func followUpSaved(reference: String) -> Transition {
        step = .finished
        trail = []
        let clinic = content.clinic
        var blocks: [Screen.Block] = [
            .notice(msg(booking.referral ? .bookSavedReferral : .bookSaved,
                        ["code": reference, "clinic": clinic.name, "phone": clinic.phone,
                         "partner": referralPartner?.name ?? ""])),
            .blank,
        ]
        blocks += takeHomeSummary()
        return Transition(screen: withTakeHome(Screen(clear: true, blocks: blocks, prompt: msg(.outcomeFinish),
                                                      completions: commandCompletions, more: msg(.promptMore)),
                                               reference: reference))
    }

    /// The commit failed: say so, and let the client try again.
    public mutating func followUpFailed() -> Transition {
        step = booking.referral ? .bookReferralConsent : .bookConsent
        let failed = Screen.Block.notice(msg(.bookFailed, ["phone": content.clinic.phone]))
        var screen = screen(for: step)
        screen.blocks.insert(failed, at: 0)
        return Transition(screen: screen)
    }

    // MARK: - Answers, step by step

    private mutating func answer(_ input: String, now: Date) -> Transition {
        switch step {
        case .welcome:
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

        case let .warning(index):
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

        case let .question(index):
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

        case .outcome:
            guard assessment?.level == .doctorSoon else {
                return Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession])
            }
            return bookOrDecline(input, now: now)

        case .results, .page:
            return overviewAnswer(input, now: now)

        case .bookKind:
            return chooseKind(input)

        case .bookProfessional:
            let people = professionalsForClient
            let choices = people.map { MatchChoice(label: $0.name, phrases: [$0.name]) }
            switch AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                booking.professional = people[picked[0]].id
                booking.discipline = people[picked[0]].discipline
                return advance(to: .bookWhen)
            }

        case .bookWhen:
            let times = content.bookingTimes
            switch AnswerMatcher.choose(input, among: tables.bookingTimeChoices, multiple: true, vocabulary: tables.vocabulary) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                booking.times = picked.map { times[$0].id }
                return afterTimes()
            }

        case .bookName:
            let name = TextSafety.normalized(input, maxLength: Self.maxNameLength)
            guard !name.isEmpty else { return Transition(screen: hintScreen(hint(.empty))) }
            booking.name = name
            return advance(to: .bookContact)

        case .bookContact:
            guard let contact = Contact.parse(input) else { return Transition(screen: hintScreen(hint(.badContact))) }
            booking.phone = contact.phone
            booking.email = contact.email
            return advance(to: booking.referral ? .bookReferralConsent : .bookConsent)

        case .bookConsent:
            switch yesOrNo(input, yes: msg(.bookConsentYes), no: msg(.bookConsentNo)) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                guard picked[0] == 0 else {
                    step = .finished
                    trail = []
                    return Transition(screen: Screen(blocks: [.text(msg(.bookNoConsent))],
                                                     prompt: msg(.outcomeFinish)))
                }
                step = .saving
                return Transition(screen: Screen(blocks: [.text(msg(.bookSaving))], prompt: ""),
                                  effects: [.saveFollowUp(followUpRequest(now: now))])
            }

        case .bookOffer:
            return chooseOffered(input)

        case .bookReferralConsent:
            return referralConsent(input, now: now)

        case .saving:
            return Transition(screen: hintScreen(msg(.bookSaving)))

        case .finished:
            if takeHome.paperAsked { return answerPaper(input, now: now) }
            return Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession])

        case .stillThere:
            return resume()

        case .chooseLanguage:
            switch AnswerMatcher.choose(input, among: languageChoices, multiple: false, vocabulary: tables.vocabulary) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                language = content.clinic.languages[picked[0]]
                return resume()
            }

        case .returnCode, .returnFactor, .returnChecking, .returnLocked, .returnConsent:
            return returningAnswer(input, now: now)

        case .confirmStartOver:
            switch yesOrNo(input, yes: msg(.startOverYes), no: msg(.startOverNo)) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                if picked[0] == 0 { return Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession]) }
                return resume()
            }
        }
    }

    /// At results (or after "see a doctor soon"): Enter or "no" ends; "yes" books.
    private mutating func bookOrDecline(_ input: String, now: Date) -> Transition {
        if input.isEmpty { return book(false, now: now) }
        switch AnswerMatcher.choose(input, among: tables.bookChoices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked): return book(picked[0] == 0, now: now)
        }
    }

    /// The client said yes (ask for a visit) or no (finish); the anonymous assessment is saved
    /// either way (and linked to a returning client's follow-up when they agreed).
    private mutating func book(_ yes: Bool, now: Date) -> Transition {
        let save = [Effect.saveAssessment(assessmentRecord(now: now))] + linkEffects()
        guard yes else { return decline(save) }
        if case .page = step { step = .results }
        var transition = advance(to: .bookKind)
        transition.effects.insert(contentsOf: save, at: 0)
        return transition
    }

    /// The first time the client leaves the welcome: count the session (once).
    mutating func countSession() -> [Effect] {
        guard !sessionCounted else { return [] }
        sessionCounted = true
        return [.sessionStarted(id: id, event: event, language: language)]
    }

    /// At the overview or an option's page: an option's number or name opens its page;
    /// book or yes asks for a visit; no (or Enter at the overview) finishes.
    private mutating func overviewAnswer(_ input: String, now: Date) -> Transition {
        let suggested = assessment?.recommendation.suggested ?? []
        if input.isEmpty {
            if case .page = step { return toOverview() }
            return bookOrDecline(input, now: now)
        }
        let options = suggested.map { MatchChoice(label: text($0.option.name), phrases: [text($0.option.name)]) }
        let tokens = AnswerMatcher.words(input)
        let onlyNumbers = !tokens.isEmpty && tokens.allSatisfy { AnswerMatcher.number($0, tables.vocabulary) != nil }
        let choices = onlyNumbers ? options : options + tables.bookChoices
        switch AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem):
            if onlyNumbers, suggested.isEmpty { return Transition(screen: hintScreen(msg(.resultsOverviewPrompt))) }
            return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            if picked[0] < options.count {
                if case .page = step { step = .results }
                return advance(to: .page(picked[0]))
            }
            return book(picked[0] == options.count, now: now)
        }
    }

    private mutating func toOverview() -> Transition {
        if trail.last == .results { trail.removeLast() }
        step = .results
        return Transition(screen: screen(for: .results, clear: true))
    }

    /// Yes or no, in a person's words.
    func yesOrNo(_ input: String, yes: String, no: String) -> Result<[Int], InputProblem> {
        // The consent and start-over labels are fixed per language: their choices are made once.
        let choices = yes == msg(.bookConsentYes) && no == msg(.bookConsentNo) ? tables.consentChoices
            : [MatchChoice(label: yes, words: [AnswerMatcher.words(yes)] + tables.vocabulary.yes),
               MatchChoice(label: no, words: [AnswerMatcher.words(no)] + tables.vocabulary.no)]
        return AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary)
    }

    /// The choices on this screen that hold a word of `input` (a command word that is also
    /// an answer, such as "back" at "Where does it hurt?").
    private func choicesMentioned(by input: String) -> [String] {
        let choices: [MatchChoice]
        switch step {
        case let .warning(i): choices = tables.warningChoices[i]
        case let .question(i): choices = tables.questionChoices[i]
        case .bookKind: choices = bookingKinds.map(\.match)
        case .bookWhen: choices = tables.bookingTimeChoices
        default: return []
        }
        let words = AnswerMatcher.words(input)
        return choices.filter { choice in choice.wordsAlone && words.contains { choice.words.contains($0) } }.map(\.label)
    }

    private mutating func decline(_ save: [Effect]) -> Transition {
        step = .finished
        trail = []
        let clinic = content.clinic
        let blocks: [Screen.Block] = [.text(msg(.bookDeclined)), .blank,
                                      .text(msg(.goodbye, ["clinic": clinic.name, "phone": clinic.phone]))]
        return Transition(screen: withTakeHome(Screen(clear: true, blocks: blocks, prompt: msg(.outcomeFinish),
                                                      more: msg(.promptMore)), reference: nil),
                          effects: save)
    }

    private mutating func enterOutcome(now: Date) -> Transition {
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

    mutating func advance(to next: Step) -> Transition {
        trail.append(step)
        step = next
        // One question at a time: each step starts on a clean screen.
        return Transition(screen: screen(for: next, clear: true))
    }

    private mutating func goBack() -> Transition {
        guard let previous = trail.popLast(), step != .finished else {
            return Transition(screen: hintScreen(msg(.hintNoBack)))
        }
        step = previous
        return Transition(screen: screen(for: previous, clear: true))
    }

    /// After `back` and a changed answer, an answer to a question that would no longer be
    /// asked (its ask_if fails) must not count: drop it.
    private mutating func dropUnaskedAnswers() {
        for question in content.questions {
            if let askIf = question.askIf, !askIf.holds(for: answers) { answers[question.id] = nil }
        }
    }

    private func firstQuestionStep() -> Step {
        if let first = nextQuestion(after: -1) { return .question(first) }
        return .results
    }

    private func nextQuestion(after index: Int) -> Int? {
        var i = index + 1
        while i < content.questions.count {
            if content.questions[i].askIf?.holds(for: answers) ?? true { return i }
            i += 1
        }
        return nil
    }

    private func parse(_ input: String, for question: Question, at index: Int) -> Result<Answer, InputProblem> {
        switch question.kind {
        case let .scale(min, max):
            return AnswerMatcher.scale(input, min: min, max: max, vocabulary: tables.vocabulary).map(Answer.scale)
        case .single, .multiple:
            return AnswerMatcher.choose(input, among: tables.questionChoices[index],
                                        multiple: question.kind == .multiple, vocabulary: tables.vocabulary)
                .map { .choices($0.map { question.choices[$0].id }) }
        }
    }

    // MARK: - Records for the store

    private func assessmentRecord(now: Date) -> AssessmentRecord {
        let result = assessment ?? Recommender.assess(answers, content: content)
        return AssessmentRecord(id: id, createdAt: now, event: event, language: language, answers: answers,
                                level: result.level, outcome: result.outcome?.id,
                                optionsShown: result.recommendation.suggestedIDs,
                                optionsLeftOut: result.recommendation.leftOutIDs)
    }

    func followUpRequest(now: Date) -> FollowUpRequest {
        FollowUpRequest(assessmentID: id, createdAt: now, event: event, language: language,
                        name: booking.name, phone: booking.phone, email: booking.email,
                        discipline: booking.discipline, professional: booking.professional,
                        preferredTimes: booking.times, consent: true,
                        afterMedicalClearance: assessment?.level == .doctorSoon,
                        referral: booking.referral, passOnConsent: booking.referral)
    }
}
