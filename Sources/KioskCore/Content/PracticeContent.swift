/// Everything a practice edits, loaded and checked: the core's whole view of Content/.
public struct PracticeContent: Sendable, Equatable {
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
    public var bookingTimeHours: [String: [String: [String]]] = [:] { didSet { retable() } }
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
    public static func == (a: PracticeContent, b: PracticeContent) -> Bool {
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
