/// Everything a practice edits, loaded and checked: the core's whole view of Content/.
public struct KioskContent: Sendable, Equatable {
    public var clinic: Clinic { didSet { retable() } }
    public var messages: Messages { didSet { retable() } }
    public var warningScreens: [WarningScreen] { didSet { retable() } }
    public var outcomes: [TriageOutcome] { didSet { retable() } }
    public var escalations: [Escalation] { didSet { retable() } }
    public var questions: [Question] { didSet { retable() } }
    public var options: [CareOption] { didSet { retable() } }
    public var leaveOut: [SafetyRule] { didSet { retable() } }
    public var precautions: [SafetyRule] { didSet { retable() } }
    public var evidence: [Evidence] { didSet { retable() } }
    /// Times a client may say suit them when booking.
    public var bookingTimes: [Choice] { didSet { retable() } }
    /// The weekly hours a booking time stands for, by its id (`weekday_evening` -> mon-fri
    /// evenings). A time without hours ("any time") fits anyone.
    public var bookingTimeHours: [String: [String: [String]]] = [:]
    /// How a returning client's scores are compared with last time (`progress:`), if the
    /// practice set it: without it there is no "Since last time" panel.
    public var progress: ProgressRule?

    /// Lookups made once from the fields above (`LanguageTables`), made again after any change.
    private var madeTables: ContentTables?
    public var tables: ContentTables { madeTables ?? ContentTables(self) }
    private mutating func retable() { madeTables = ContentTables(self) }

    public init(clinic: Clinic, messages: Messages, warningScreens: [WarningScreen],
                outcomes: [TriageOutcome], escalations: [Escalation], questions: [Question],
                options: [CareOption], leaveOut: [SafetyRule], precautions: [SafetyRule],
                evidence: [Evidence], bookingTimes: [Choice], bookingTimeHours: [String: [String: [String]]] = [:],
                progress: ProgressRule? = nil) {
        self.clinic = clinic; self.messages = messages; self.warningScreens = warningScreens
        self.outcomes = outcomes; self.escalations = escalations; self.questions = questions
        self.options = options; self.leaveOut = leaveOut; self.precautions = precautions
        self.evidence = evidence; self.bookingTimes = bookingTimes; self.bookingTimeHours = bookingTimeHours
        self.progress = progress
        madeTables = ContentTables(self)
    }

    /// The same content (the tables made from it follow).
    public static func == (a: KioskContent, b: KioskContent) -> Bool {
        a.clinic == b.clinic && a.messages == b.messages && a.warningScreens == b.warningScreens
            && a.outcomes == b.outcomes && a.escalations == b.escalations && a.questions == b.questions
            && a.options == b.options && a.leaveOut == b.leaveOut && a.precautions == b.precautions
            && a.evidence == b.evidence && a.bookingTimes == b.bookingTimes && a.bookingTimeHours == b.bookingTimeHours
            && a.progress == b.progress
    }

    public func outcome(_ id: String) -> TriageOutcome? { outcomes.first { $0.id == id } }
    public func option(_ id: String) -> CareOption? { options.first { $0.id == id } }
    public func evidence(_ id: String) -> Evidence? { evidence.first { $0.id == id } }
    public func question(_ id: String) -> Question? { questions.first { $0.id == id } }
    public func discipline(_ id: String) -> Discipline? { clinic.disciplines.first { $0.id == id } }
}

extension Clinic {
    public func professional(_ id: String) -> Professional? { professionals.first { $0.id == id } }
    public func partner(_ id: String) -> Partner? { partners.first { $0.id == id } }
    /// The name of one of the practice's professionals or of a partner (ids are unique across both).
    public func personName(_ id: String) -> String? { professional(id)?.name ?? partner(id)?.name }
}

/// The clinic, the people who work there, and the directory around it (`directory.yaml`):
/// partner professionals outside the practice and local medical care.
public struct Clinic: Sendable, Equatable {
    public var name: String
    public var address: String
    public var phone: String
    public var timeZone: String
    /// Languages the content provides; the first is the default.
    public var languages: [String]
    /// Every kind of professional the directory knows, the practice's own and its partners'.
    public var disciplines: [Discipline]
    /// The practice's own professionals (clinic.yaml and directory.yaml): they have slots.
    public var professionals: [Professional]
    /// How long one appointment lasts, for free slots.
    public var slotMinutes: Int
    /// Professionals outside the practice that it refers clients to.
    public var partners: [Partner]
    /// Local medical care (urgent care, emergency department, walk-in doctor's office).
    public var medicalCare: [MedicalCare]
    /// The practice's page for the take-home QR code (its online booking page, say); may hold
    /// `{reference}`, filled with the client's reference code. Nil: the code calls `phone`.
    public var link: String?
    /// The CUPS queue that prints take-home slips. Nil (an event laptop): no slip is offered.
    public var printer: String?
    /// Characters in one line of the printer's paper (a receipt printer: 32 to 48).
    public var printerColumns: Int
    /// How long before a booked appointment a calendar reminds (the VALARM of `export ics`);
    /// 0: no reminder.
    public var reminderMinutes: Int

