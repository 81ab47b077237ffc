import Foundation

/// A client who has been here before: at the welcome they say so (in their own words or by
/// the number), type their reference code and a second factor; the shell checks the pair
/// (`Effect.checkReturning`). Admitted, they are asked whether this visit may be kept with
/// the earlier one, then answer the questionnaire as anyone does, warning signs first; the
/// results add "Since last time" (`ProgressRule`). The session only ever holds the earlier
/// visit's scores of the compared questions: no name, contact or other answer.
extension ClientSession {
    /// What the client has said about coming back, and what the check found.
    public struct Returning: Sendable, Hashable {
        /// The code as typed, in the kiosk's form, until the pair is checked.
        var code: String?
        /// The follow-up the client came back to, once the pair was right.
        public internal(set) var reference: String?
        /// The second factor, kept to link the visit (the store checks the pair again).
        var factor: String?
        /// The scores of last time, by question id.
        public internal(set) var earlier: [String: Int] = [:]
        /// Yes: this visit is kept with the earlier one. Nil until asked.
        public internal(set) var consent: Bool?
        /// The message the code screen starts with after a wrong pair or a failed check.
        var notice: MessageKey?

        /// Admitted and agreed: today's assessment is linked to `reference`.
        public var links: Bool { reference != nil && consent == true }
    }

    // MARK: - The welcome

    /// "I have been here before", by its number on the welcome (after the languages), its
    /// words in any of the clinic's languages, or `words.returning`.
    var returningChoice: MatchChoice {
        let languages = content.clinic.languages.isEmpty ? [language] : content.clinic.languages
        var phrases: [[String]] = []
        for lang in languages {
            phrases.append(AnswerMatcher.words(content.messages.text(.welcomeReturning, lang)))
            phrases += Self.words(content, .wordsReturning, lang).map(AnswerMatcher.words)
        }
        return MatchChoice(label: msg(.welcomeReturning), words: phrases)
    }

    /// The welcome's line for it, in each of the clinic's languages ("I have been here before / Ya vine antes").
    var returningLine: String {
        let languages = content.clinic.languages.isEmpty ? [language] : content.clinic.languages
        var seen = Set<String>()
        return languages.map { content.messages.text(.welcomeReturning, $0) }.filter { seen.insert($0).inserted }
            .joined(separator: " / ")
    }

    /// The language whose words the client used for "I have been here before", when that is
    /// one language other than the session's (typed in Spanish, it goes on in Spanish).
    func languageOfReturningWords(_ input: String) -> String? {
        let tokens = AnswerMatcher.words(input)
        let speaking = content.clinic.languages.filter { lang in
            let phrases = [AnswerMatcher.words(content.messages.text(.welcomeReturning, lang))]
                + Self.words(content, .wordsReturning, lang).map(AnswerMatcher.words)
            return phrases.contains(tokens)
        }
        guard !speaking.contains(language), speaking.count == 1 else { return nil }
        return speaking[0]
    }

    /// The welcome's answer was "I have been here before".
    mutating func startReturning(_ input: String) -> Transition {
        if let other = languageOfReturningWords(input) { language = other }
        returning = Returning()
        var transition = advance(to: .returnCode)
        transition.effects = countSession()
        return transition
    }

    // MARK: - Screens

    func returningScreen(_ step: Step) -> Screen {
        switch step {
        case .returnCode:
            var blocks: [Screen.Block] = []
            if let notice = returning.notice { blocks += [.notice(msg(notice)), .blank] }
            blocks.append(.heading(msg(.returnCode)))
            return Screen(blocks: blocks, prompt: "> ", completions: commandCompletions, sensitive: true)
        case .returnFactor:
            return Screen(blocks: [.heading(msg(.returnFactor))], prompt: "> ", completions: commandCompletions,
                          sensitive: true)
        case .returnChecking:
            return Screen(blocks: [.text(msg(.returnChecking))], prompt: "")
        case .returnLocked:
            return Screen(blocks: [.notice(msg(returning.notice ?? .returnLocked))], prompt: msg(.welcomePrompt),
                          completions: commandCompletions)
        case .returnConsent:
            return choiceScreen(heading: msg(.returnConsent), labels: [msg(.bookConsentYes), msg(.bookConsentNo)],
                                multiple: false, earlier: returning.consent.map { $0 ? "1" : "2" })
        default:
            return Screen(blocks: [], prompt: "")
        }
    }

    func returningWhy(_ step: Step) -> String {
        switch step {
        case .returnCode: return msg(.returnCodeWhy)
        case .returnFactor: return msg(.returnFactorWhy)
        case .returnConsent: return msg(.returnConsentWhy)
        default: return msg(.welcomeHowTo)
        }
    }

    // MARK: - Answers

