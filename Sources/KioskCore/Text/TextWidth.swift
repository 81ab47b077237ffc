/// The one measure of how wide text is in a terminal, and the padding and clipping built on
/// it: the renderer wraps with it, and the stats and the desk's tables line their columns up
/// with it. Counting `count` or UTF-16 units instead puts a CJK or emoji name out of line.
public enum TextWidth {
    /// Columns a text takes: one per character (grapheme cluster), two for East Asian
    /// wide characters and emoji.
    @inlinable
    public static func columns<S: StringProtocol>(_ text: S) -> Int {
        // Printable ASCII is one column a byte; only other text needs Unicode's tables.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + columns($1) }
    }

    /// Columns one character takes: 1, or 2 for wide ones (0 for an empty cluster).
    @inlinable
    public static func columns(_ character: Character) -> Int {
        if character.asciiValue != nil { return 1 }
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.value < 0x1100 && scalar.value != 0x00AD { return 1 }   // Latin, Greek, Cyrillic: narrow
        if scalar.properties.isEmojiPresentation { return 2 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && scalar.properties.isEmoji { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The text followed by spaces up to `width` columns (never cut: see `clipped`).
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - columns(text)))
    }

    /// Spaces up to `width` columns, then the text (numbers in a column).
    public static func rightAligned(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - columns(text))) + text
    }

    /// The text cut to at most `width` columns, ending in `mark` when cut (a wide character
    /// that would cross the edge is left out whole).
    public static func clipped(_ text: String, to width: Int, mark: String = "…") -> String {
        guard columns(text) > width else { return text }
        let room = max(0, width - columns(mark))
        var out = ""
        var used = 0
        for character in text {
            let w = columns(character)
            if used + w > room { break }
            out.append(character)
            used += w
        }
        return out + mark
    }

    /// A table cell: the text clipped to `width` columns and padded to exactly `width`.
    public static func cell(_ text: String, _ width: Int, mark: String = "…") -> String {
        padded(clipped(text, to: width, mark: mark), to: width)
    }
}
