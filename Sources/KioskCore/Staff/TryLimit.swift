import Foundation

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
