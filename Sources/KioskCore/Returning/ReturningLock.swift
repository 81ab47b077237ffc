import Foundation

/// The limits on wrong pairs.
public enum ReturningLock {
    /// At one kiosk: the fifth wrong pair in a row locks the way back there for 10 minutes,
    /// doubling with each further one, up to 2 hours.
    public static let kiosk = TryLimit(freeTries: 5, firstLock: 10 * 60, longestLock: 2 * 60 * 60)
    /// For one code, whatever kiosk asks: the fifth wrong factor in a row refuses the code
    /// for 15 minutes (so that nobody can try every 4 digits of a code from several kiosks).
    /// The PostgreSQL store's function `kiosk_return_pair` holds the same numbers.
    public static let code = TryLimit(freeTries: 5, firstLock: 15 * 60, longestLock: 15 * 60)

    /// The kiosk's lock after `failures` in a row, from `now`.
    public static func kioskLock(afterFailures failures: Int, now: Date) -> Date? {
        kiosk.lockDuration(afterFailures: failures).map { now.addingTimeInterval($0) }
    }
}
