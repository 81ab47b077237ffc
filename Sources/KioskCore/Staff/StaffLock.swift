import Foundation

/// The rules for the staff PIN that lets staff leave the kiosk: what a PIN may
/// be, and how long wrong tries lock it. Time is passed in.
public enum StaffLockPolicy {
    /// Wrong tries allowed before the first lock.
    public static let freeTries = 5
    public static let firstLock: TimeInterval = 60
    public static let longestLock: TimeInterval = 60 * 60

    /// A PIN is 4 to 12 digits.
    public static func isAcceptable(_ pin: String) -> Bool {
        (4...12).contains(pin.count) && pin.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// How long the PIN is locked after `failures` wrong tries in a row: nothing
    /// for the first four, then one minute, doubling with each further wrong try.
    public static func lockDuration(afterFailures failures: Int) -> TimeInterval? {
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
