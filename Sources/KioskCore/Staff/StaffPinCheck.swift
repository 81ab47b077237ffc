import Foundation

/// What checking a typed PIN found.
public enum StaffPinCheck: Sendable, Equatable {
    case accepted
    case wrong(triesLeft: Int)
    case locked(until: Date)
    case notSet
}
