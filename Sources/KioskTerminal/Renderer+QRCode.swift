import KioskCore

/// Laying out a screen that holds a QR code (the take-home code at the end of a session).
///
/// The code goes below the screen's text where the terminal is tall enough, else beside it
/// where the terminal is wide enough (the text on the left, the code on the right), else the
/// screen says in one line that it is too small and shows the link as text. Nothing is cut.
extension Renderer {
    /// Columns between the text and a code beside it.
    static let codeGap = 2
    /// The narrowest text worth putting beside a code: narrower, the code goes below.
    static let besideTextMinimum = 30
    /// The lines of `blocks` with their QR code laid out, or nil when there is no code.
    /// `room`: the lines the screen may take (nil: no limit).
    func codeLayout(_ blocks: [Screen.Block], room: Int?) -> [String]? {
        guard let index = blocks.firstIndex(where: { if case .qrCode = $0 { return true } else { return false } }),
              case let .qrCode(payload, caption, _) = blocks[index] else { return nil }
        // Without the code: one line saying the screen is too small, then the link in words.
        let fallback = bodyLines(blocks)
        guard let code = drawableCode(payload) else { return fallback }

        // Below: the code where its block is, then the caption. Piped output (no height)
        // always takes this: the text's lines stay as they are for scripts that read them.
        let stacked = bodyLines(blocks) { block in
            if case .qrCode = block { return code.halfBlockLines(color: color) + wrap(caption, first: "", rest: "") }
            return lines(for: block)
        }
        if code.drawnWidth <= width, room.map({ stacked.count <= $0 }) ?? true { return stacked }

        // Beside: the text in a column on the left, the code on the right; the caption in
        // the code's place in the text, else (when that is too tall) under the code.
        let textWidth = width - code.drawnWidth - Self.codeGap
        if let room, textWidth >= Self.besideTextMinimum {
            var narrow = self
            narrow.width = textWidth
            let drawing = code.halfBlockLines(color: color)
            var withCaption = blocks
            withCaption[index] = .text(caption)
            var withoutCaption = blocks
            withoutCaption.remove(at: index)
            // The blank line that set the code apart below the text is not needed beside it.
            if index > 0, withoutCaption[index - 1] == .blank { withoutCaption.remove(at: index - 1) }
            let layouts = [
                (narrow.bodyLines(withCaption), drawing),
                (narrow.bodyLines(withoutCaption), drawing + Renderer.wrap(caption, width: code.drawnWidth, first: "", rest: "")),
            ]
            for (text, right) in layouts where max(text.count, right.count) <= room {
                return (0..<max(text.count, right.count)).map { row in
                    let left = row < text.count ? text[row] : ""
                    guard row < right.count else { return left }
                    let pad = textWidth + Self.codeGap - Self.visibleWidth(left)
                    return left + String(repeating: " ", count: max(pad, Self.codeGap)) + right[row]
                }
            }
        }
        return fallback
    }

    /// The code for `payload`, unless this terminal cannot draw one: half blocks are not
    /// ASCII, and a `dumb` terminal shows the link as text.
    private func drawableCode(_ payload: String) -> QRCode? {
        asciiOnly ? nil : QRCode(payload)
    }

    /// Columns `line` takes on the screen: its style codes (`ESC[...m`) take none.
    static func visibleWidth(_ line: String) -> Int {
        guard line.utf8.contains(0x1B) else { return displayWidth(line) }
        var plain = ""
        var inEscape = false
        for scalar in line.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                plain.unicodeScalars.append(scalar)
            }
        }
        return displayWidth(plain)
    }
}
