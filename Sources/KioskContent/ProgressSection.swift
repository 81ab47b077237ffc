import Foundation
import KioskCore
import Yams

extension ContentReader {
    /// `progress:` in questionnaire.yaml: which scale questions a returning client's
    /// "Since last time" compares (each with its short name), when a change is one people
    /// notice, and the evidence for that. Nil, with problems said, when it is broken;
    /// `.some(nil)` when the file has none.
    func readProgress(_ node: Node?, questions: [Question]?) -> ProgressRule?? {
        guard let node else { return .some(nil) }
        guard let top = object(node, "progress", allowed: ["compare", "noticeable", "evidence"]) else { return nil }
        var measures: [ProgressRule.Measure]?
        if let list = required(top, "compare").flatMap({ self.list($0, field: "compare") }) {
            if list.isEmpty { problem(top["compare"], "'compare' names no question") }
            var seen: [String: Int] = [:]
            measures = all(list) { item -> ProgressRule.Measure? in
                guard let object = object(item, "a compared question", allowed: ["question", "label"]) else { return nil }
                var question: String?
                if let idNode = required(object, "question"), let id = id(idNode, field: "question") {
                    claim(id, idNode, in: &seen, kind: "compared question")
                    if let questions {
                        if let found = questions.first(where: { $0.id == id }) {
                            if case .scale = found.kind { question = id } else {
                                problem(idNode, "'\(id)' is not a scale question; progress compares scales only")
                            }
                        } else {
                            problem(idNode, "unknown question '\(id)'")
                        }
                    } else {
                        question = id
                    }
                }
                let label = required(object, "label").flatMap { text($0, field: "label") }
                guard let question, let label else { return nil }
                return ProgressRule.Measure(question: question, label: label)
            }
        }
        var thresholds: (points: Int, outOf: Int, percent: Int)?
        if let noticeable = required(top, "noticeable"),
           let fields = object(noticeable, "noticeable", allowed: ["points", "out_of", "percent"]) {
            func positive(_ key: String, upTo limit: Int) -> Int? {
                guard let node = required(fields, key), let value = int(node, field: key) else { return nil }
                guard (1...limit).contains(value) else {
                    problem(node, "'\(key)' should be from 1 to \(limit), not \(value)")
                    return nil
                }
                return value
            }
            let points = positive("points", upTo: 1000), outOf = positive("out_of", upTo: 1000)
            let percent = positive("percent", upTo: 100)
            if let points, let outOf, let percent {
                if points > outOf {
                    problem(fields["points"], "'points' (\(points)) should not be more than 'out_of' (\(outOf))")
                } else {
                    thresholds = (points, outOf, percent)
                }
            }
        }
        // The thresholds are a claim: they cite their source.
        var evidence: [String]?
        if let node = required(top, "evidence"), let ids = idList(node, field: "evidence") {
            ids.forEach { refer(.evidence, $0.id, $0.node) }
            if ids.isEmpty, node.sequence?.isEmpty == true { problem(node, "'progress' cites no evidence") }
            else if !ids.isEmpty { evidence = ids.map(\.id) }
        }
        guard let measures, let thresholds, let evidence else { return nil }
        return .some(ProgressRule(measures: measures, points: thresholds.points, outOf: thresholds.outOf,
                                  percent: thresholds.percent, evidence: evidence))
    }
}
