/// Every fixed text a client sees (prompts, hints, headings), by key. The keys
/// are code; the words are Content (`messages.yaml`), one set per language.
public enum MessageKey: String, CaseIterable, Sendable {
    // welcome
    case welcomeTitle = "welcome.title"            // {clinic}
    case welcomeNotAdvice = "welcome.not_advice"
    case welcomeWhatIsKept = "welcome.what_is_kept"
    case welcomeHowTo = "welcome.how_to"           // back / help / restart
    case welcomePrompt = "welcome.prompt"
    case welcomeEvent = "welcome.event"            // {event}
    // commands a client may type at any prompt (comma-separated words)
    case commandBack = "command.back"
    case commandHelp = "command.help"
    case commandRestart = "command.restart"
    // prompts and hints
    case promptChoose = "prompt.choose"
    case promptChooseSeveral = "prompt.choose_several"
    case promptScale = "prompt.scale"              // {min} {max}
    case promptContinue = "prompt.continue"
    case earlierAnswer = "prompt.earlier_answer"   // {answer}
    case whyWeAsk = "prompt.why_we_ask"
    case hintNotAChoice = "hint.not_a_choice"      // {max}
    case hintAmbiguous = "hint.ambiguous"          // {matches}
    case hintScale = "hint.scale"                  // {min} {max}
    case hintEmpty = "hint.empty"
    case hintTooLong = "hint.too_long"
    case hintControl = "hint.control"
    case hintExclusive = "hint.exclusive"          // {choice}
    case hintNoBack = "hint.no_back"
    case warningIntro = "warning.intro"
    case warningNone = "warning.none"
    // results
    case resultsTitle = "results.title"
    case resultsNotDiagnosis = "results.not_diagnosis"
    case resultsWhy = "results.why"
    case resultsHomeCare = "results.home_care"
    case resultsWatchFor = "results.watch_for"
    case resultsTakeCare = "results.take_care"
    case resultsEvidence = "results.evidence"
    case resultsSource = "results.source"
    case resultsStrength = "results.strength"
    case resultsFunding = "results.funding"
    case resultsLeftOut = "results.left_out"
    case resultsLeftOutItem = "results.left_out_item" // {option} {reason}
    case resultsNone = "results.none"
    case resultsPracticeView = "results.practice_view"
    case outcomeFinish = "outcome.finish"
    case outcomeMeanwhile = "outcome.meanwhile"
    case outcomeBookAfterClearance = "outcome.book_after_clearance"
    // booking
    case bookAsk = "book.ask"
    case bookYes = "book.yes"
    case bookNo = "book.no"
    case bookAskHint = "book.ask_hint"
    case bookWhy = "book.why"
    case bookKind = "book.kind"
    case bookAnyone = "book.anyone"
    case bookNamed = "book.named"
    case bookWhichProfessional = "book.which_professional"
    case bookWhen = "book.when"
    case bookWhenWhy = "book.when_why"
    case bookName = "book.name"
    case bookNameWhy = "book.name_why"
    case bookContact = "book.contact"
    case bookContactWhy = "book.contact_why"
    case bookContactHint = "book.contact_hint"
    case bookConsent = "book.consent"              // {contact}
    case bookConsentWhy = "book.consent_why"
    case bookConsentYes = "book.consent_yes"
    case bookConsentNo = "book.consent_no"
    case bookNoConsent = "book.no_consent"
    case bookSaving = "book.saving"
    case bookSaved = "book.saved"                  // {code} {clinic} {phone}
    case bookFailed = "book.failed"                // {phone}
    case bookDeclined = "book.declined"
    case summaryTitle = "summary.title"
    case summaryOptions = "summary.options"
    case summaryRequest = "summary.request"        // {kind} {times}
    case summaryContact = "summary.contact"        // {contact}
    case startOverAsk = "start_over.ask"
    case startOverYes = "start_over.yes"
    case startOverNo = "start_over.no"
    case idleStillThere = "idle.still_there"
    case idlePrompt = "idle.prompt"
    case welcomeNoLock = "welcome.no_lock"
    case commandStaff = "command.staff"
    case commandLanguage = "command.language"
    /// Each language's own name for itself ("English", "Español").
    case languageName = "language.name"
    case languageAsk = "language.ask"
    case welcomeLanguage = "welcome.language"
    case goodbye = "goodbye"                       // {clinic} {phone}
    // the front desk
    case deskAfterClearance = "desk.after_clearance"
    /// The reminder a client is sent before a booked visit (`kiosk desk reminders`).
    case reminderText = "reminder.text"            // {clinic} {professional} {date} {time} {phone}
}

public struct Messages: Sendable, Equatable {
    public var texts: [String: LocalizedText]
    public init(_ texts: [String: LocalizedText]) { self.texts = texts }

    public func text(_ key: MessageKey, _ language: String, _ values: [String: String] = [:]) -> String {
        (texts[key.rawValue]?.resolve(language) ?? key.rawValue).filling(values)
    }

    public var missingKeys: [MessageKey] { MessageKey.allCases.filter { texts[$0.rawValue] == nil } }
}
