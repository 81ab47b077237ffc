import Foundation

/// What a client asked for at the kiosk, before it has a reference code.
public struct FollowUpRequest: Sendable, Hashable, Codable {
    public var assessmentID: String
    public var createdAt: Date
    public var event: String?
    public var language: String
    public var name: String
    public var phone: String?
    public var email: String?
    /// A discipline id, or nil for "anyone suitable".
    public var discipline: String?
    /// A named professional's id, if the client chose one.
    public var professional: String?
    /// Choice ids of the times that suit.
    public var preferredTimes: [String]
    public var consent: Bool
    /// Asked after a warning sign: book only once a doctor has cleared it.
    public var afterMedicalClearance: Bool
    /// A referral: `professional` is a partner outside the practice (directory.yaml), and the
    /// desk passes the request on to them.
    public var referral: Bool
    /// The client agreed that the practice passes their name and contact to that partner.
    public var passOnConsent: Bool
    public init(assessmentID: String, createdAt: Date, event: String?, language: String, name: String,
                phone: String?, email: String?, discipline: String?, professional: String?,
                preferredTimes: [String], consent: Bool, afterMedicalClearance: Bool,
                referral: Bool = false, passOnConsent: Bool = false) {
        self.assessmentID = assessmentID; self.createdAt = createdAt; self.event = event
        self.language = language; self.name = name; self.phone = phone; self.email = email
        self.discipline = discipline; self.professional = professional
        self.preferredTimes = preferredTimes; self.consent = consent
        self.afterMedicalClearance = afterMedicalClearance
        self.referral = referral; self.passOnConsent = passOnConsent
    }
}
