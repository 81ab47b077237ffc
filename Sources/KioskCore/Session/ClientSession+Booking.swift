import Foundation

// From the overview to a saved request: the option pages, yes or no to a visit, who, when,
// name, contact and consent (the directory's part is in ClientSession+Directory).
extension ClientSession {
    /// At the overview or an option's page: an option's number or name opens its page;
    /// book or yes asks for a visit; no (or Enter at the overview) finishes.
    mutating func overviewAnswer(_ input: String, now: Date) -> Transition {
        let suggested = assessment?.recommendation.suggested ?? []
        if input.isEmpty {
            if case .page = step { return toOverview() }
            return bookOrDecline(input, now: now)
        }
        // Each by its name and its professional's words ("physio"), made once per language.
        let options = suggested.map { tables.optionChoices[$0.option.id] ?? MatchChoice(label: text($0.option.name), phrases: [text($0.option.name)]) }
        let tokens = AnswerMatcher.words(input)
        let onlyNumbers = !tokens.isEmpty && tokens.allSatisfy { AnswerMatcher.number($0, tables.vocabulary) != nil }
        let choices = onlyNumbers ? options : options + tables.bookChoices
        switch AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary) {
        case .failure(.notAChoice):
            // The numbers on the screen are the options' (book and no are words).
            return Transition(screen: hintScreen(suggested.isEmpty ? msg(.resultsOverviewPrompt)
                                                                   : hint(.notAChoice(count: options.count))))
        case let .failure(problem):
            return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            if picked[0] < options.count {
                if case .page = step { step = .results }
                return advance(to: .page(picked[0]))
            }
            return book(picked[0] == options.count, now: now)
        }
    }

    mutating func toOverview() -> Transition {
        if trail.last == .results { trail.removeLast() }
        step = .results
        return Transition(screen: screen(for: .results, clear: true))
    }

    /// At results (or after "see a doctor soon"): Enter or "no" ends; "yes" books.
    mutating func bookOrDecline(_ input: String, now: Date) -> Transition {
        if input.isEmpty { return book(false, now: now) }
        switch AnswerMatcher.choose(input, among: tables.bookChoices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked): return book(picked[0] == 0, now: now)
        }
    }

    /// The client said yes (ask for a visit) or no (finish); the anonymous assessment is saved
    /// either way (and linked to a returning client's follow-up when they agreed).
    mutating func book(_ yes: Bool, now: Date) -> Transition {
        let save = [Effect.saveAssessment(assessmentRecord(now: now))] + linkEffects()
        guard yes else { return decline(save) }
        if case .page = step { step = .results }
        var transition = advance(to: .bookKind)
        transition.effects.insert(contentsOf: save, at: 0)
        return transition
    }

    mutating func decline(_ save: [Effect]) -> Transition {
        step = .finished
        trail = []
        let clinic = content.clinic
        let blocks: [Screen.Block] = [.text(msg(.bookDeclined)), .blank,
                                      .text(msg(.goodbye, ["clinic": clinic.name, "phone": clinic.phone]))]
        return Transition(screen: withTakeHome(Screen(clear: true, blocks: blocks, prompt: msg(.outcomeFinish),
                                                      more: msg(.promptMore)), reference: nil),
                          effects: save)
    }

    /// Which of the practice's professionals.
    mutating func chooseProfessional(_ input: String) -> Transition {
        let people = professionalsForClient
        let choices = people.map { MatchChoice(label: $0.name, phrases: [$0.name]) }
        switch AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            booking.professional = people[picked[0]].id
            booking.discipline = people[picked[0]].discipline
            return advance(to: .bookWhen)
        }
    }

    /// The times that suit.
    mutating func chooseTimes(_ input: String) -> Transition {
        let times = content.bookingTimes
        switch AnswerMatcher.choose(input, among: tables.bookingTimeChoices, multiple: true, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            booking.times = picked.map { times[$0].id }
            return afterTimes()
        }
    }

    /// The name to book under.
    mutating func giveName(_ input: String) -> Transition {
        let name = TextSafety.normalized(input, maxLength: Self.maxNameLength)
        guard !name.isEmpty else { return Transition(screen: hintScreen(hint(.empty))) }
        booking.name = name
        return advance(to: .bookContact)
    }

    /// A phone number or an email address.
    mutating func giveContact(_ input: String) -> Transition {
        guard let contact = Contact.parse(input) else { return Transition(screen: hintScreen(hint(.badContact))) }
        booking.phone = contact.phone
        booking.email = contact.email
        return advance(to: booking.referral ? .bookReferralConsent : .bookConsent)
    }

    /// Consent to be contacted: yes saves the request (the shell commits it); no finishes.
    mutating func consentAnswer(_ input: String, now: Date) -> Transition {
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
    }

    /// Yes or no, in a person's words.
    func yesOrNo(_ input: String, yes: String, no: String) -> Result<[Int], InputProblem> {
        // The consent and start-over labels are fixed per language: their choices are made once.
        let choices = yes == msg(.bookConsentYes) && no == msg(.bookConsentNo) ? tables.consentChoices
            : [MatchChoice(label: yes, words: [AnswerMatcher.words(yes)] + tables.vocabulary.yes),
               MatchChoice(label: no, words: [AnswerMatcher.words(no)] + tables.vocabulary.no)]
        return AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary)
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

    func followUpRequest(now: Date) -> FollowUpRequest {
        FollowUpRequest(assessmentID: id, createdAt: now, event: event, language: language,
                        name: booking.name, phone: booking.phone, email: booking.email,
                        discipline: booking.discipline, professional: booking.professional,
                        preferredTimes: booking.times, consent: true,
                        afterMedicalClearance: assessment?.level == .doctorSoon,
                        referral: booking.referral, passOnConsent: booking.referral)
    }
}
