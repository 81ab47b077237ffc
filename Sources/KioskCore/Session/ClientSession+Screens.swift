/// What each step shows. All words come from Content in the session's language.
extension ClientSession {
    func msg(_ key: MessageKey, _ values: [String: String] = [:]) -> String {
        (tables.messages[key.rawValue] ?? content.messages.text(key, language)).filling(values)
    }

    func text(_ t: LocalizedText) -> String { t.resolve(language, fallback: content.clinic.defaultLanguage) }

    func words(_ key: MessageKey) -> [String] { Self.words(content, key, language) }

    /// The words of `key` in this language and in the clinic's first one: a Spanish
    /// session takes "atrás" and "back" alike.
    func wordsHereAndDefault(_ key: MessageKey) -> [String] {
        Self.words(content, key, language) + Self.words(content, key, content.clinic.defaultLanguage)
    }

    /// A comma-separated list of `key`, each item trimmed. Split at the comma's byte (never
    /// inside another character): splitting by characters was most of the vocabulary's making.
    static func words(_ content: PracticeContent, _ key: MessageKey, _ language: String) -> [String] {
        content.messages.text(key, language).utf8.split(separator: UInt8(ascii: ","))
            .map { Substring($0).trimmedWhitespace }.filter { !$0.isEmpty }
    }

    /// For each language: its command words and the first language's. The language switch
    /// answers to its word in every language: whoever cannot read this one must still find theirs.
    static func commandTables(_ content: PracticeContent) -> [String: [KioskCommand: [String]]] {
        let languages = content.clinic.languages.isEmpty ? ["en"] : content.clinic.languages
        let first = content.clinic.defaultLanguage
        let languageWords = languages.flatMap { words(content, .commandLanguage, $0) }
        var tables: [String: [KioskCommand: [String]]] = [:]
        for language in languages {
            func both(_ key: MessageKey) -> [String] { words(content, key, language) + words(content, key, first) }
            tables[language] = [.back: both(.commandBack), .help: both(.commandHelp), .restart: both(.commandRestart),
                                .language: languageWords]
        }
        return tables
    }

    /// Professionals to choose from: those who speak the client's language first.
    var professionalsForClient: [Professional] {
        let people = content.clinic.professionals
        return people.filter { $0.languages.contains(language) } + people.filter { !$0.languages.contains(language) }
    }

    /// A language code by its own name where the content names it ("Español"), else the code.
    func languageDisplayName(_ code: String) -> String {
        content.messages.texts[MessageKey.languageName.rawValue]?.byLanguage[code] ?? code
    }

    /// Each offered language by its own name.
    var languageLabels: [String] {
        content.clinic.languages.map { content.messages.text(.languageName, $0) }
    }

    var languageChoices: [MatchChoice] { languageLabels.map { MatchChoice(label: $0, phrases: [$0]) } }

    func isStaffWord(_ input: String) -> Bool {
        let typed = TextSafety.folded(input)
        return wordsHereAndDefault(.commandStaff).contains { TextSafety.foldedLabel($0) == typed }
    }

    var commandCompletions: [String] { tables.commandCompletions }

    func hint(_ problem: InputProblem) -> String {
        switch problem {
        case .empty: return msg(.hintEmpty)
        case .tooLong: return msg(.hintTooLong)
        case .control: return msg(.hintControl)
        case let .notAChoice(count): return msg(.hintNotAChoice, ["max": String(count)])
        case let .ambiguous(matches): return msg(.hintAmbiguous, ["matches": matches.joined(separator: ", ")])
        case let .exclusive(choice): return msg(.hintExclusive, ["choice": choice])
        case let .outOfScale(min, max): return msg(.hintScale, ["min": String(min), "max": String(max)])
        case .badContact: return msg(.bookContactHint)
        case .unsure: return msg(.hintUnsure)
        case .whichSign: return msg(.hintWhichSign)
        case let .commandClash(word, matches):
            return msg(.hintCommandClash, ["word": word, "matches": matches.joined(separator: ", ")])
        }
    }