    public init(name: String, address: String, phone: String, timeZone: String,
                languages: [String], disciplines: [Discipline], professionals: [Professional],
                slotMinutes: Int = 60, partners: [Partner] = [], medicalCare: [MedicalCare] = [],
                link: String? = nil, printer: String? = nil, printerColumns: Int = 42, reminderMinutes: Int = 0) {
        self.name = name; self.address = address; self.phone = phone; self.timeZone = timeZone
        self.languages = languages; self.disciplines = disciplines; self.professionals = professionals
        self.slotMinutes = slotMinutes; self.partners = partners; self.medicalCare = medicalCare
        self.link = link; self.printer = printer; self.printerColumns = printerColumns
        self.reminderMinutes = reminderMinutes
    }
    public var defaultLanguage: String { languages.first ?? "en" }
}

/// A kind of professional a client can ask for (massage therapist, ...).
public struct Discipline: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    /// Other words a client may type for it ("physio", "chiro").
    public var aliases: [LocalizedText]
    public init(id: String, label: LocalizedText, aliases: [LocalizedText] = []) {
        self.id = id; self.label = label; self.aliases = aliases
    }
}

/// One of the practice's own professionals.
public struct Professional: Sendable, Hashable {
    public var id: String
    public var name: String
    public var discipline: String
    public var languages: [String]
    /// Weekly hours, by weekday ("mon") -> "09:00-17:00" ranges.
    public var hours: [String: [String]]
    /// Whether they see new clients (a professional who does not is never offered at the kiosk).
    public var newClients: Bool
    /// A short note for clients (directory.yaml), if any.
    public var note: LocalizedText?
    public init(id: String, name: String, discipline: String, languages: [String], hours: [String: [String]] = [:],
                newClients: Bool = true, note: LocalizedText? = nil) {
        self.id = id; self.name = name; self.discipline = discipline; self.languages = languages; self.hours = hours
        self.newClients = newClients; self.note = note
    }
}

public struct Choice: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    /// Other words a client may type for this choice.
    public var aliases: [LocalizedText]
    /// In a several-answers question, a choice that stands alone ("none of these").
    public var exclusive: Bool
    /// The ages this choice covers, for a client who types their age ("40").
    public var ages: ValueRange?
    /// How many days ago (or how long) this choice covers, for "2 months", "3 weeks".
    public var days: ValueRange?
    public init(id: String, label: LocalizedText, aliases: [LocalizedText] = [], exclusive: Bool = false,
                ages: ValueRange? = nil, days: ValueRange? = nil) {
        self.id = id; self.label = label; self.aliases = aliases; self.exclusive = exclusive
        self.ages = ages; self.days = days
    }
}

/// Whole numbers from `lower` to `upper` (no upper end: and more).
public struct ValueRange: Sendable, Hashable {
    public var lower: Int
    public var upper: Int?
    public init(_ lower: Int, _ upper: Int?) { self.lower = lower; self.upper = upper }
    public func contains(_ value: Int) -> Bool { value >= lower && (upper.map { value <= $0 } ?? true) }
    public func overlaps(_ other: ValueRange) -> Bool {
        (upper.map { $0 >= other.lower } ?? true) && (other.upper.map { $0 >= lower } ?? true)
    }
    /// As written in Content: "18-64", "65+".
    public var text: String { upper.map { "\(lower)-\($0)" } ?? "\(lower)+" }
    /// Reads "18-64" or "65+".
    public init?(text: String) {
        let t = text.trimmedWhitespace
        if t.hasSuffix("+"), let low = Int(t.dropLast()), low >= 0 { self.init(low, nil); return }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low >= 0, low <= high else { return nil }
        self.init(low, high)
    }
}

public struct Question: Sendable, Equatable {
    public enum Kind: Sendable, Hashable {
        case single
        case multiple
        case scale(min: Int, max: Int)
    }
    public var id: String
    public var kind: Kind
    public var prompt: LocalizedText
    public var why: LocalizedText
    /// For a scale: what the ends mean ("0 = no pain, 10 = worst you can imagine").
    public var scaleHint: LocalizedText?
    public var choices: [Choice]
    /// Asked only when this holds (for example "when did it start" only if a cause was given).
    public var askIf: Condition?
    public init(id: String, kind: Kind, prompt: LocalizedText, why: LocalizedText,
                scaleHint: LocalizedText? = nil, choices: [Choice] = [], askIf: Condition? = nil) {
        self.id = id; self.kind = kind; self.prompt = prompt; self.why = why
        self.scaleHint = scaleHint; self.choices = choices; self.askIf = askIf
    }
}

