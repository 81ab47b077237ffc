import Foundation

/// A booked appointment: who, when.
public struct Appointment: Sendable, Hashable {
    public var professional: String
    public var start: Date
    public var end: Date
    public init(professional: String, start: Date, end: Date) {
        self.professional = professional; self.start = start; self.end = end
    }
}
