/// Whole numbers from `lower` to `upper` (no upper end: and more).
public struct ValueRange: Sendable, Hashable {
    public var lower: Int
    public var upper: Int?
    public init(_ lower: Int, _ upper: Int?) { self.lower = lower; self.upper = upper }
    public func contains(_ value: Int) -> Bool { value >= lower && (upper.map { value <= $0 } ?? true) }
    public func overlaps(_ other: ValueRange) -> Bool {
        (upper.map { $0 >= other.lower } ?? true) && (other.upper.map { $0 >= lower } ?? true)
    }
    /// As written in Content: "18-64", "65+".
    public var text: String { upper.map { "\(lower)-\($0)" } ?? "\(lower)+" }
    /// Reads "18-64" or "65+".
    public init?(text: String) {
        let t = text.trimmedWhitespace
        if t.hasSuffix("+"), let low = Int(t.dropLast()), low >= 0 { self.init(low, nil); return }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low >= 0, low <= high else { return nil }
        self.init(low, high)
    }
}