public enum TriageLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// No warning sign: options and booking.
    case selfCare = "self_care"
    /// See a doctor soon, before massage or manipulation.
    case doctorSoon = "doctor_soon"
    /// Emergency now: no options, no booking.
    case emergency
}

/// A screen of warning signs, read top to bottom; the first that applies decides.
public struct WarningScreen: Sendable, Equatable {
    public var id: String
    public var prompt: LocalizedText
    public var why: LocalizedText
    public var signs: [WarningSign]
    public init(id: String, prompt: LocalizedText, why: LocalizedText, signs: [WarningSign]) {
        self.id = id; self.prompt = prompt; self.why = why; self.signs = signs
    }
}

public struct WarningSign: Sendable, Hashable {
    public var id: String
    public var text: LocalizedText
    public var outcome: String
    /// Short words a client may type for it ("chest pain"). A sign is picked by its number,
    /// its whole text or one of these, never by one word of its sentence ("back").
    public var aliases: [LocalizedText]
    public init(id: String, text: LocalizedText, outcome: String, aliases: [LocalizedText] = []) {
        self.id = id; self.text = text; self.outcome = outcome; self.aliases = aliases
    }
}

/// What the kiosk tells a client with a warning sign, and what it lets them do.
public struct TriageOutcome: Sendable, Equatable {
    public var id: String
    public var level: TriageLevel
    public var title: LocalizedText
    /// What to do now, in plain words.
    public var instructions: LocalizedText
    /// Why, in plain words.
    public var reason: LocalizedText
    /// For "see a doctor soon": what stays safe meanwhile.
    public var meanwhile: LocalizedText?
    /// Which local medical care the screen names, open at that hour (directory.yaml).
    public var care: CareToName?
    public init(id: String, level: TriageLevel, title: LocalizedText, instructions: LocalizedText,
                reason: LocalizedText, meanwhile: LocalizedText? = nil, care: CareToName? = nil) {
        self.id = id; self.level = level; self.title = title; self.instructions = instructions
        self.reason = reason; self.meanwhile = meanwhile; self.care = care
    }
}

/// Answers that, together, make a warning sign (a car crash in the last few days).
public struct Escalation: Sendable, Equatable {
    public var id: String
    public var when: Condition
    public var outcome: String
    public init(id: String, when: Condition, outcome: String) { self.id = id; self.when = when; self.outcome = outcome }
}

public struct FitRule: Sendable, Equatable {
    public var when: Condition
    public var weight: Int
    /// Why the option fits, shown when the rule holds.
    public var reason: LocalizedText
    public init(when: Condition, weight: Int, reason: LocalizedText) {
        self.when = when; self.weight = weight; self.reason = reason
    }
}

/// A non-prescription option (massage therapy, ice, heat, ...).
public struct CareOption: Sendable, Equatable {
    public var id: String
    public var name: LocalizedText
    public var summary: LocalizedText
    public var fits: [FitRule]
    public var homeCare: LocalizedText
    public var watchFor: LocalizedText
    public var evidence: [String]
    /// The kind of professional who gives it, if any (for booking).
    public var discipline: String?
    public init(id: String, name: LocalizedText, summary: LocalizedText, fits: [FitRule],
                homeCare: LocalizedText, watchFor: LocalizedText, evidence: [String], discipline: String? = nil) {
        self.id = id; self.name = name; self.summary = summary; self.fits = fits
        self.homeCare = homeCare; self.watchFor = watchFor; self.evidence = evidence; self.discipline = discipline
    }
}

/// A contraindication ("leave out") or a precaution for one option.
public struct SafetyRule: Sendable, Equatable {
    public var id: String
    public var option: String
    public var when: Condition
    /// Leave out: "you told us ..."; precaution: what to take care of.
    public var text: LocalizedText
    public var evidence: [String]
    public init(id: String, option: String, when: Condition, text: LocalizedText, evidence: [String] = []) {
        self.id = id; self.option = option; self.when = when; self.text = text; self.evidence = evidence
    }
}

public struct Evidence: Sendable, Equatable {
    public var id: String
    public var citation: String
    public var year: Int
    public var doi: String?
    public var url: String?
    /// review, meta-analysis, guideline, position statement, practice view
    public var kind: LocalizedText
    public var finding: LocalizedText
    public var strength: LocalizedText
    public var funding: LocalizedText?
    /// The source in a few words, with who paid for it: "Crawford 2016, Pain Medicine; funded by …".
    public var short: LocalizedText?
    public init(id: String, citation: String, year: Int, doi: String? = nil, url: String? = nil,
                kind: LocalizedText, finding: LocalizedText, strength: LocalizedText, funding: LocalizedText? = nil,
                short: LocalizedText? = nil) {
        self.id = id; self.citation = citation; self.year = year; self.doi = doi; self.url = url
        self.kind = kind; self.finding = finding; self.strength = strength; self.funding = funding
        self.short = short
    }
}
