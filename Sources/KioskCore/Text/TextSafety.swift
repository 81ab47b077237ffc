import Foundation
import Synchronization

/// The one place text from strangers is made safe to show or to export.
public enum TextSafety {
    /// Characters that move the cursor, change the terminal, or reorder text:
    /// C0 and C1 controls, DEL, and the bidi controls used in Trojan Source attacks.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        // Line and paragraph separators break lines in some viewers; a zero-width space and
        // a byte-order mark hide inside a name. (ZWJ U+200D stays: emoji are built with it.)
        case 0x2028, 0x2029, 0x200B, 0xFEFF: return true
        default: return false
        }
    }

    /// Text typed by one person, made safe to show to another: every unsafe
    /// character becomes a visible marker such as `<ESC>` or `<U+202E>`.
    /// Sanitising twice changes nothing.
    public static func display(_ text: String) -> String {
        guard containsUnsafe(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else { out.append(scalar); continue }
            let marker: String
            switch scalar.value {
            case 0x1B: marker = "<ESC>"
            case 0x0D: marker = "<CR>"
            case 0x0A: marker = "<LF>"
            case 0x09: marker = "<TAB>"
            case 0x00: marker = "<NUL>"
            default: marker = String(format: "<U+%04X>", scalar.value)
            }
            out.append(contentsOf: marker.unicodeScalars)
        }
        return String(out)
    }

    /// Whether the text holds anything `display` would replace.
    public static func containsUnsafe(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isUnsafe)
    }

    /// How typed text is kept: NFC-normalised and capped at `maxLength` characters.
    public static func normalized(_ text: String, maxLength: Int) -> String {
        // ASCII is already NFC: skip Foundation's normaliser for the common case.
        let nfc = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
        return nfc.count <= maxLength ? nfc : String(nfc.prefix(maxLength))
    }

    /// Folds text for matching a typed answer: trimmed, lowercased, accents removed.
    /// Runs on every answer against every choice, so the common cases (ASCII, and the
    /// accented Latin letters of Spanish) avoid Foundation's slower folding.
    public static func folded(_ text: String) -> String {
        let trimmed = text.trimmedWhitespace
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) { return trimmed.lowercased() }
        var out = ""
        out.unicodeScalars.reserveCapacity(trimmed.unicodeScalars.count)
        for scalar in trimmed.lowercased().unicodeScalars {
            if scalar.value < 0x80 { out.unicodeScalars.append(scalar); continue }
            if let plain = latinFolds[scalar] { out.unicodeScalars.append(plain); continue }
            if (0x300...0x36F).contains(scalar.value) { continue }          // a combining accent
            let folded = String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive],
                                                locale: nil).lowercased()
            out.unicodeScalars.append(contentsOf: folded.unicodeScalars)
        }
        return out
    }

    /// The accented letters folded without Foundation (`AnswerMatcher.plainWords` reads them from UTF-8 by this table too).
    static let latinFolds: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, Unicode.Scalar)] = [("àáâãäå", "a"), ("èéêë", "e"), ("ìíîï", "i"), ("òóôõö", "o"),
                                                  ("ùúûü", "u"), ("ñ", "n"), ("ç", "c"), ("ýÿ", "y")]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (accented, plain) in pairs { for s in accented.unicodeScalars { table[s] = plain } }
        return table
    }()
}

extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs, line breaks), in plain Swift.
    public var trimmedWhitespace: String {
        // Most lines have nothing to trim: look at the two ends' bytes first.
        let bytes = utf8
        if let first = bytes.first, first > 0x20, first < 0x80,
           let last = bytes.reversed().first, last > 0x20, last < 0x80 {
            return String(self)
        }
        let scalars = unicodeScalars
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x80 ? (s == " " || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }
}

extension TextSafety {
    /// `folded` for the content's own words (choice labels, command words), which are
    /// matched against every answer: folded once, then remembered.
    public static func foldedLabel(_ label: String) -> String {
        if let known = labelCache.withLock({ $0[label] }) { return known }
        let folded = folded(label)
        labelCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }    // content is finite; this is only a guard
            cache[label] = folded
        }
        return folded
    }

    private static let labelCache = Mutex<[String: String]>([:])
}
