import Foundation

/// Returning clients' visits streamed in order of follow-up, then time (a store's rows, of
/// type `Row`), one follow-up in memory at a time: the last row of a follow-up is its latest
/// visit, and the first visit's answers come with every row.
public struct LatestVisits<Row> {
    /// A follow-up's first visit's answers (as stored) and its latest visit's row.
    public typealias Group = (first: String?, latest: Row)

    private var current: (reference: String, group: Group)?

    public init() {}

    /// The next row; when it starts another follow-up, the previous follow-up's group.
    public mutating func add(reference: String, first: String?, latest: Row) -> Group? {
        if let current, current.reference == reference {
            self.current?.group.latest = latest
            return nil
        }
        let ended = current?.group
        current = (reference, (first, latest))
        return ended
    }

    /// The last follow-up's group, once the rows are done.
    public mutating func end() -> Group? {
        defer { current = nil }
        return current?.group
    }

    /// Whether a follow-up whose latest visit was at `latestEvent`, at `latestAt` (stored
    /// text), counts: at `event` when one is given, and not before `since` (stored text).
    public static func counts(latestEvent: String?, latestAt: String, event: String?, since: String?) -> Bool {
        if let event, latestEvent != event { return false }
        if let since, latestAt < since { return false }
        return true
    }
}