    /// The same screen again, with a one-line hint above its prompt: the question and how
    /// to answer it stay in view.
    func hintScreen(_ hint: String) -> Screen {
        var current = screen(for: step, clear: true)
        current.blocks.append(.hint(hint))
        current.prefill = nil
        return current
    }

    func helpScreen() -> Screen {
        let why: String
        switch step {
        case .welcome: why = msg(.welcomeHowTo)
        case let .warning(i): why = text(content.warningScreens[i].why)
        case let .question(i): why = text(content.questions[i].why)
        case .outcome: why = text(assessment?.outcome?.reason ?? LocalizedText([:]))
        case .results, .page, .bookKind, .bookProfessional: why = msg(.bookWhy)
        case .bookWhen: why = msg(.bookWhenWhy)
        case .bookName: why = msg(.bookNameWhy)
        case .bookContact: why = msg(.bookContactWhy)
        case .bookConsent: why = msg(.bookConsentWhy)
        case .bookOffer: why = msg(.bookOfferWhy)
        case .bookReferralConsent: why = msg(.bookReferralConsentWhy, ["partner": referralPartner?.name ?? ""])
        case .saving, .finished, .confirmStartOver, .stillThere, .chooseLanguage: why = msg(.welcomeHowTo)
        case .returnCode, .returnFactor, .returnChecking, .returnLocked, .returnConsent: why = returningWhy(step)
        }
        var current = screen(for: step, clear: true)
        current.blocks += [.blank, .heading(msg(.whyWeAsk)), .text(why)]
        current.prefill = nil
        return current
    }

    func choiceScreen(heading: String, before: [Screen.Block] = [], labels: [String], multiple: Bool,
                              earlier: String?, after: [Screen.Block] = []) -> Screen {
        var blocks = before + [.heading(heading)]
        blocks += labels.enumerated().map { .item($0.offset + 1, $0.element) }
        blocks += after
        if let earlier { blocks.append(.hint(msg(.earlierAnswer, ["answer": earlier]))) }
        return Screen(blocks: blocks, prompt: msg(multiple ? .promptChooseSeveral : .promptChoose),
                      completions: labels + commandCompletions,
                      prefill: earlier)
    }

    /// The earlier answer as the client would type it again ("2" or "1, 3").
    private func earlierNumbers(_ id: String, ids: [String]) -> String? {
        guard let answer = answers[id] else { return nil }
        switch answer {
        case let .scale(value): return String(value)
        case let .choices(picked):
            let numbers = picked.compactMap { ids.firstIndex(of: $0).map { String($0 + 1) } }
            return numbers.isEmpty ? nil : numbers.joined(separator: ", ")
        }
    }

    func screen(for step: Step, clear: Bool = false) -> Screen {
        var screen = buildScreen(for: step)
        screen.clear = clear
        if screen.more.isEmpty { screen.more = msg(.promptMore) }
        return screen
    }

    private func buildScreen(for step: Step) -> Screen {
        switch step {
        case .welcome: return welcomeScreen()
        case let .warning(i): return warningScreen(i)
        case let .question(i): return questionScreen(i)
        case .outcome: return outcomeScreen()
        case .results: return resultsScreen()
        case let .page(n): return optionPage(n)
        case .bookKind: return kindScreen()
        case .bookOffer: return offerScreen()
        case .bookReferralConsent: return referralConsentScreen()
        case .bookProfessional: return professionalScreen()
        case .bookWhen: return whenScreen()
        case .bookName:
            let earlier = booking.name.isEmpty ? nil : booking.name
            return Screen(blocks: [.heading(msg(.bookName))], prompt: "> ", completions: commandCompletions,
                          prefill: earlier, sensitive: true)
        case .bookContact:
            let earlier = booking.phone ?? booking.email
            return Screen(blocks: [.heading(msg(.bookContact))], prompt: "> ", completions: commandCompletions,
                          prefill: earlier, sensitive: true)
        case .bookConsent:
            let contact = TextSafety.display(booking.phone ?? booking.email ?? "")
            return choiceScreen(heading: msg(.bookConsent, ["contact": contact]),
                                labels: [msg(.bookConsentYes), msg(.bookConsentNo)], multiple: false, earlier: nil)
        case .saving: return Screen(blocks: [.text(msg(.bookSaving))], prompt: "")
        case .finished: return finishedScreen()
        case .confirmStartOver:
            return choiceScreen(heading: msg(.startOverAsk), labels: [msg(.startOverYes), msg(.startOverNo)],
                                multiple: false, earlier: nil)
        case .stillThere: return Screen(blocks: [.notice(msg(.idleStillThere))], prompt: msg(.idlePrompt))
        case .returnCode, .returnFactor, .returnChecking, .returnLocked, .returnConsent: return returningScreen(step)
        case .chooseLanguage: return languageScreen()
        }
    }

