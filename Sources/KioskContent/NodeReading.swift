import Foundation
import KioskCore
import Yams

/// A mapping from YAML with the name of what it describes ("option 'ice'"),
/// so that a problem can say what is wrong where.
struct Object {
    let node: Node
    let pairs: [(key: String, keyNode: Node, value: Node)]
    var name: String

    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }
    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }
}

/// A reference to a question (and maybe choices) made by a rule, checked once
/// every file is read.
struct ConditionReference {
    var file: String
    var line: Int
    var question: String
    var choices: [(id: String, line: Int)]
    /// `{min:, max:}`: the question must be a scale.
    var scale: (min: Int?, max: Int?)?
    /// Set when the rule is a question's `ask_if`: that question's id.
    var askIfOf: String?
}

/// A reference by id to something in a table (an outcome, an option, ...).
struct IDReference {
    enum Table: String { case outcome, option, evidence, discipline }
    var table: Table
    var id: String
    var file: String
    var line: Int
}

/// What the check knows of a question (or a warning screen) for rules.
struct QuestionInfo {
    var index: Int
    var isScale: Bool
    var range: (min: Int, max: Int)?
    var choices: Set<String>
    var isWarningScreen: Bool
}

/// Reads the content files into core models, collecting every problem on the way.
final class ContentReader {
    let directory: String
    var problems: [ContentProblem] = []
    /// The label of the file being read (`Content/options.yaml`).
    var file = ""
    /// The clinic's languages; nil when clinic.yaml could not be read (then no
    /// language checks are made).
    var languages: [String]?
    var defaultLanguage: String { languages?.first ?? "en" }

    // What was read, for the cross-file checks.
    var loadedFiles: Set<String> = []
    var conditionReferences: [ConditionReference] = []
    var idReferences: [IDReference] = []
    var questionInfo: [String: QuestionInfo] = [:]
    var tables: [IDReference.Table: [String: Int]] = [:]
    /// Options that have at least one leave_out or precaution rule.
    var optionsWithSafetyRules: Set<String> = []
    var optionLines: [(id: String, file: String, line: Int)] = []
    /// Kinds of medical care outcomes name (safety.yaml), and those directory.yaml lists
    /// (nil when it could not be read).
    var careReferences: [(kind: MedicalCareKind, file: String, line: Int)] = []
    var medicalCareKinds: Set<MedicalCareKind>?

    init(directory: String) { self.directory = directory }

    func path(_ name: String) -> String {
        directory.isEmpty ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
    }

    // MARK: problems

    func line(_ node: Node?) -> Int { max(node?.mark?.line ?? 1, 1) }

    func problem(_ node: Node?, _ message: String) {
        problems.append(ContentProblem(file: file, line: line(node), message: message))
    }

    func problem(line: Int, _ message: String) {
        problems.append(ContentProblem(file: file, line: line, message: message))
    }

    // MARK: reading a file

