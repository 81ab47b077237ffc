import Foundation

/// A returning client's first and latest visit, scores only.
public struct ReturnOutcome: Sendable, Hashable {
    public var first: [String: Int]
    public var latest: [String: Int]
    public init(first: [String: Int], latest: [String: Int]) { self.first = first; self.latest = latest }
}
