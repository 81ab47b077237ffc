import Foundation

/// The rules for the staff PIN that lets staff leave the kiosk: what a PIN may
/// be, and how long wrong tries lock it. Time is passed in.
public enum StaffLockPolicy {
    /// Five wrong tries, then one minute, doubling with each further wrong try, up to an hour.
    public static let limit = TryLimit(freeTries: 5, firstLock: 60, longestLock: 60 * 60)
    /// Wrong tries allowed before the first lock.
    public static var freeTries: Int { limit.freeTries }
    public static var firstLock: TimeInterval { limit.firstLock }
    public static var longestLock: TimeInterval { limit.longestLock }

    /// A PIN is 4 to 12 digits.
    public static func isAcceptable(_ pin: String) -> Bool {
        (4...12).contains(pin.count) && pin.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// How long the PIN is locked after `failures` wrong tries in a row: nothing
    /// for the first four, then one minute, doubling with each further wrong try.
    public static func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        limit.lockDuration(afterFailures: failures)
    }
}

/// How many wrong tries in a row are let through, and how long the ones after lock: the
/// staff PIN's rule, and the returning client's (`ReturningLock`).
public struct TryLimit: Sendable, Hashable {
    public var freeTries: Int
    public var firstLock: TimeInterval
    public var longestLock: TimeInterval
    public init(freeTries: Int, firstLock: TimeInterval, longestLock: TimeInterval) {
        self.freeTries = freeTries; self.firstLock = firstLock; self.longestLock = longestLock
    }

    /// Nothing before `freeTries` wrong tries in a row; at that many, `firstLock`, doubling
    /// with each further wrong try, up to `longestLock`.
    public func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeTries else { return nil }
        let doublings = min(failures - freeTries, 10)
        return min(firstLock * pow(2, Double(doublings)), longestLock)
    }
}

/// What checking a typed PIN found.
public enum StaffPinCheck: Sendable, Equatable {
    case accepted
    case wrong(triesLeft: Int)
    case locked(until: Date)
    case notSet
}

/// Where the staff PIN's hash and its wrong tries are kept.
public protocol StaffPinStore: AnyObject {
    func hasStaffPin() throws -> Bool
    func setStaffPin(_ pin: String) throws
    func checkStaffPin(_ pin: String, now: Date) throws -> StaffPinCheck
}