    /// The welcome: what the kiosk is, what it keeps, the languages and "I have been here before".
    func welcomeScreen() -> Screen {
        let clinic = content.clinic
        var blocks: [Screen.Block] = [.heading(msg(.welcomeTitle, ["clinic": clinic.name]))]
        if let event { blocks.append(.text(msg(.welcomeEvent, ["event": TextSafety.display(event)]))) }
        blocks += [.notice(msg(.welcomeNotAdvice)), .blank, .text(msg(.welcomeWhatIsKept)), .blank,
                   .text(msg(.welcomeHowTo))]
        if unlocked { blocks += [.blank, .hint(msg(.welcomeNoLock))] }
        var completions = commandCompletions
        if content.clinic.languages.count > 1 {
            // Each line of the language list is in its own language.
            blocks.append(.blank)
            for (n, lang) in content.clinic.languages.enumerated() {
                blocks.append(.item(n + 1, "\(content.messages.text(.languageName, lang)): \(content.messages.text(.welcomeLanguage, lang))"))
            }
            completions = languageLabels + completions
        } else {
            blocks.append(.blank)
        }
        // "I have been here before", after the languages.
        blocks.append(.item(content.clinic.languages.count > 1 ? content.clinic.languages.count + 1 : 1, returningLine))
        completions.append(msg(.welcomeReturning))
        return Screen(blocks: blocks, prompt: msg(.welcomePrompt), completions: completions)
    }

    /// A warning-sign list, with "none of these" last.
    func warningScreen(_ i: Int) -> Screen {
        let warning = content.warningScreens[i]
        let ids = warning.signs.map(\.id) + [ContentIDs.noWarningSign]
        let earlier = earlierNumbers(warning.id, ids: ids)
        return choiceScreen(heading: text(warning.prompt),
                            before: i == 0 ? [.text(msg(.warningIntro))] : [],
                            labels: warning.signs.map { text($0.text) } + [msg(.warningNone)],
                            multiple: false, earlier: earlier)
    }

    /// A question: its choices, or a scale with its range.
    func questionScreen(_ i: Int) -> Screen {
        let question = content.questions[i]
        let earlier = earlierNumbers(question.id, ids: question.choices.map(\.id))
        if case let .scale(min, max) = question.kind {
            var blocks: [Screen.Block] = [.heading(text(question.prompt))]
            if let hint = question.scaleHint { blocks.append(.text(text(hint))) }
            if let earlier { blocks.append(.hint(msg(.earlierAnswer, ["answer": earlier]))) }
            return Screen(blocks: blocks, prompt: msg(.promptScale, ["min": String(min), "max": String(max)]),
                          completions: commandCompletions, prefill: earlier)
        }
        return choiceScreen(heading: text(question.prompt), labels: question.choices.map { text($0.label) },
                            multiple: question.kind == .multiple, earlier: earlier)
    }

    /// The practice's professionals, with their kind and languages.
    func professionalScreen() -> Screen {
        let people = professionalsForClient
        let labels = people.map { person -> String in
            let discipline = content.discipline(person.discipline).map { text($0.label) } ?? person.discipline
            return "\(person.name) (\(discipline); \(person.languages.map(languageDisplayName).joined(separator: ", ")))"
        }
        let earlier = booking.professional.flatMap { id in people.firstIndex { $0.id == id }.map { String($0 + 1) } }
        var screen = choiceScreen(heading: msg(.bookWhichProfessional), labels: labels, multiple: false, earlier: earlier)
        screen.completions = people.map(\.name) + commandCompletions
        return screen
    }

