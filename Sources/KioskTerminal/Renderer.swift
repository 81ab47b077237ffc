import KioskCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a `Screen` into text for the terminal: wrapped to a width, with markers that
/// carry the meaning on their own (colour, when on, only adds to them).
///
/// Screen text comes from the core and is trusted: it is not sanitised again here.
/// The prompt is not rendered: it goes to the `LineReader`.
public struct Renderer: Sendable, Equatable {
    /// Columns to wrap to (at least 20 are used).
    public var width: Int
    /// Bold headings, bold red notices.
    public var color: Bool
    /// Start a `clear` screen with the escape codes that clear it and its scrollback.
    public var clearSequence: Bool
    /// Underline headings with `-` instead of `─`.
    public var asciiOnly: Bool
    /// Rows of the terminal, when known: a QR code is drawn only where it fits (nil: no
    /// limit). `pages(_:rows:)` sets it to its rows.
    public var height: Int?

    /// Home the cursor, clear the screen, drop the scrollback (xterm `E3`).
    public static let clearScreenSequence = "\u{1B}[H\u{1B}[2J\u{1B}[3J"

    public init(width: Int, color: Bool, clearSequence: Bool = false, asciiOnly: Bool = false, height: Int? = nil) {
        self.width = width; self.color = color
        self.clearSequence = clearSequence; self.asciiOnly = asciiOnly; self.height = height
    }

    /// Settings for standard output: width from `terminalWidth()` capped at 100; colour
    /// only on a terminal, without `NO_COLOR` (non-empty), and with a `TERM` other than
    /// `dumb`; the clear sequence only on a terminal that is not `dumb`.
    public static func terminalDefaults() -> Renderer {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let term = environment("TERM") ?? ""
        let dumb = term.isEmpty || term == "dumb"
        let noColor = !(environment("NO_COLOR") ?? "").isEmpty
        return Renderer(width: min(terminalWidth(), 100),
                        color: isTerminal && !dumb && !noColor,
                        clearSequence: isTerminal && !dumb,
                        asciiOnly: term == "dumb")
    }

    /// The whole screen, every line ending in a newline.
    public func render(_ screen: Screen) -> String {
        var out = screen.clear && clearSequence ? Renderer.clearScreenSequence : ""
        // A new screen stands apart from what came before; a hint stays next to its prompt.
        var startsWithHint = false
        if case .hint = screen.blocks.first { startsWithHint = true }
        let blankFirst = !screen.blocks.isEmpty && !startsWithHint && !(screen.clear && clearSequence)
        if blankFirst { out += "\n" }
        // A QR code is drawn only where it fits, with the prompt's lines below it.
        let room = height.map { $0 - max(1, wrap(screen.prompt, first: "", rest: "").count) - (blankFirst ? 1 : 0) }
        for line in codeLayout(screen.blocks, room: room) ?? bodyLines(screen.blocks) { out += line; out += "\n" }
        return out
    }

    /// The lines of the blocks, with a blank line before a heading that follows other text;
    /// `linesFor` gives each block's lines (a QR code's drawing, say).
    public func bodyLines(_ blocks: [Screen.Block], linesFor: ((Screen.Block) -> [String])? = nil) -> [String] {
        var out: [String] = []
        for (index, block) in blocks.enumerated() {
            if index > 0, case .heading = block, blocks[index - 1] != .blank { out.append("") }
            out += linesFor?(block) ?? lines(for: block)
        }
        return out
    }

