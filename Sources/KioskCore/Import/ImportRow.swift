import Foundation

/// A row of an imported file as plain values, by column name; a column its schema lacks
/// reads as `.null`.
public struct ImportRow: Sendable {
    public enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    public let values: [String: Value]

    public init(values: [String: Value]) { self.values = values }

    public func value(_ column: String) -> Value { values[column] ?? .null }

    /// The value as a whole number (an integer, or text that reads as one).
    public func number(_ column: String) -> Int64? {
        switch value(column) {
        case let .integer(n): return n
        case let .text(text): return Int64(text)
        default: return nil
        }
    }

    /// The value as text, as SQLite would convert it (numbers as their decimal text).
    public func text(_ column: String) -> String? {
        switch value(column) {
        case .null: return nil
        case let .integer(n): return String(n)
        case let .real(x): return String(x)
        case let .text(text): return text
        case let .blob(bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }
}