    /// The times that suit.
    func whenScreen() -> Screen {
        let times = content.bookingTimes
        let numbers = booking.times.compactMap { id in times.firstIndex { $0.id == id }.map { String($0 + 1) } }
        let earlier = numbers.isEmpty ? nil : numbers.joined(separator: ", ")
        return choiceScreen(heading: msg(.bookWhen), labels: times.map { text($0.label) }, multiple: true, earlier: earlier)
    }

    /// Which language, the current one filled in.
    func languageScreen() -> Screen {
        let labels = languageLabels
        let current = content.clinic.languages.firstIndex(of: language).map { String($0 + 1) }
        var screen = choiceScreen(heading: msg(.languageAsk), labels: labels, multiple: false, earlier: nil)
        screen.prefill = current
        return screen
    }

    private func outcomeScreen() -> Screen {
        guard let result = assessment, let outcome = result.outcome else {
            return Screen(blocks: [], prompt: msg(.outcomeFinish))
        }
        var blocks: [Screen.Block] = [.notice(text(outcome.title)), .notice(text(outcome.instructions)),
                                      .text(text(outcome.reason))]
        blocks += medicalCareBlocks(outcome)
        guard outcome.level == .doctorSoon else {
            return Screen(blocks: blocks, prompt: msg(.outcomeFinish), completions: commandCompletions)
        }
        if let meanwhile = outcome.meanwhile {
            blocks += [.blank, .heading(msg(.outcomeMeanwhile)), .text(text(meanwhile))]
        }
        blocks += [.blank, .heading(msg(.outcomeBookAfterClearance)), .item(1, msg(.bookYes)), .item(2, msg(.bookNo))]
        return Screen(blocks: blocks, prompt: msg(.bookAskHint),
                      completions: [msg(.bookYes), msg(.bookNo)] + commandCompletions)
    }

    /// The overview: the options that fit, best first, a line or two each (the main reason,
    /// the main source in short); those left out, a line each; then what to type.
    private func resultsScreen() -> Screen {
        guard let result = assessment else { return Screen(blocks: [], prompt: msg(.outcomeFinish)) }
        var blocks: [Screen.Block] = [.heading(msg(.resultsTitle)), .notice(msg(.resultsOverviewNote))]
        // A returning client's "Since last time" takes the room of the blank lines below, so
        // that the overview still fits one screen.
        let sinceLastTime = sinceLastTimeBlocks()
        let gap: [Screen.Block] = sinceLastTime.isEmpty ? [.blank] : []
        blocks += sinceLastTime
        let suggested = result.recommendation.suggested
        if suggested.isEmpty { blocks.append(.text(msg(.resultsNone))) }
        for (n, suggestion) in suggested.enumerated() {
            let option = suggestion.option
            var line = text(option.name)
            // The reason's first sentence says which answer it fits; the page has the rest.
            if let reason = mainReason(suggestion) { line += ": " + Self.firstSentence(text(reason)) }
            if let source = option.evidence.lazy.compactMap({ self.content.evidence($0) }).first {
                line += "\n" + (source.short.map(text) ?? source.citation)
            }
            blocks.append(.item(n + 1, line))
        }
        if !result.recommendation.leftOut.isEmpty {
            blocks += gap + [.text(msg(.resultsLeftOut) + ":")]
            for left in result.recommendation.leftOut {
                let reasons = left.because.map(text).joined(separator: "; ")
                blocks.append(.bullet(msg(.resultsLeftOutItem, ["option": text(left.option.name), "reason": reasons])))
            }
        }
        blocks += gap + [.text(msg(suggested.isEmpty ? .bookAskHint : .resultsOverviewPrompt))]
        let names = suggested.map { text($0.option.name) }
        return Screen(blocks: blocks, prompt: "> ",
                      completions: names + [msg(.bookYes), msg(.bookNo)] + commandCompletions)
    }

