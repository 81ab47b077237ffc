import KioskCore
@testable import KioskTerminal
import Testing

/// Word wrapping, rewritten to run in one pass (issue 9: it was half the CPU of a piped
/// session). The earlier version is kept here as the reference the new one must match.
@Suite("Wrapping screen text")
struct WrapTests {
    /// The wrap as it was before the rewrite, character by character.
    static func reference(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var prefix = first
        let paragraphs = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for paragraph in paragraphs {
            var line = prefix
            var lineHasWord = false
            func newLine() { lines.append(line); prefix = rest; line = rest; lineHasWord = false }
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                var word = Substring(word)
                let needed = (lineHasWord ? 1 : 0) + Renderer.displayWidth(word)
                if Renderer.displayWidth(line) + needed <= width {
                    line += (lineHasWord ? " " : "") + word
                    lineHasWord = true
                    continue
                }
                if lineHasWord { newLine() }
                while Renderer.displayWidth(line) + Renderer.displayWidth(word) > width {
                    let room = max(width - Renderer.displayWidth(line), 1)
                    var used = 0, index = word.startIndex
                    while index < word.endIndex {
                        let w = Renderer.displayWidth(word[index])
                        if used + w > room && index > word.startIndex { break }
                        used += w
                        index = word.index(after: index)
                    }
                    line += word[..<index]
                    word = word[index...]
                    lineHasWord = true
                    if word.isEmpty { break }
                    newLine()
                }
                if !word.isEmpty { line += word; lineHasWord = true }
            }
            lines.append(line)
            prefix = rest
        }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    static let samples = [
        "", " ", "\n", "\r\n", "one", "Massage therapy may ease low back pain for a short time.",
        "Masaje: puede aliviar el dolor de espalda baja por un tiempo. ¿Le duele más al moverse?",
        "Line one\nLine two\r\nLine three\n\nAfter a blank line", "  leading and trailing  ",
        "tabs\tbetween\twords", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567890/with/a/very/long/path",
        "宽字符的文本没有空格也要换行宽字符的文本没有空格也要换行", "Emoji 👍🏽 and flags 🇲🇽 and ZWJ 👩‍⚕️ here",
        "e\u{301}e\u{301}e\u{301} combining marks inside words", "Ünïcödé wörds wïth äccents everywhere in the line",
        "a\rb lone carriage return", "trailing newline\n",
    ]

    @Test("the same lines as before, for content-like, wide, accented and odd text")
    func sameAsBefore() {
        for text in Self.samples {
            for width in [20, 21, 33, 60, 100] {
                for (first, rest) in [("", ""), ("  1. ", "     "), ("!! ", "   "), ("> ", "  ")] {
                    #expect(Renderer.wrap(text, width: width, first: first, rest: rest)
                            == Self.reference(text, width: width, first: first, rest: rest),
                            "\(text.debugDescription) at \(width)")
                }
            }
        }
    }

    @Test("the same lines as before for random text")
    func randomText() {
        // A fixed sequence (a linear congruential generator): the same cases every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let pieces = ["a", "word", "longerword", "x", " ", " ", " ", "\t", "\n", "\r\n", "é", "e\u{301}", "ñ",
                      "宽", "字", "👍🏽", "🇲🇽", "Ω", "-", ",", "supercalifragilisticexpialidocious"]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<next(40) { text += pieces[next(pieces.count)] }
            let width = 20 + next(30)
            let (first, rest) = next(2) == 0 ? ("", "") : ("  3. ", "     ")
            #expect(Renderer.wrap(text, width: width, first: first, rest: rest)
                    == Self.reference(text, width: width, first: first, rest: rest),
                    "\(text.debugDescription) at \(width)")
        }
    }

    @Test("no line is wider than the width, and every word is kept")
    func fits() {
        for text in Self.samples {
            let lines = Renderer.wrap(text, width: 20, first: "", rest: "")
            #expect(lines.allSatisfy { Renderer.displayWidth($0) <= 20 }, "\(text.debugDescription)")
            let kept = lines.joined().filter { !$0.isWhitespace }
            #expect(kept == text.filter { !$0.isWhitespace }, "\(text.debugDescription)")
        }
    }
}
