import Foundation
import KioskCore
import Yams

struct SafetyContent {
    var warningScreens: [WarningScreen]
    var outcomes: [TriageOutcome]
    var escalations: [Escalation]
    var leaveOut: [SafetyRule]
    var precautions: [SafetyRule]
}

extension ContentReader {
    /// Reads every item of a list, or nil when any of them is broken (each
    /// broken item has said why).
    func all<T>(_ items: [Node], _ read: (Node) -> T?) -> [T]? {
        let found = items.map(read)
        return found.contains(where: { $0 == nil }) ? nil : found.compactMap { $0 }
    }

    // MARK: safety.yaml

    func readSafety() -> SafetyContent? {
        guard let root = root(of: "safety.yaml"),
              let top = object(root, "safety.yaml", allowed: [
                "warning_screens", "outcomes", "escalations", "leave_out", "precautions",
              ]) else { return nil }

        var screens: [WarningScreen]?
        if let node = required(top, "warning_screens"), let items = list(node, field: "warning_screens") {
            var screenIDs: [String: Int] = [:]
            var signIDs: [String: Int] = [:]
            screens = all(items) { readWarningScreen($0, screenIDs: &screenIDs, signIDs: &signIDs) }
            if items.isEmpty { problem(node, "'warning_screens' lists no screen") }
        }

        var outcomes: [TriageOutcome]?
        if let node = required(top, "outcomes"), let items = list(node, field: "outcomes") {
            outcomes = all(items, readOutcome)
            if items.isEmpty { problem(node, "'outcomes' lists no outcome") }
        }

        var escalations: [Escalation]?
        if let node = required(top, "escalations"), let items = list(node, field: "escalations") {
            var seen: [String: Int] = [:]
            escalations = all(items) { readEscalation($0, seen: &seen) }
        }

        var ruleIDs: [String: Int] = [:]
        var leaveOut: [SafetyRule]?
        if let node = required(top, "leave_out"), let items = list(node, field: "leave_out") {
            leaveOut = all(items) { readSafetyRule($0, kind: "leave_out rule", seen: &ruleIDs) }
        }
        var precautions: [SafetyRule]?
        if let node = required(top, "precautions"), let items = list(node, field: "precautions") {
            precautions = all(items) { readSafetyRule($0, kind: "precaution", seen: &ruleIDs) }
        }

        guard let screens, let outcomes, let escalations, let leaveOut, let precautions else { return nil }
        return SafetyContent(warningScreens: screens, outcomes: outcomes, escalations: escalations,
                             leaveOut: leaveOut, precautions: precautions)
    }

    func readWarningScreen(_ node: Node, screenIDs: inout [String: Int], signIDs: inout [String: Int]) -> WarningScreen? {
        guard var object = object(node, "a warning screen", kind: "warning screen", allowed: ["id", "prompt", "why", "signs"]) else { return nil }
        let id = id(of: &object, kind: "warning screen")
        if let id, let idNode = object["id"] {
            let isFirst = screenIDs[id] == nil
            claim(id, idNode, in: &screenIDs, kind: "warning screen")
            if isFirst {
                if questionInfo[id] != nil {
                    problem(idNode, "warning screen id '\(id)' is also a question id in questionnaire.yaml")
                } else {
                    let signs = object["signs"]?.sequence.map { $0.compactMap { $0.mapping?["id"]?.scalar?.string } } ?? []
                    questionInfo[id] = QuestionInfo(index: -1, isScale: false, range: nil,
                                                    choices: Set(signs + [ContentIDs.noWarningSign]), isWarningScreen: true)
                }
            }
        }
        let prompt = required(object, "prompt").flatMap { text($0, field: "prompt") }
        let why = required(object, "why").flatMap { text($0, field: "why") }
        var signs: [WarningSign]?
        if let node = required(object, "signs"), let items = list(node, field: "signs") {
            signs = all(items) { readWarningSign($0, seen: &signIDs) }
            if items.isEmpty { problem(node, "\(object.name) has no signs") }
        }
        guard let id, let prompt, let why, let signs, !signs.isEmpty else { return nil }
        return WarningScreen(id: id, prompt: prompt, why: why, signs: signs)
    }

    func readWarningSign(_ node: Node, seen: inout [String: Int]) -> WarningSign? {
        guard var object = object(node, "a warning sign", kind: "warning sign", allowed: ["id", "text", "outcome", "aliases"]) else { return nil }
        let id = id(of: &object, kind: "warning sign")
        var idOK = true
        if let id, let idNode = object["id"] {
            claim(id, idNode, in: &seen, kind: "warning sign")
            if id == ContentIDs.noWarningSign {
                problem(idNode, "a warning sign cannot be called '\(id)' (that is the answer 'none of these')")
                idOK = false
            }
        }
        let text = required(object, "text").flatMap { self.text($0, field: "text") }
        var outcome: String?
        if let node = required(object, "outcome"), let value = self.id(node, field: "outcome") {
            refer(.outcome, value, node)
            outcome = value
        }
        var aliases: [LocalizedText]? = []
        if let node = object["aliases"] { aliases = self.aliases(node) }
        guard let id, idOK, let text, let outcome, let aliases else { return nil }
        return WarningSign(id: id, text: text, outcome: outcome, aliases: aliases)
    }

