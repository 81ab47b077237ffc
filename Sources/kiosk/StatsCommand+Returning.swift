import Foundation
import KioskCore

/// `kiosk stats` on returning clients: how many came back, the median change in pain from
/// their first visit to their latest, and how many changed by as much as people notice.
extension StatsCommand {
    static func returningStats(_ desk: DeskContext, event: String?, since: Date?) throws -> ReturningStats {
        let rule = desk.content.progress
        let outcomes = try desk.store.returningOutcomes(questions: rule?.measures.map(\.question) ?? [],
                                                        event: event, since: since)
        return ReturningStats(outcomes, rule: rule, content: desk.content)
    }

    /// The JSON: the practice's numbers as before, and `returning` beside them.
    struct Report: Encodable {
        var stats: PracticeStats
        var returning: ReturningStats
        enum Key: String, CodingKey { case returning }
        func encode(to encoder: any Encoder) throws {
            try stats.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(returning, forKey: .returning)
        }
    }
}
