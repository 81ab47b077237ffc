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