    /// Up to the first ". ", "? " or "! " (the whole text when it has one sentence).
    static func firstSentence(_ text: String) -> String {
        let bytes = text.utf8
        var previous: UInt8 = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x20, previous == 0x2E || previous == 0x3F || previous == 0x21 { return String(text[..<index]) }
            previous = byte
        }
        return text
    }

    /// The reason that weighs most (the first of equals).
    func mainReason(_ suggestion: Suggestion) -> LocalizedText? {
        let fitting = suggestion.option.fits.filter { rule in suggestion.reasons.contains(rule.reason) }
        return fitting.max { $0.weight < $1.weight }?.reason ?? suggestion.reasons.first
    }

    /// One option's page: what it is, every reason it fits, what to take care of, home care
    /// now, what to watch for, and the research with full citations and funding.
    private func optionPage(_ n: Int) -> Screen {
        guard let suggested = assessment?.recommendation.suggested, suggested.indices.contains(n) else {
            return resultsScreen()
        }
        let suggestion = suggested[n]
        let option = suggestion.option
        var blocks: [Screen.Block] = [.heading("\(n + 1). \(text(option.name))"), .notice(msg(.resultsNotDiagnosis)),
                                      .text(text(option.summary)),
                                      .blank, .text(msg(.resultsWhy))]
        blocks += suggestion.reasons.map { .bullet(text($0)) }
        if !suggestion.precautions.isEmpty {
            blocks.append(.text(msg(.resultsTakeCare)))
            blocks += suggestion.precautions.map { .bullet(text($0)) }
        }
        blocks += [.text(msg(.resultsHomeCare)), .bullet(text(option.homeCare))]
        blocks += [.text(msg(.resultsWatchFor)), .bullet(text(option.watchFor))]
        blocks += [.blank, .text(msg(.resultsEvidence))]
        for id in option.evidence {
            guard let source = content.evidence(id) else { continue }
            blocks += evidenceBlocks(source)
        }
        blocks += [.blank, .text(msg(.resultsPracticeView)), .blank, .text(msg(.resultsPagePrompt))]
        let names = suggested.map { text($0.option.name) }
        return Screen(blocks: blocks, prompt: "> ",
                      completions: names + [msg(.bookYes), msg(.bookNo)] + commandCompletions,
                      more: msg(.resultsPageMore))
    }

    /// What a study found, then its source, how strong it is and who paid for it.
    func evidenceBlocks(_ source: Evidence) -> [Screen.Block] {
        var citation = "\(msg(.resultsSource)) \(source.citation) (\(text(source.kind)))"
        if let doi = source.doi { citation += " doi:\(doi)" }
        var blocks: [Screen.Block] = [.bullet(text(source.finding)), .detail(citation),
                                      .detail("\(msg(.resultsStrength)) \(text(source.strength))")]
        if let funding = source.funding { blocks.append(.detail("\(msg(.resultsFunding)) \(text(funding))")) }
        return blocks
    }

    /// What the client takes home after booking: the options to talk about and the request.
    func takeHomeSummary() -> [Screen.Block] {
        var blocks: [Screen.Block] = [.heading(msg(.summaryTitle))]
        if let suggested = assessment?.recommendation.suggested, !suggested.isEmpty {
            blocks.append(.text(msg(.summaryOptions)))
            blocks += suggested.map { .bullet(text($0.option.name)) }
        }
        let kind: String
        if let id = booking.professional, let name = content.clinic.personName(id) {
            kind = name
        } else if let id = booking.discipline, let discipline = content.discipline(id) {
            kind = text(discipline.label)
        } else {
            kind = msg(.bookAnyone)
        }
        let times = booking.times.compactMap { id in content.bookingTimes.first { $0.id == id }.map { text($0.label) } }
        blocks.append(.text(msg(.summaryRequest, ["kind": kind, "times": times.joined(separator: ", ")])))
        if booking.referral { return blocks + referralSummary() }
        blocks.append(.text(msg(.summaryContact, ["contact": TextSafety.display(booking.phone ?? booking.email ?? "")])))
        return blocks
    }
}