    func readOutcome(_ node: Node) -> TriageOutcome? {
        guard var object = object(node, "an outcome", kind: "outcome", allowed: [
            "id", "level", "title", "instructions", "reason", "meanwhile", "care",
        ]) else { return nil }
        let id = id(of: &object, kind: "outcome")
        if let id, let idNode = object["id"] { define(.outcome, id, idNode) }
        var level: TriageLevel?
        if let node = required(object, "level"), let word = string(node, field: "level") {
            if word == TriageLevel.emergency.rawValue || word == TriageLevel.doctorSoon.rawValue {
                level = TriageLevel(rawValue: word)
            } else {
                problem(node, "'level' should be emergency or doctor_soon, not '\(word)'")
            }
        }
        let title = required(object, "title").flatMap { text($0, field: "title") }
        let instructions = required(object, "instructions").flatMap {
            text($0, field: "instructions",
                 emptyMessage: level == .emergency ? "emergency outcome '\(id ?? "?")' has empty instructions" : nil)
        }
        let reason = required(object, "reason").flatMap { text($0, field: "reason") }
        var meanwhile: LocalizedText?
        var meanwhileOK = true
        if let node = object["meanwhile"] {
            meanwhile = text(node, field: "meanwhile")
            meanwhileOK = meanwhile != nil
        }
        var care: CareToName?
        var careOK = true
        if let node = object["care"] {
            care = readCareToName(node, outcome: id ?? "?")
            careOK = care != nil
        }
        guard let id, let level, let title, let instructions, let reason, meanwhileOK, careOK else { return nil }
        return TriageOutcome(id: id, level: level, title: title, instructions: instructions,
                             reason: reason, meanwhile: meanwhile, care: care)
    }

    func readEscalation(_ node: Node, seen: inout [String: Int]) -> Escalation? {
        guard var object = object(node, "an escalation", kind: "escalation", allowed: ["id", "when", "outcome"]) else { return nil }
        let id = id(of: &object, kind: "escalation")
        if let id, let idNode = object["id"] { claim(id, idNode, in: &seen, kind: "escalation") }
        let when = required(object, "when").flatMap { condition($0, field: "when") }
        var outcome: String?
        if let node = required(object, "outcome"), let value = self.id(node, field: "outcome") {
            refer(.outcome, value, node)
            outcome = value
        }
        guard let id, let when, let outcome else { return nil }
        return Escalation(id: id, when: when, outcome: outcome)
    }

    func readSafetyRule(_ node: Node, kind: String, seen: inout [String: Int]) -> SafetyRule? {
        guard var object = object(node, "a \(kind)", kind: "\(kind)", allowed: ["id", "option", "when", "text", "evidence"]) else { return nil }
        let id = id(of: &object, kind: kind)
        if let id, let idNode = object["id"] { claim(id, idNode, in: &seen, kind: "rule") }
        var option: String?
        if let node = required(object, "option"), let value = self.id(node, field: "option") {
            refer(.option, value, node)
            optionsWithSafetyRules.insert(value)
            option = value
        }
        let when = required(object, "when").flatMap { condition($0, field: "when") }
        let text = required(object, "text").flatMap { self.text($0, field: "text") }
        var evidence: [String]? = []
        if let node = object["evidence"] {
            let ids = idList(node, field: "evidence")
            ids?.forEach { refer(.evidence, $0.id, $0.node) }
            evidence = ids?.map(\.id)
        }
        guard let id, let option, let when, let text, let evidence else { return nil }
        return SafetyRule(id: id, option: option, when: when, text: text, evidence: evidence)
    }

    // MARK: options.yaml

    func readOptions() -> [CareOption]? {
        guard let root = root(of: "options.yaml"),
              let top = object(root, "options.yaml", allowed: ["options"]),
              let node = required(top, "options"),
              let items = list(node, field: "options") else { return nil }
        if items.isEmpty { problem(node, "'options' lists no option") }
        return all(items, readOption)
    }

