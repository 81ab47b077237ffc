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
    public internal(set) var answers: Answers = [:]
    public internal(set) var booking = BookingDraft()
    public internal(set) var assessment: Assessment?
    /// When the warning-sign outcome was reached: which local care is open then.
    public internal(set) var outcomeReachedAt: Date?
    /// A client who has been here before (ClientSession+Returning).
    public internal(set) var returning = Returning()
    /// Steps behind the current one, for `back`.
    var trail: [Step] = []
    var alertRaised = false
    var sessionCounted = false
    /// Texts, command words and choice words in the session's language, worked out once per content.
    private(set) var tables: LanguageTables
    /// The step a question about starting over (Ctrl-D, a long pause) interrupted.
    var interrupted: Step?
    /// A command word that is also a choice's word was typed here: typed again, it is the command.
    var clash: (word: String, step: Step)?
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
        if let command = InputParsing.command(input, folded: tables.foldedCommandWords),
           let transition = run(command, typed: input, folded: folded, repeated: repeated) {
            return transition
        }
        return answer(input, now: now)
    }

    /// Each step's answer goes to the function for that step: the questionnaire
    /// (ClientSession+Questionnaire), booking (+Booking, +Directory), interruptions
    /// (+Interrupts), a returning client (+Returning) and the take-home slip (+TakeHome).
    private mutating func answer(_ input: String, now: Date) -> Transition {
        switch step {
        case .welcome: return welcomeAnswer(input)
        case let .warning(index): return warningAnswer(input, index, now: now)
        case let .question(index): return questionAnswer(input, index, now: now)
        case .outcome:
            guard assessment?.level == .doctorSoon else { return Self.ended }
            return bookOrDecline(input, now: now)
        case .results, .page: return overviewAnswer(input, now: now)
        case .bookKind: return chooseKind(input)
        case .bookProfessional: return chooseProfessional(input)
        case .bookWhen: return chooseTimes(input)
        case .bookName: return giveName(input)
        case .bookContact: return giveContact(input)
        case .bookConsent: return consentAnswer(input, now: now)
        case .bookOffer: return chooseOffered(input)
        case .bookReferralConsent: return referralConsent(input, now: now)
        case .saving: return Transition(screen: hintScreen(msg(.bookSaving)))
        case .finished:
            if takeHome.paperAsked { return answerPaper(input, now: now) }
            return Self.ended
        case .stillThere: return resume()
        case .chooseLanguage: return chooseLanguage(input)
        case .returnCode, .returnFactor, .returnChecking, .returnLocked, .returnConsent:
            return returningAnswer(input, now: now)
        case .confirmStartOver: return confirmStartOver(input)
        }
    }

    /// The session ends: a clean screen for the next client.
    static let ended = Transition(screen: Screen(blocks: [], prompt: ""), effects: [.endSession])
}
