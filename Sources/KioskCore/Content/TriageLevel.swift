public enum TriageLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// No warning sign: options and booking.
    case selfCare = "self_care"
    /// See a doctor soon, before massage or manipulation.
    case doctorSoon = "doctor_soon"
    /// Emergency now: no options, no booking.
    case emergency
}