    func readOption(_ node: Node) -> CareOption? {
        guard var object = object(node, "an option", kind: "option", allowed: [
            "id", "name", "summary", "discipline", "fits", "home_care", "watch_for", "evidence",
        ]) else { return nil }
        let id = id(of: &object, kind: "option")
        if let id, let idNode = object["id"] {
            if tables[.option]?[id] == nil { optionLines.append((id, file, line(idNode))) }
            define(.option, id, idNode)
        }
        let name = required(object, "name").flatMap { text($0, field: "name") }
        let summary = required(object, "summary").flatMap { text($0, field: "summary") }
        var discipline: String?
        var disciplineOK = true
        if let node = object["discipline"] {
            discipline = self.id(node, field: "discipline")
            if let discipline { refer(.discipline, discipline, node) } else { disciplineOK = false }
        }
        var fits: [FitRule]?
        if let node = required(object, "fits"), let items = list(node, field: "fits") {
            fits = all(items, readFit)
            if let fits, !fits.contains(where: { $0.weight > 0 }) {
                problem(node, "\(object.name) has no fit rule with a positive weight, so it is never suggested")
            }
        }
        let homeCare = required(object, "home_care").flatMap { text($0, field: "home_care") }
        let watchFor = required(object, "watch_for").flatMap { text($0, field: "watch_for") }
        var evidence: [String]?
        if let node = object["evidence"] {
            if let ids = idList(node, field: "evidence") {
                ids.forEach { refer(.evidence, $0.id, $0.node) }
                if ids.isEmpty, node.sequence?.isEmpty == true {
                    problem(node, "\(object.name) has no evidence")
                } else if !ids.isEmpty {
                    evidence = ids.map(\.id)
                }
            }
        } else {
            problem(object.node, "\(object.name) has no evidence")
        }
        guard let id, let name, let summary, disciplineOK, let fits, let homeCare, let watchFor,
              let evidence else { return nil }
        return CareOption(id: id, name: name, summary: summary, fits: fits, homeCare: homeCare,
                          watchFor: watchFor, evidence: evidence, discipline: discipline)
    }

    func readFit(_ node: Node) -> FitRule? {
        guard let object = object(node, "a fit rule", kind: "fit rule", allowed: ["when", "weight", "reason"]) else { return nil }
        let when = required(object, "when").flatMap { condition($0, field: "when") }
        let weight = required(object, "weight").flatMap { int($0, field: "weight") }
        let reason = required(object, "reason").flatMap { text($0, field: "reason") }
        guard let when, let weight, let reason else { return nil }
        return FitRule(when: when, weight: weight, reason: reason)
    }

    // MARK: evidence.yaml

    func readEvidence() -> [Evidence]? {
        guard let root = root(of: "evidence.yaml"),
              let top = object(root, "evidence.yaml", allowed: ["evidence"]),
              let node = required(top, "evidence"),
              let items = list(node, field: "evidence") else { return nil }
        return all(items, readEvidenceItem)
    }

    func readEvidenceItem(_ node: Node) -> Evidence? {
        guard var object = object(node, "an evidence entry", kind: "evidence", allowed: [
            "id", "citation", "year", "doi", "url", "kind", "finding", "strength", "funding", "short",
        ]) else { return nil }
        let id = id(of: &object, kind: "evidence")
        if let id, let idNode = object["id"] { define(.evidence, id, idNode) }
        let citation = required(object, "citation").flatMap { string($0, field: "citation") }
        var year: Int?
        if let node = required(object, "year"), let value = int(node, field: "year") {
            if (1800...2100).contains(value) { year = value } else { problem(node, "'year' \(value) is not a plausible year") }
        }
        var doi: String?, url: String?
        var linksOK = true
        if let node = object["doi"] { doi = string(node, field: "doi"); linksOK = linksOK && doi != nil }
        if let node = object["url"] {
            url = string(node, field: "url")
            if let value = url, !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                problem(node, "'url' should start with https://")
                url = nil
            }
            linksOK = linksOK && url != nil
        }
        let kind = required(object, "kind").flatMap { text($0, field: "kind") }
        let finding = required(object, "finding").flatMap { text($0, field: "finding") }
        let strength = required(object, "strength").flatMap { text($0, field: "strength") }
        var funding: LocalizedText?
        var fundingOK = true
        if let node = object["funding"] { funding = text(node, field: "funding"); fundingOK = funding != nil }
        // The source in a few words, for the overview ("Crawford 2016, Pain Medicine; funded by …").
        let short = required(object, "short").flatMap { text($0, field: "short") }
        guard let id, let citation, let year, linksOK, let kind, let finding, let strength, fundingOK, let short
        else { return nil }
        return Evidence(id: id, citation: citation, year: year, doi: doi, url: url, kind: kind,
                        finding: finding, strength: strength, funding: funding, short: short)
    }

    // MARK: messages.yaml

    func readMessages() -> Messages? {
        guard let root = root(of: "messages.yaml"),
              let top = object(root, "messages.yaml", allowed: ["messages"]),
              let node = required(top, "messages") else { return nil }
        guard let mapping = node.mapping else {
            problem(node, "'messages' should map each key to its text")
            return nil
        }
        let known = Set(MessageKey.allCases.map(\.rawValue))
        var texts: [String: LocalizedText] = [:]
        var ok = true
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                problem(keyNode, "a message key should be a word like welcome.title")
                ok = false
                continue
            }
            if !known.contains(key) {
                problem(keyNode, "unknown message key '\(key)'")
                ok = false
            }
            if let text = text(value, field: key) { texts[key] = text } else { ok = false }
        }
        // A missing key is named at the top of the file.
        let present = Set(mapping.keys.compactMap { $0.scalar?.string })
        for key in MessageKey.allCases where !present.contains(key.rawValue) {
            problem(line: 1, "missing message '\(key.rawValue)'")
            ok = false
        }
        return ok ? Messages(texts) : nil
    }
}
