import Foundation

/// The wrong tries of one kiosk, as the desk sees them.
public struct ReturnLockState: Sendable, Hashable {
    public var kiosk: String
    /// Wrong pairs in a row (a right one clears it).
    public var failures: Int
    /// Wrong pairs ever.
    public var totalFailures: Int
    public var lastFailureAt: Date?
    public var lockedUntil: Date?
    public init(kiosk: String, failures: Int, totalFailures: Int, lastFailureAt: Date?, lockedUntil: Date?) {
        self.kiosk = kiosk; self.failures = failures; self.totalFailures = totalFailures
        self.lastFailureAt = lastFailureAt; self.lockedUntil = lockedUntil
    }
}
