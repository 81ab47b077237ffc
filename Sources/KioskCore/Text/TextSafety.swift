import Foundation

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
        String(text.precomposedStringWithCanonicalMapping.prefix(maxLength))
    }

    /// Folds text for matching a typed answer: trimmed, lowercased, accents removed.
    public static func folded(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }
}
