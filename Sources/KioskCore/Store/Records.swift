import Foundation

/// A finished questionnaire, kept without name or contact: it feeds the statistics.
public struct AssessmentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var createdAt: Date
    public var event: String?
    public var language: String
    public var answers: Answers
    public var level: TriageLevel
    public var outcome: String?
    public var optionsShown: [String]
    public var optionsLeftOut: [String]
    public init(id: String, createdAt: Date, event: String?, language: String, answers: Answers,
                level: TriageLevel, outcome: String?, optionsShown: [String], optionsLeftOut: [String]) {
        self.id = id; self.createdAt = createdAt; self.event = event; self.language = language
        self.answers = answers; self.level = level; self.outcome = outcome
        self.optionsShown = optionsShown; self.optionsLeftOut = optionsLeftOut
    }
}

public enum FollowUpStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case requested, contacted, booked, completed, cancelled
    case noShow = "no_show"
}

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

/// A stored follow-up request.
public struct FollowUp: Sendable, Hashable, Codable {
    public var reference: String
    public var request: FollowUpRequest
    public var status: FollowUpStatus
    public init(reference: String, request: FollowUpRequest, status: FollowUpStatus) {
        self.reference = reference; self.request = request; self.status = status
    }
}

public enum AlertLevel: String, Sendable, Hashable, Codable {
    case urgent, soon
}

/// A warning sign raised at the kiosk, for the front desk.
public struct Alert: Sendable, Hashable, Codable {
    public var assessmentID: String
    public var createdAt: Date
    public var level: AlertLevel
    public var outcome: String
    public var event: String?
    public init(assessmentID: String, createdAt: Date, level: AlertLevel, outcome: String, event: String?) {
        self.assessmentID = assessmentID; self.createdAt = createdAt; self.level = level
        self.outcome = outcome; self.event = event
    }
}

/// Where the kiosk keeps what clients confirmed. Every write is durable when it
/// returns: a caller may acknowledge it to the client only after that.
public protocol KioskStore: AnyObject {
    func saveAssessment(_ record: AssessmentRecord) throws
    /// A client started a session (anonymous: for counting sessions).
    func recordSessionStart(id: String, at: Date, event: String?, language: String) throws
    func raiseAlert(_ alert: Alert) throws
    /// Commits the request under a new reference code, drawn from `makeCode`
    /// until one is free, and returns that code.
    func saveFollowUp(_ request: FollowUpRequest, makeCode: () -> String) throws -> String
    func followUp(reference: String) throws -> FollowUp?
    func followUps(status: FollowUpStatus?, limit: Int) throws -> [FollowUp]
    func assessment(id: String) throws -> AssessmentRecord?
    func unacknowledgedAlerts() throws -> [Alert]
}

/// Short codes a client can read out on the phone: no 0/O, 1/I/L.
public enum ReferenceCode {
    public static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let chars = (0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<3]) + "-" + String(chars[3..<6])
    }

    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.count == 3 && $0.allSatisfy(alphabet.contains) }
    }
}
