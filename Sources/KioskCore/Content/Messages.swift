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
    // the overview and an option's page
    case resultsOverviewPrompt = "results.overview_prompt"
    case resultsOverviewNote = "results.overview_note"
    case resultsPagePrompt = "results.page_prompt"
    case resultsPageMore = "results.page_more"
    case promptMore = "prompt.more"
    case hintUnsure = "hint.unsure"
    case hintWhichSign = "hint.which_sign"
    case hintCommandClash = "hint.command_clash"   // {word} {matches}
    // words a client may use in their own answers (comma-separated; not graded for reading level)
    case wordsYes = "words.yes"
    case wordsNo = "words.no"
    case wordsBook = "words.book"
    case wordsNone = "words.none"
    case wordsNegations = "words.negations"
    case wordsFillers = "words.fillers"
    case wordsJoiners = "words.joiners"
    /// Number words from zero up, in order; spellings of one number separated by "/".
    case wordsNumbers = "words.numbers"
    /// Words that mean one before a unit of time ("a week", "un mes").
    case wordsOne = "words.one"
    case wordsDay = "words.day"
    case wordsDays = "words.days"
    case wordsWeek = "words.week"
    case wordsWeeks = "words.weeks"
    case wordsMonth = "words.month"
    case wordsMonths = "words.months"
    case wordsYear = "words.year"
    case wordsYears = "words.years"
    // the directory: who fits, referrals to partners, local medical care
    case bookSavedReferral = "book.saved_referral" // {code} {clinic} {partner} {phone}
    case bookLanguage = "book.language"
    case bookOffer = "book.offer"
    case bookOfferOutside = "book.offer_outside"
    case bookOfferWhy = "book.offer_why"
    case bookOfferDesk = "book.offer_desk"
    case bookOfferNone = "book.offer_none"
    case bookOutside = "book.outside"
    case bookReferralConsent = "book.referral_consent"          // {partner} {contact}
    case bookReferralConsentWhy = "book.referral_consent_why"   // {partner}
    case bookReferralDeclined = "book.referral_declined"        // {partner} {phone}
    case summaryReferral = "summary.referral"
    case summaryReferralPlace = "summary.referral_place"        // {partner} {discipline} {phone} {address}
    case summaryReferralContact = "summary.referral_contact"    // {partner} {contact}
    case careKindUrgentCare = "care.kind.urgent_care"
    case careKindEmergencyDepartment = "care.kind.emergency_department"
    case careKindWalkInClinic = "care.kind.walk_in_clinic"
    case careOpenUntil = "care.open_until"         // {name} {kind} {phone} {address} {time}
    case careOpenAlways = "care.open_always"       // {name} {kind} {phone} {address}
    case careWhere = "care.where"                  // {phone} {address}
    case careOpens = "care.opens"                  // {name} {kind} {phone} {address} {when}
    case careClosed = "care.closed"                // {name} {kind} {phone} {address}
    case careToday = "care.today"                  // {time}
    case careTomorrow = "care.tomorrow"            // {time}
    case careOnDay = "care.on_day"                 // {day} {time}
    case dayMon = "day.mon"
    case dayTue = "day.tue"
    case dayWed = "day.wed"
    case dayThu = "day.thu"
    case dayFri = "day.fri"
    case daySat = "day.sat"
    case daySun = "day.sun"
    // take-home: the QR code, and the slip printed when asked for
    case takeHomeScanLink = "take_home.scan_link"      // {link}
    case takeHomeScanPhone = "take_home.scan_phone"    // {phone}
    case takeHomeTooSmall = "take_home.too_small"
    case takeHomePaperAsk = "take_home.paper_ask"
    case takeHomePrinting = "take_home.printing"
    case takeHomeNotReady = "take_home.not_ready"
    case slipPhone = "slip.phone"                      // {phone}
    case slipDate = "slip.date"                        // {date}
    case slipReference = "slip.reference"              // {code}
    case slipGetCareNow = "slip.get_care_now"
    // a client who has been here before (ClientSession+Returning), and "Since last time"
    case welcomeReturning = "welcome.returning"
    /// Words for "I have been here before" at the welcome, in each language.
    case wordsReturning = "words.returning"
    case returnCode = "return.code"
    case returnCodeWhy = "return.code_why"
    case returnCodeHint = "return.code_hint"
    case returnFactor = "return.factor"
    case returnFactorWhy = "return.factor_why"
    case returnFactorHint = "return.factor_hint"
    case returnChecking = "return.checking"
    case returnRefused = "return.refused"
    case returnLocked = "return.locked"
    case returnFailed = "return.failed"
    case returnConsent = "return.consent"
    case returnConsentWhy = "return.consent_why"
    case progressTitle = "progress.title"          // {source}
    case progressLine = "progress.line"            // {measure} {before} {now} {change}
    case progressLineVerdict = "progress.line_verdict" // {measure} {before} {now} {change} {verdict}
    case progressDown = "progress.down"            // {points}
    case progressDownOne = "progress.down_one"
    case progressUp = "progress.up"                // {points}
    case progressUpOne = "progress.up_one"
    case progressNoChange = "progress.no_change"
    case progressPercent = "progress.percent"      // {percent}
    case progressBetter = "progress.better"
    case progressSame = "progress.same"
    case progressWorse = "progress.worse"

    /// Keys whose text is a list of words a client may type, not a sentence to read.
    public var isWordList: Bool { rawValue.hasPrefix("words.") || rawValue.hasPrefix("command.") }
    // the front desk
    case deskAfterClearance = "desk.after_clearance"
    /// `kiosk stats`: the summary's rows for assessments with a warning sign, by level.
    case statsEmergency = "stats.emergency"
    case statsDoctorSoon = "stats.doctor_soon"
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
