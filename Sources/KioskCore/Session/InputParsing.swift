/// Why a typed answer was not taken; each maps to a one-line hint from Content.
public enum InputProblem: Error, Sendable, Hashable {
    case empty
    case tooLong
    case control
    case notAChoice(count: Int)
    case ambiguous([String])
    case exclusive(String)
    case outOfScale(min: Int, max: Int)
    case badContact
}

public enum KioskCommand: Sendable, Hashable { case back, help, restart, language }

/// Turns what a client typed into a choice, a number or a command.
public enum InputParsing {
    /// Longest answer considered; anything longer is refused with a hint.
    public static let maxAnswerLength = 200

    /// Checks shared by every prompt: not too long, no control characters.
    public static func screen(_ raw: String) -> Result<String, InputProblem> {
        if raw.unicodeScalars.count > maxAnswerLength * 4 || raw.count > maxAnswerLength { return .failure(.tooLong) }
        if TextSafety.containsUnsafe(raw) { return .failure(.control) }
        return .success(TextSafety.normalized(raw.trimmedWhitespace, maxLength: maxAnswerLength))
    }

    public static func command(_ input: String, words: [KioskCommand: [String]]) -> KioskCommand? {
        command(input, folded: words.map { ($0.key, $0.value.map(TextSafety.foldedLabel)) })
    }

    /// The same, with the command words already folded (`LanguageTables`).
    static func command(_ input: String, folded words: [(KioskCommand, [String])]) -> KioskCommand? {
        let folded = TextSafety.folded(input)
        if folded == "?" { return .help }
        for (command, list) in words where list.contains(folded) { return command }
        return nil
    }

    /// A choice by number, by its words, or by an unambiguous start of them.
    /// With `multiple`, several may be given, separated by commas or spaces.
    public static func choices(_ input: String, labels: [[String]], multiple: Bool,
                               exclusive: Set<Int> = []) -> Result<[Int], InputProblem> {
        choices(input, labels: labels, folded: labels.map { $0.map(TextSafety.foldedLabel) },
                multiple: multiple, exclusive: exclusive)
    }

    /// The same, with each label's words already folded (`LanguageTables`).
    static func choices(_ input: String, labels: [[String]], folded foldedLabels: [[String]], multiple: Bool,
                        exclusive: Set<Int> = []) -> Result<[Int], InputProblem> {
        let trimmed = input.trimmedWhitespace
        if trimmed.isEmpty { return .failure(.empty) }
        var parts: [String]
        if multiple {
            parts = trimmed.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init)
            // "1 3 4": numbers separated by spaces
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }).map(String.init)
            if words.count > 1, words.allSatisfy({ Int($0) != nil }) { parts = words }
        } else {
            parts = [trimmed]
        }
        var picked: [Int] = []
        for part in parts {
            let token = part.trimmedWhitespace
            if token.isEmpty { continue }
            switch single(token, labels: labels, folded: foldedLabels) {
            case let .success(index): if !picked.contains(index) { picked.append(index) }
            case let .failure(problem): return .failure(problem)
            }
        }
        if picked.isEmpty { return .failure(.empty) }
        if picked.count > 1, let lone = picked.first(where: exclusive.contains) {
            return .failure(.exclusive(labels[lone].first ?? ""))
        }
        return .success(picked)
    }

    static func single(_ token: String, labels: [[String]]) -> Result<Int, InputProblem> {
        single(token, labels: labels, folded: labels.map { $0.map(TextSafety.foldedLabel) })
    }

    static func single(_ token: String, labels: [[String]], folded foldedLabels: [[String]]) -> Result<Int, InputProblem> {
        var dotted = Substring(TextSafety.folded(token))
        while dotted.hasSuffix(".") { dotted = dotted.dropLast() }      // "3." is 3
        while dotted.hasPrefix(".") { dotted = dotted.dropFirst() }
        let folded = String(dotted)
        if let number = Int(folded) {
            guard (1...labels.count).contains(number) else { return .failure(.notAChoice(count: labels.count)) }
            return .success(number - 1)
        }
        if let exact = foldedLabels.firstIndex(where: { $0.contains(folded) }) { return .success(exact) }
        let starts = foldedLabels.indices.filter { i in foldedLabels[i].contains { $0.hasPrefix(folded) } }
        if starts.count == 1 { return .success(starts[0]) }
        if starts.count > 1 { return .failure(.ambiguous(starts.map { labels[$0].first ?? "" })) }
        // Then the start of any word of a choice: "year" finds "A year ago or more".
        let wordStarts = foldedLabels.indices.filter { i in
            foldedLabels[i].contains { label in
                label.split(whereSeparator: { c in
                    if let a = c.asciiValue { return !((a >= 97 && a <= 122) || (a >= 65 && a <= 90) || (a >= 48 && a <= 57)) }
                    return !c.isLetter && !c.isNumber
                }).contains { $0.hasPrefix(folded) }
            }
        }
        if wordStarts.count == 1 { return .success(wordStarts[0]) }
        if wordStarts.count > 1 { return .failure(.ambiguous(wordStarts.map { labels[$0].first ?? "" })) }
        return .failure(.notAChoice(count: labels.count))
    }

    public static func scale(_ input: String, min: Int, max: Int) -> Result<Int, InputProblem> {
        let trimmed = input.trimmedWhitespace
        if trimmed.isEmpty { return .failure(.empty) }
        guard trimmed.allSatisfy(\.isASCII), let value = Int(trimmed), (min...max).contains(value) else {
            return .failure(.outOfScale(min: min, max: max))
        }
        return .success(value)
    }
}

import Foundation
