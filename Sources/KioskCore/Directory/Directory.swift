/// A professional outside the practice that it works with and refers clients to
/// (a chiropractor at a massage-only practice, a physical therapist who speaks Spanish).
/// Partners have no slots here: the desk passes a referral on, the partner books it.
public struct Partner: Sendable, Hashable {
    public var id: String
    public var name: String
    public var discipline: String
    public var languages: [String]
    public var address: String
    public var phone: String
    /// Weekly hours, by weekday ("mon") -> "09:00-17:00" ranges, in the clinic's time zone.
    public var hours: [String: [String]]
    /// A partner who takes no new clients is never offered.
    public var newClients: Bool
    /// A short note for clients, if any.
    public var note: LocalizedText?

    public init(id: String, name: String, discipline: String, languages: [String], address: String, phone: String,
                hours: [String: [String]], newClients: Bool, note: LocalizedText? = nil) {
        self.id = id; self.name = name; self.discipline = discipline; self.languages = languages
        self.address = address; self.phone = phone; self.hours = hours; self.newClients = newClients; self.note = note
    }
}

/// The kinds of local medical care the directory can list. Their names for clients are
/// Content (`care.kind.*` in messages.yaml).
public enum MedicalCareKind: String, Sendable, Hashable, CaseIterable {
    case urgentCare = "urgent_care"
    case emergencyDepartment = "emergency_department"
    case walkInClinic = "walk_in_clinic"
}

/// A place that gives medical care: an urgent care clinic, an emergency department, a
/// doctor's office that takes walk-ins.
public struct MedicalCare: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: MedicalCareKind
    public var address: String
    public var phone: String
    /// Weekly opening hours in the clinic's time zone ("00:00-24:00" every day: always open).
    public var hours: [String: [String]]

    public init(id: String, name: String, kind: MedicalCareKind, address: String, phone: String,
                hours: [String: [String]]) {
        self.id = id; self.name = name; self.kind = kind; self.address = address; self.phone = phone; self.hours = hours
    }
}

/// Which local medical care a warning-sign outcome names (safety.yaml, `care:`): the places
/// of `kinds` open at that hour, after `intro`; when none of them is open, when they open
/// next, then `closedIntro` and the open places of `closedKinds`.
public struct CareToName: Sendable, Equatable {
    public var intro: LocalizedText
    public var kinds: [MedicalCareKind]
    public var closedIntro: LocalizedText?
    public var closedKinds: [MedicalCareKind]

    public init(intro: LocalizedText, kinds: [MedicalCareKind], closedIntro: LocalizedText? = nil,
                closedKinds: [MedicalCareKind] = []) {
        self.intro = intro; self.kinds = kinds; self.closedIntro = closedIntro; self.closedKinds = closedKinds
    }
}