    /// The root node of `name`, or nil (with a problem) when the file is
    /// missing, unreadable or not YAML.
    func root(of name: String) -> Node? {
        file = path(name)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            problem(line: 1, "missing file")
            return nil
        }
        guard let data = fm.contents(atPath: file) else {
            problem(line: 1, "cannot read the file")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problem(line: 1, "the file is not UTF-8 text")
            return nil
        }
        do {
            guard let node = try ParsedFiles.root(text: text, path: path(name)) else {
                problem(line: 1, "the file is empty")
                return nil
            }
            loadedFiles.insert(name)
            return node
        } catch let error as YamlError {
            report(error, in: text)
            return nil
        } catch {
            problem(line: 1, "YAML syntax error: \(error)")
            return nil
        }
    }

    func report(_ error: YamlError, in text: String) {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line))"
        }
        switch error {
        case let .scanner(context, message, mark, _), let .parser(context, message, mark, _):
            problem(line: max(mark.line, 1), "YAML syntax error: " + describe(context, message))
        case let .composer(context, message, mark, _):
            problem(line: max(mark.line, 1), "YAML error: " + describe(context, message))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            problem(line: max(context.mark.line, 1), "duplicate key \(keys) in one mapping")
        case let .reader(message, offset, _, _):
            var line = 1
            if let offset {
                line = text.prefix(offset).reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            }
            problem(line: line, "cannot read the file: \(message)")
        default:
            problem(line: 1, "YAML syntax error: \(error)")
        }
    }

    // MARK: mappings

    /// `node` as a mapping of known fields; unknown fields are problems. It is
    /// named "\(kind) 'id'" when it has an id, else `name`.
    func object(_ node: Node, _ name: String, kind: String? = nil, allowed: [String]) -> Object? {
        var name = name
        if let kind, let id = node.mapping?["id"]?.scalar?.string { name = "\(kind) '\(id)'" }
        guard let mapping = node.mapping else {
            problem(node, "\(name) should be a mapping (field: value)")
            return nil
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard let k = key.scalar?.string else {
                problem(key, "a field name should be a word")
                continue
            }
            if !allowed.contains(k) {
                problem(key, "unknown field '\(k)' in \(name) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            pairs.append((k, key, value))
        }
        return Object(node: node, pairs: pairs, name: name)
    }

    func required(_ object: Object, _ key: String) -> Node? {
        if let node = object[key] { return node }
        problem(object.node, "\(object.name) is missing '\(key)'")
        return nil
    }

    /// The object's `id`, named in later problems ("option 'ice'").
    func id(of object: inout Object, kind: String) -> String? {
        guard let node = required(object, "id"), let id = self.id(node, field: "id") else { return nil }
        object.name = "\(kind) '\(id)'"
        return id
    }

    /// Records `id` in a table of ids that must be unique; a second use is a problem.
    func claim(_ id: String, _ node: Node, in seen: inout [String: Int], kind: String) {
        if let first = seen[id] {
            problem(node, "duplicate \(kind) id '\(id)' (first at line \(first))")
        } else {
            seen[id] = line(node)
        }
    }

    // MARK: values

    /// YAML's null (`~`, `null`, or nothing), read from the scalar itself: the files are
    /// parsed without Yams' tag rules, which run regular expressions on every value.
    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A plain string (not client-facing text): a non-empty scalar.
    func string(_ node: Node, field: String) -> String? {
        guard let scalar = node.scalar else {
            problem(node, "'\(field)' should be a text, not a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        let value = isNull(node) ? "" : scalar.string
        if value.trimmedWhitespace.isEmpty {
            problem(node, "'\(field)' is empty")
            return nil
        }
        if containsControl(value) {
            problem(node, "'\(field)' holds a control character")
        }
        return value
    }

    /// An id: lower-case words joined by `_`.
    func id(_ node: Node, field: String) -> String? {
        guard let value = string(node, field: field) else { return nil }
        if !isWellFormedID(value) {
            problem(node, "'\(field)' '\(value)' should be lower-case words joined by _ (like low_back)")
        }
        return value
    }

    func isWellFormedID(_ value: String) -> Bool {
        let parts = value.split(separator: "_", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    func int(_ node: Node, field: String) -> Int? {
        guard let scalar = node.scalar, let value = Int(scalar.string.trimmedWhitespace) else {
            problem(node, "'\(field)' should be a whole number\(node.scalar.map { ", not '\($0.string)'" } ?? "")")
            return nil
        }
        return value
    }

    func bool(_ node: Node, field: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain,
              let value = ["true": true, "yes": true, "on": true, "false": false, "no": false, "off": false][scalar.string.lowercased()]
        else {
            problem(node, "'\(field)' should be true or false")
            return nil
        }
        return value
    }

    func list(_ node: Node, field: String) -> [Node]? {
        guard let sequence = node.sequence else {
            problem(node, "'\(field)' should be a list")
            return nil
        }
        return Array(sequence)
    }

    /// A list of ids, each with its node (for lines).
    func idList(_ node: Node, field: String) -> [(id: String, node: Node)]? {
        guard let items = list(node, field: field) else { return nil }
        var out: [(id: String, node: Node)] = []
        for item in items {
            if let id = id(item, field: field) { out.append((id, item)) }
        }
        return out
    }

    func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 != "\n" && TextSafety.isUnsafe($0) }
    }

    // MARK: client-facing text

    /// A client-facing text: a scalar (the clinic's first language) or a
    /// mapping of language to text. Every language of the clinic must have a
    /// non-empty, plain text. `emptyMessage` replaces the usual "is empty".
    func text(_ node: Node, field: String, emptyMessage: String? = nil) -> LocalizedText? {
        var byLanguage: [String: String] = [:]
        var ok = true
        func check(_ value: String, _ node: Node, _ language: String?) {
            let which = language.map { " ('\($0)')" } ?? ""
            if value.trimmedWhitespace.isEmpty {
                problem(node, emptyMessage ?? "'\(field)' is empty\(which)")
                ok = false
            } else if containsControl(value) {
                problem(node, "'\(field)'\(which) holds a control character; write plain text")
                ok = false
            }
        }
        if let scalar = node.scalar {
            let value = isNull(node) ? "" : scalar.string
            check(value, node, nil)
            byLanguage[defaultLanguage] = value
        } else if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let language = key.scalar?.string else {
                    problem(key, "a language should be a code like en")
                    ok = false
                    continue
                }
                if let languages, !languages.contains(language) {
                    problem(key, "'\(field)' has a '\(language)' text, but '\(language)' is not one of the clinic's languages (\(languages.joined(separator: ", ")))")
                    ok = false
                }
                guard let scalar = value.scalar else {
                    problem(value, "'\(field)' ('\(language)') should be a text")
                    ok = false
                    continue
                }
                let text = isNull(value) ? "" : scalar.string
                check(text, value, language)
                byLanguage[language] = text
            }
        } else {
            problem(node, "'\(field)' should be a text, or a mapping of language to text")
            return nil
        }
        if let languages {
            for language in languages where byLanguage[language] == nil {
                problem(node, "no '\(language)' text for '\(field)'")
                ok = false
            }
        }
        return ok ? LocalizedText(byLanguage) : nil
    }

    /// Aliases: a list of texts, or a mapping of language to a list of words.
    /// Not every language needs aliases.
    func aliases(_ node: Node) -> [LocalizedText]? {
        var out: [LocalizedText] = []
        var ok = true
        func word(_ node: Node, _ language: String) {
            guard let value = node.scalar.map({ isNull(node) ? "" : $0.string }),
                  !value.trimmedWhitespace.isEmpty else {
                problem(node, "an alias should be a word or a few words")
                ok = false
                return
            }
            if containsControl(value) { problem(node, "an alias holds a control character"); ok = false }
            out.append(LocalizedText([language: value]))
        }
        if let sequence = node.sequence {
            for item in sequence {
                if item.scalar != nil {
                    word(item, defaultLanguage)
                } else if let mapping = item.mapping {
                    var texts: [String: String] = [:]
                    for (key, value) in mapping {
                        guard let language = key.scalar?.string, let text = value.scalar?.string,
                              !text.trimmedWhitespace.isEmpty else {
                            problem(value, "an alias should be a word or a few words")
                            ok = false
                            continue
                        }
                        if let languages, !languages.contains(language) {
                            problem(key, "alias in '\(language)', which is not one of the clinic's languages")
                            ok = false
                        }
                        texts[language] = text
                    }
                    out.append(LocalizedText(texts))
                } else {
                    problem(item, "an alias should be a word or a few words")
                    ok = false
                }
            }
        } else if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let language = key.scalar?.string else { problem(key, "a language should be a code like en"); ok = false; continue }
                if let languages, !languages.contains(language) {
                    problem(key, "aliases in '\(language)', which is not one of the clinic's languages")
                    ok = false
                }
                if let words = value.sequence {
                    for item in words { word(item, language) }
                } else {
                    word(value, language)
                }
            }
        } else {
            problem(node, "'aliases' should be a list of words")
            return nil
        }
        return ok ? out : nil
    }

    // MARK: rules

    /// A rule over the answers (`when:`, `ask_if:`). Every question and choice it
    /// names is checked once all files are read.
    func condition(_ node: Node, field: String, askIfOf: String? = nil) -> Condition? {
        guard let mapping = node.mapping else {
            problem(node, "'\(field)' should be a rule like {question: [choice]}")
            return nil
        }
        if mapping.isEmpty {
            problem(node, "'\(field)' is an empty rule")
            return nil
        }
        var parts: [Condition] = []
        var ok = true
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                problem(keyNode, "a rule's key should be a question id, all, any or not")
                ok = false
                continue
            }
            switch key {
            case "all", "any":
                guard let items = value.sequence, !items.isEmpty else {
                    problem(value, "'\(key)' should be a list of rules")
                    ok = false
                    continue
                }
                let subs = items.map { condition($0, field: field, askIfOf: askIfOf) }
                let found = subs.compactMap { $0 }
                guard found.count == subs.count else { ok = false; continue }
                parts.append(key == "all" ? .all(found) : .any(found))
            case "not":
                guard let sub = condition(value, field: field, askIfOf: askIfOf) else { ok = false; continue }
                parts.append(.not(sub))
            default:
                if let range = value.mapping {
                    var low: Int?, high: Int?
                    for (boundNode, boundValue) in range {
                        switch boundNode.scalar?.string {
                        case "min": low = int(boundValue, field: "min"); if low == nil { ok = false }
                        case "max": high = int(boundValue, field: "max"); if high == nil { ok = false }
                        default:
                            problem(boundNode, "a scale rule has only min and max")
                            ok = false
                        }
                    }
                    if range.isEmpty {
                        problem(value, "a scale rule for '\(key)' needs min or max")
                        ok = false
                    }
                    if let low, let high, low > high {
                        problem(value, "min \(low) is above max \(high)")
                        ok = false
                    }
                    conditionReferences.append(ConditionReference(
                        file: file, line: line(keyNode), question: key, choices: [],
                        scale: (low, high), askIfOf: askIfOf))
                    parts.append(.scale(question: key, min: low, max: high))
                } else {
                    let items: [Node]
                    if let sequence = value.sequence { items = Array(sequence) } else { items = [value] }
                    if items.isEmpty {
                        problem(value, "the rule for '\(key)' names no choice")
                        ok = false
                        continue
                    }
                    var choices: [(id: String, line: Int)] = []
                    for item in items {
                        guard let choice = item.scalar?.string, !choice.isEmpty else {
                            problem(item, "the rule for '\(key)' should list choice ids, or be {min:, max:}")
                            ok = false
                            continue
                        }
                        choices.append((choice, line(item)))
                    }
                    conditionReferences.append(ConditionReference(
                        file: file, line: line(keyNode), question: key, choices: choices,
                        scale: nil, askIfOf: askIfOf))
                    parts.append(.chose(question: key, anyOf: choices.map(\.id)))
                }
            }
        }
        guard ok, !parts.isEmpty else { return nil }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    /// Notes a reference by id, checked once every file is read.
    func refer(_ table: IDReference.Table, _ id: String, _ node: Node) {
        idReferences.append(IDReference(table: table, id: id, file: file, line: line(node)))
    }

    /// Claims `id` in one of the tables other files refer to.
    func define(_ table: IDReference.Table, _ id: String, _ node: Node) {
        var seen = tables[table, default: [:]]
        claim(id, node, in: &seen, kind: table.rawValue)
        tables[table] = seen
    }
}
