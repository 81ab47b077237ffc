import Foundation

/// One visit: when, and its scores by question id.
public struct Visit: Sendable, Hashable {
    public var at: Date
    public var scores: [String: Int]
    public init(at: Date, scores: [String: Int]) { self.at = at; self.scores = scores }
}