    mutating func returningAnswer(_ input: String, now: Date) -> Transition {
        switch step {
        case .returnCode:
            guard !input.isEmpty else { return Transition(screen: hintScreen(hint(.empty))) }
            guard let code = ReferenceCode.normalized(input) else { return Transition(screen: hintScreen(msg(.returnCodeHint))) }
            returning.code = code
            returning.notice = nil
            return advance(to: .returnFactor)
        case .returnFactor:
            guard let factor = ReturnFactor.normalized(input), let code = returning.code else {
                return Transition(screen: hintScreen(msg(.returnFactorHint)))
            }
            returning.factor = factor
            step = .returnChecking
            let questions = content.progress?.measures.map(\.question) ?? []
            return Transition(screen: screen(for: .returnChecking),
                              effects: [.checkReturning(reference: code, factor: factor, questions: questions)])
        case .returnLocked:
            // Enter (or anything) starts as a new visit, kept without a name as for anyone.
            returning = Returning()
            return advance(to: .warning(0))
        case .returnConsent:
            switch yesOrNo(input, yes: msg(.bookConsentYes), no: msg(.bookConsentNo)) {
            case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
            case let .success(picked):
                returning.consent = picked[0] == 0
                return advance(to: .warning(0))
            }
        default:
            return Transition(screen: hintScreen(msg(.returnChecking)))
        }
    }

    /// The shell checked the pair.
    public mutating func returningChecked(_ check: ReturnCheck) -> Transition {
        guard step == .returnChecking else { return Transition(screen: screen(for: step)) }
        switch check {
        case let .admitted(scores):
            returning.reference = returning.code
            returning.code = nil
            returning.earlier = scores
            // The code and factor are behind the client now: `back` does not lead to them again.
            trail = []
            step = .returnConsent
            return Transition(screen: screen(for: .returnConsent, clear: true))
        case .refused:
            // The same words whatever was wrong: nothing says whether the code exists.
            returning = Returning(notice: .returnRefused)
            trail = [.welcome]
            step = .returnCode
            return Transition(screen: screen(for: .returnCode, clear: true))
        case .locked:
            returning = Returning(notice: .returnLocked)
            trail = []
            step = .returnLocked
            return Transition(screen: screen(for: .returnLocked, clear: true))
        }
    }

    /// The check could not be made (the database): say so, and go on as a new visit.
    public mutating func returningCheckFailed() -> Transition {
        guard step == .returnChecking else { return Transition(screen: screen(for: step)) }
        returning = Returning(notice: .returnFailed)
        trail = []
        step = .returnLocked
        return Transition(screen: screen(for: .returnLocked, clear: true))
    }

    /// After the anonymous assessment is saved: link it, when the client said yes.
    func linkEffects() -> [Effect] {
        guard returning.links, let reference = returning.reference, let factor = returning.factor else { return [] }
        return [.linkVisit(assessmentID: id, reference: reference, factor: factor)]
    }

    // MARK: - Since last time

    /// Each compared score now against last time, and whether the change is one people notice.
    public var sinceLastTime: [(ProgressRule.Measure, ScoreChange)] {
        guard returning.reference != nil, let rule = content.progress else { return [] }
        return rule.changes(before: returning.earlier, now: answers.scores(rule.measures.map(\.question)), content: content)
    }

    /// The overview's panel: a line naming the source, then one line per score.
    func sinceLastTimeBlocks() -> [Screen.Block] {
        let changes = sinceLastTime
        guard !changes.isEmpty, let rule = content.progress else { return [] }
        let source = rule.evidence.lazy.compactMap { self.content.evidence($0) }.first
            .map { $0.short.map(text) ?? $0.citation } ?? ""
        var blocks: [Screen.Block] = [.text(msg(.progressTitle, ["source": source]))]
        for (measure, change) in changes {
            blocks.append(.bullet(progressLine(text(measure.label), change)))
        }
        return blocks
    }

    /// "Pain now: 7 → 4, down 3 points (43%): a change most people notice."
    func progressLine(_ label: String, _ change: ScoreChange) -> String {
        let size = abs(change.points)
        var moved: String
        switch change.points {
        case 0: moved = msg(.progressNoChange)
        case ..<0: moved = size == 1 ? msg(.progressDownOne) : msg(.progressDown, ["points": String(size)])
        default: moved = size == 1 ? msg(.progressUpOne) : msg(.progressUp, ["points": String(size)])
        }
        if let percent = change.percent, size > 0 { moved += " " + msg(.progressPercent, ["percent": String(percent)]) }
        var values = ["measure": label, "before": String(change.before), "now": String(change.now), "change": moved]
        guard size > 0 else { return msg(.progressLine, values) }
        switch change.verdict {
        case .better: values["verdict"] = msg(.progressBetter)
        case .same: values["verdict"] = msg(.progressSame)
        case .worse: values["verdict"] = msg(.progressWorse)
        }
        return msg(.progressLineVerdict, values)
    }
}
