import Foundation

/// What a client takes home at the end: a QR code to the practice's link (or its phone),
/// and a printed slip only when they ask for one. A slip left on a printer shows strangers
/// what a client chose, so it is never printed unasked. Neither the code nor the slip
/// holds a name, a contact detail or an answer.
extension ClientSession {
    /// Where the take-home part of a finished session is.
    struct TakeHome: Sendable, Equatable {
        /// The reference code on the screen, if the client booked.
        var reference: String?
        /// "Would you like this on paper?" is waiting for an answer.
        var paperAsked = false
        /// The last screen with its code (without the paper question), shown again under a
        /// hint or with help: the client may not have scanned it yet.
        var screen: Screen?
    }

    /// What the QR code opens: the practice's link with `{reference}` filled with the
    /// reference code (left empty for a client who did not book), else a `tel:` link to
    /// the practice's phone (its digits, and a leading `+` if written). Nil when neither
    /// gives a link (a phone with no digits).
    public static func takeHomeLink(_ clinic: Clinic, reference: String?) -> String? {
        if let link = clinic.link { return link.filling(["reference": reference ?? ""]) }
        let phone = clinic.phone.trimmedWhitespace
        let digits = phone.filter { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        return "tel:" + (phone.hasPrefix("+") ? "+" : "") + digits
    }

    /// The QR block, with the link or phone in words beside it.
    func takeHomeCode(reference: String?) -> Screen.Block? {
        let clinic = content.clinic
        guard let link = Self.takeHomeLink(clinic, reference: reference) else { return nil }
        let caption = clinic.link == nil ? msg(.takeHomeScanPhone, ["phone": clinic.phone])
                                         : msg(.takeHomeScanLink, ["link": link])
        return .qrCode(payload: link, caption: caption, tooSmall: msg(.takeHomeTooSmall))
    }

    /// `screen` (the summary after a booking, or the goodbye of a client who did not book)
    /// with the take-home code added and, when the practice names a printer, the question
    /// whether to print a slip.
    mutating func withTakeHome(_ screen: Screen, reference: String?) -> Screen {
        var screen = screen
        if let code = takeHomeCode(reference: reference) { screen.blocks += [.blank, code] }
        takeHome = TakeHome(reference: reference, paperAsked: content.clinic.printer != nil, screen: screen)
        return finishedScreen(clear: screen.clear)
    }

    /// The finished step's screen: the summary or goodbye with its code, then the paper
    /// question while it waits; else (no code) "press Enter".
    func finishedScreen(clear: Bool = false) -> Screen {
        var screen = takeHome.screen ?? Screen(blocks: [], prompt: msg(.outcomeFinish), completions: commandCompletions)
        screen.clear = clear
        guard takeHome.paperAsked else { return screen }
        screen.blocks += [.blank, .heading(msg(.takeHomePaperAsk)), .item(1, msg(.bookYes)), .item(2, msg(.bookNo))]
        screen.prompt = msg(.bookAskHint)
        screen.completions = [msg(.bookYes), msg(.bookNo)] + commandCompletions
        return screen
    }

    /// The answer to "Would you like this on paper?": Enter or no ends the session, with
    /// nothing printed; yes asks the shell to print the slip.
    mutating func answerPaper(_ input: String, now: Date) -> Transition {
        let end = Self.ended
        if input.isEmpty { return end }
        switch AnswerMatcher.choose(input, among: tables.yesNoChoices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem):
            return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            guard picked[0] == 0, let queue = content.clinic.printer else { return end }
            takeHome.paperAsked = false
            takeHome.screen = nil
            return Transition(screen: Screen(blocks: [], prompt: ""),
                              effects: [.printSlip(slip: slip(now: now), queue: queue)])
        }
    }

    /// The shell handed the slip to the printer.
    public mutating func slipPrinted() -> Transition {
        takeHome.paperAsked = false
        takeHome.screen = nil
        return Transition(screen: Screen(blocks: [.text(msg(.takeHomePrinting))], prompt: msg(.outcomeFinish),
                                         completions: commandCompletions))
    }

    /// The printer is missing, stopped or refused the slip: say so in one line; the
    /// session goes on as if no slip had been asked for.
    public mutating func slipNotReady() -> Transition {
        takeHome.paperAsked = false
        takeHome.screen = nil
        return Transition(screen: Screen(blocks: [.notice(msg(.takeHomeNotReady))], prompt: msg(.outcomeFinish),
                                         completions: commandCompletions))
    }

    /// The slip, in the session's language: the practice's name and phone, the date, the
    /// reference code if any, each suggested option, what to do at home now and what to
    /// watch for, and the warning signs that mean "get care now". Nothing the client typed
    /// or answered is on it: no reasons ("you said ..."), precautions or left-out options,
    /// which repeat answers.
    func slip(now: Date) -> [Screen.Block] {
        let clinic = content.clinic
        var blocks: [Screen.Block] = [.heading(clinic.name), .text(msg(.slipPhone, ["phone": clinic.phone])),
                                      .text(msg(.slipDate, ["date": Self.slipDate(now, clinic: clinic)]))]
        if let reference = takeHome.reference { blocks.append(.text(msg(.slipReference, ["code": reference]))) }
        if let outcome = assessment?.outcome {
            blocks += [.blank, .heading(text(outcome.title)), .text(text(outcome.instructions))]
            if let meanwhile = outcome.meanwhile { blocks += [.text(msg(.resultsHomeCare)), .bullet(text(meanwhile))] }
        }
        let options = (assessment?.recommendation.suggested ?? []).map(\.option)
        if !options.isEmpty {
            blocks += [.blank, .text(msg(.summaryOptions))] + options.map { .bullet(text($0.name)) }
            blocks += [.blank, .text(msg(.resultsHomeCare))]
                + options.map { .bullet("\(text($0.name)): \(text($0.homeCare))") }
            blocks += [.blank, .text(msg(.resultsWatchFor))]
                + options.map { .bullet("\(text($0.name)): \(text($0.watchFor))") }
        }
        let urgent = content.warningScreens.flatMap(\.signs).filter { content.outcome($0.outcome)?.level == .emergency }
        if !urgent.isEmpty {
            blocks += [.blank, .heading(msg(.slipGetCareNow))] + urgent.map { .bullet(text($0.text)) }
        }
        blocks += [.blank, .text(msg(.resultsNotDiagnosis))]
        return blocks
    }

    /// The day in the clinic's time zone as YYYY-MM-DD: the same in every language, and
    /// never read two ways (1/12 or 12/1).
    static func slipDate(_ now: Date, clinic: Clinic) -> String {
        let day = DeskTime.calendar(DeskTime.zone(of: clinic)).dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
    }
}