    /// The screen cut into pages that each fit `rows` lines, its prompt included: every page
    /// but the last ends where a "more" line goes (`Screen.more`, read by the shell), and each
    /// later page starts with the screen's first heading again (the question being asked).
    /// A screen that fits is one page, as `render` gives it.
    public func pages(_ screen: Screen, rows: Int) -> [String] {
        // A QR code is drawn only where it fits these rows, never across two pages.
        var sized = self
        sized.height = rows
        let whole = sized.render(screen)
        let promptLines = max(1, wrap(screen.prompt, first: "", rest: "").count)
        let rows = max(rows, 6)
        let lineCount = whole.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        if lineCount + promptLines <= rows { return [whole] }

        var body: [String] = []
        var startsWithHint = false
        if case .hint = screen.blocks.first { startsWithHint = true }
        if !screen.blocks.isEmpty, !startsWithHint, !(screen.clear && clearSequence) { body.append("") }
        var heading: [String] = []
        for (index, block) in screen.blocks.enumerated() {
            if index > 0, case .heading = block, screen.blocks[index - 1] != .blank { body.append("") }
            let lines = lines(for: block)
            if heading.isEmpty, case .heading = block { heading = lines }
            body += lines
        }
        // Room on a page: the "more" line (or the prompt on the last), and the heading again after the first.
        let moreLines = max(1, wrap(screen.more, first: "", rest: "").count)
        var pages: [[String]] = []
        var current: [String] = []
        var room = rows - moreLines
        for line in body {
            if current.count >= room {
                pages.append(current)
                current = heading.count < rows / 2 ? heading : []
                room = rows - moreLines
            }
            current.append(line)
        }
        // The last page must leave room for the prompt, not just for a "more" line.
        if current.count + promptLines > rows, current.count > (heading.count < rows / 2 ? heading.count : 0) + 1 {
            let keep = heading.count < rows / 2 ? heading : []
            let cut = max(keep.count + 1, rows - promptLines)
            let tail = Array(current[cut...])
            pages.append(Array(current[..<cut]))
            current = keep + tail
        }
        pages.append(current)
        let clear = clearSequence ? Renderer.clearScreenSequence : ""
        return pages.enumerated().map { index, lines in
            let start = index == 0 ? (screen.clear ? clear : "") : clear
            return start + lines.map { $0 + "\n" }.joined()
        }
    }

    /// The lines of one block, without newlines.
    public func lines(for block: Screen.Block) -> [String] {
        switch block {
        case let .heading(text):
            let wrapped = wrap(text, first: "", rest: "")
            let ruleWidth = min(wrapped.map(Renderer.displayWidth).max() ?? 0, lineWidth)
            let rule = String(repeating: asciiOnly ? "-" : "─", count: max(ruleWidth, 1))
            return wrapped.map { styled($0, bold) } + [rule]
        case let .text(text):
            return wrap(text, first: "", rest: "")
        case let .item(number, text):
            let marker = "  \(number). "
            return wrap(text, first: marker, rest: String(repeating: " ", count: marker.count))
        case let .bullet(text):
            return wrap(text, first: "  - ", rest: "    ")
        case let .detail(text):
            return wrap(text, first: "    ", rest: "      ")
        case let .notice(text):
            return wrap(text, first: "!! ", rest: "   ").map { styled($0, bold + red) }
        case let .hint(text):
            return wrap(text, first: "> ", rest: "  ")
        case .blank:
            return [""]
        case let .qrCode(_, caption, tooSmall):
            // On its own a code's room is unknown: `codeLayout` draws codes where they fit.
            return wrap(tooSmall, first: "", rest: "") + wrap(caption, first: "", rest: "")
        }
    }

    // MARK: - Wrapping

    private var lineWidth: Int { max(width, 20) }

    /// Word-wraps `text` (its own line breaks kept) so that no line is wider than the
    /// width; `first` starts the first line, `rest` (the hanging indent) the others.
    public func wrap(_ text: String, first: String, rest: String) -> [String] {
        Renderer.wrap(text, width: lineWidth, first: first, rest: rest)
    }

