/// The practice's outcome numbers (`kiosk stats`): how many clients came back, how their pain
/// changed from the first visit to the latest, and how many of those changes people notice
/// (`ProgressRule`). Counted from scores only: no name, contact or other answer reaches them.
public struct ReturningStats: Sendable, Equatable, Codable {
    /// Follow-ups with at least one later visit linked to them (with the client's consent).
    public var returningClients: Int
    /// Of those, the ones with a pain score at the first and the latest visit (the rest
    /// ended at a warning sign before the question).
    public var withScores: Int
    /// The middle of (latest - first) pain over those clients, in points: below 0 is less
    /// pain. Nil when there is none.
    public var medianPainChange: Double?
    /// Clients whose pain changed by as much as people notice, down (better) or up (worse),
    /// and the rest (unchanged).
    public var better: Int
    public var unchanged: Int
    public var worse: Int
    /// The same as shares of `withScores` (0 when it is 0).
    public var betterShare: Double
    public var unchangedShare: Double
    public var worseShare: Double

    public static let zero = ReturningStats(returningClients: 0, withScores: 0, medianPainChange: nil, better: 0,
                                            unchanged: 0, worse: 0, betterShare: 0, unchangedShare: 0, worseShare: 0)

    public init(returningClients: Int, withScores: Int, medianPainChange: Double?, better: Int, unchanged: Int,
                worse: Int, betterShare: Double, unchangedShare: Double, worseShare: Double) {
        self.returningClients = returningClients; self.withScores = withScores
        self.medianPainChange = medianPainChange; self.better = better; self.unchanged = unchanged
        self.worse = worse; self.betterShare = betterShare; self.unchangedShare = unchangedShare
        self.worseShare = worseShare
    }

    /// The numbers of `outcomes`, on the rule's first measure (pain now).
    public init(_ outcomes: [ReturnOutcome], rule: ProgressRule?, content: PracticeContent) {
        self = .zero
        returningClients = outcomes.count
        guard let rule, let measure = rule.measures.first,
              case let .scale(min, max)? = content.question(measure.question)?.kind else { return }
        var changes: [Int] = []
        for outcome in outcomes {
            guard let first = outcome.first[measure.question], let latest = outcome.latest[measure.question] else { continue }
            changes.append(latest - first)
            switch rule.change(from: first, to: latest, min: min, max: max).verdict {
            case .better: better += 1
            case .same: unchanged += 1
            case .worse: worse += 1
            }
        }
        withScores = changes.count
        guard !changes.isEmpty else { return }
        let sorted = changes.sorted()
        let middle = sorted.count / 2
        medianPainChange = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        let n = Double(changes.count)
        betterShare = Double(better) / n
        unchangedShare = Double(unchanged) / n
        worseShare = Double(worse) / n
    }

    /// The lines `kiosk stats` adds to its table.
    public func tableLines() -> [String] {
        func share(_ value: Double) -> String { StatsReport.percent(value) }
        let median = medianPainChange.map { value -> String in
            // A median is whole or ends in .5: "-2", "+0.5".
            let tenths = Int((abs(value) * 10).rounded())
            let text = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
            return value > 0 ? "+" + text : value < 0 ? "-" + text : text
        } ?? "-"
        return [
            "Returning clients",
            "  Returning clients       \(returningClients)  (a later visit kept with their request)",
            "  Pain, first to latest   \(median)  (median change in points; below 0 is less pain)",
            "  A change people notice  better \(better) (\(share(betterShare))), unchanged \(unchanged) "
                + "(\(share(unchangedShare))), worse \(worse) (\(share(worseShare)))",
        ]
    }
}
