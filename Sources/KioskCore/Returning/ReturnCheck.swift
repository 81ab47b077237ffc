import Foundation

/// What checking a returning client's code and second factor found.
public enum ReturnCheck: Sendable, Equatable {
    /// The pair is right: the scores of last time, by question id (nothing else).
    case admitted(scores: [String: Int])
    /// Wrong, whatever was wrong.
    case refused
    /// Too many wrong pairs in a row at this kiosk.
    case locked(until: Date)
}
