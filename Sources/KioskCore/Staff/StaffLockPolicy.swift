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