    public static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        // Widths are added up as the line grows, and text is cut at ASCII spaces, tabs and
        // line breaks found in its UTF-8: a long results screen wraps in one pass.
        var lines: [String] = []
        var prefix = first
        let restWidth = displayWidth(rest)
        for paragraph in paragraphs(text) {
            var line = prefix
            var used = displayWidth(prefix)
            var lineHasWord = false
            func newLine() { lines.append(line); prefix = rest; line = rest; used = restWidth; lineHasWord = false }
            for piece in words(paragraph) {
                var word = piece
                var wordWidth = displayWidth(word)
                let needed = (lineHasWord ? 1 : 0) + wordWidth
                if used + needed <= width {
                    if lineHasWord { line += " " }
                    line += word
                    used += needed
                    lineHasWord = true
                    continue
                }
                if lineHasWord { newLine() }
                // A word wider than a whole line is cut.
                while used + wordWidth > width {
                    let (head, tail, headWidth) = split(word, columns: max(width - used, 1))
                    line += head
                    used += headWidth
                    word = tail
                    wordWidth -= headWidth
                    lineHasWord = true
                    if word.isEmpty { break }
                    newLine()
                }
                if !word.isEmpty { line += word; used += wordWidth; lineHasWord = true }
            }
            lines.append(line)
            prefix = rest
        }
        return lines.map(withoutTrailingSpaces)
    }

    /// The text's lines, split at "\n" and "\r\n".
    private static func paragraphs(_ text: String) -> [Substring] {
        let bytes = text.utf8
        var out: [Substring] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            var end = newline
            if end > start, bytes[bytes.index(before: end)] == 0x0D { end = bytes.index(before: end) }
            out.append(text[start..<end])
            start = bytes.index(after: newline)
        }
        out.append(text[start...])
        return out
    }

    /// The words of a line: what lies between spaces and tabs.
    private static func words(_ line: Substring) -> [Substring] {
        let bytes = line.utf8
        var out: [Substring] = []
        var start: Substring.Index?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                if let begun = start { out.append(line[begun..<index]); start = nil }
            } else if start == nil {
                start = index
            }
            index = bytes.index(after: index)
        }
        if let begun = start { out.append(line[begun..<bytes.endIndex]) }
        return out
    }

    private static func withoutTrailingSpaces(_ line: String) -> String {
        let bytes = line.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == 0x20 { end = bytes.index(before: end) }
        return end == bytes.endIndex ? line : String(line[..<end])
    }

    /// Splits off at most `columns` columns (at least one character), and their width.
    private static func split(_ word: Substring, columns: Int) -> (Substring, Substring, Int) {
        var used = 0
        var index = word.startIndex
        while index < word.endIndex {
            let w = displayWidth(word[index])
            if used + w > columns && index > word.startIndex { break }
            used += w
            index = word.index(after: index)
        }
        return (word[..<index], word[index...], used)
    }

    /// Columns a text takes: `TextWidth.columns`, the one measure (kept here by name for
    /// the renderer's callers).
    public static func displayWidth<S: StringProtocol>(_ text: S) -> Int { TextWidth.columns(text) }

    static func displayWidth(_ character: Character) -> Int { TextWidth.columns(character) }

    // MARK: - Style

    private var bold: String { "\u{1B}[1m" }
    private var red: String { "\u{1B}[31m" }

    private func styled(_ line: String, _ style: String) -> String {
        guard color, !line.isEmpty else { return line }
        return style + line + "\u{1B}[0m"
    }
}

/// Columns of the terminal on standard output: `COLUMNS` when it is a positive number,
/// else the terminal's size (TIOCGWINSZ on stdout, then stdin), else 80. Not capped.
public func terminalWidth() -> Int { terminalSize(variable: "COLUMNS", \.ws_col, unknown: 80) }

/// Rows of the terminal on standard output: `LINES`, else the terminal's size, else 24. Read
/// again for every screen, so a resized window gets pages of its new size.
public func terminalRows() -> Int { terminalSize(variable: "LINES", \.ws_row, unknown: 24) }

private func terminalSize(variable: String, _ side: KeyPath<winsize, UInt16>, unknown: Int) -> Int {
    if let value = environment(variable).flatMap({ Int($0) }), value > 0 { return value }
    for fd in [STDOUT_FILENO, STDIN_FILENO] {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size[keyPath: side] > 0 { return Int(size[keyPath: side]) }
    }
    return unknown
}

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
