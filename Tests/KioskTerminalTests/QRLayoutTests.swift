import KioskCore
@testable import KioskTerminal
import Testing

@Suite("Laying out the take-home QR code")
struct QRLayoutTests {
    static let link = "https://clinic.example/book?ref=ABC-234"

    static func screen(_ payload: String = link, clear: Bool = true, blocksBefore: [Screen.Block] = []) -> Screen {
        Screen(clear: clear, blocks: [
            .notice("Your request is saved. Your reference code is ABC-234. Please keep it."),
            .blank, .heading("Your summary"), .text("Options to talk about with a professional:"),
            .bullet("Massage therapy"), .bullet("Heat"),
        ] + blocksBefore + [
            .blank, .qrCode(payload: payload, caption: "Scan, or type: \(payload)", tooSmall: "Too small for the code."),
        ], prompt: "Press Enter when you are done.")
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func hasCode(_ lines: [String]) -> Bool { lines.contains { $0.contains("▀") || $0.contains("▄") } }

    @Test("a code's size, quiet zone included, and whether it fits")
    func size() throws {
        let code = try #require(QRCode("tel:2175550142"))
        #expect(code.size == 21, "version 1")
        #expect(code.drawnWidth == 29 && code.drawnHeight == 15)
        #expect(code.fits(width: 29, height: 15))
        #expect(!code.fits(width: 28, height: 15))
        #expect(!code.fits(width: 29, height: 14))
        #expect(code.halfBlockLines(color: false).count == 15)
        #expect(code.halfBlockLines(color: false).allSatisfy { Renderer.displayWidth($0) == 29 })
        // The quiet zone: 4 light modules around the code (glyphs without colour, spaces with it).
        #expect(code.halfBlockLines(color: false)[0] == String(repeating: "█", count: 29))
        #expect(code.halfBlockLines(color: true)[0] == "\u{1B}[30;47m" + String(repeating: " ", count: 29) + "\u{1B}[0m")
    }

    @Test("nothing is cut off: every line fits the width, the screen fits above the prompt, and a code too big is not drawn",
          arguments: [(80, 24), (100, 40), (60, 30), (50, 60), (40, 16), (30, 10), (120, 20)], [true, false])
    func fitsTheTerminal(size: (Int, Int), color: Bool) {
        let (width, height) = size
        let renderer = Renderer(width: width, color: color, clearSequence: true, height: height)
        let lines = Self.lines(renderer.render(Self.screen()).replacingOccurrences(of: Renderer.clearScreenSequence, with: ""))
        for line in lines { #expect(Renderer.visibleWidth(line) <= width, "cut off at \(width): \(line)") }
        if Self.hasCode(lines) {
            #expect(lines.count <= height - 1, "\(lines.count) lines and the prompt in \(height)")
            #expect(!lines.contains("Too small for the code."))
        } else {
            #expect(lines.filter { $0 == "Too small for the code." }.count == 1, "one line says so")
            #expect(lines.joined().contains(Self.link), "and the link is there as text, wrapped at most")
        }
    }

    @Test("80x24 shows the code beside the text, 100x40 below it; 40x16 is too small")
    func usualTerminals() {
        // Beside: a line holds both text and the code's glyphs.
        func beside(_ lines: [String]) -> Bool { lines.contains { $0.hasPrefix("  - Heat ") && Self.hasCode([$0]) } }
        let screen = Self.screen(blocksBefore: [.text("One more line of text."), .text("And another.")])
        for (width, height, drawn, side) in [(80, 24, true, true), (100, 40, true, false), (40, 16, false, false)] {
            let renderer = Renderer(width: width, color: true, clearSequence: true, height: height)
            let lines = Self.lines(renderer.render(screen))
            #expect(Self.hasCode(lines) == drawn, "\(width)x\(height)")
            #expect(beside(lines) == side, "\(width)x\(height)")
        }
    }

    @Test("a screen that is not cleared keeps a line for the blank before it")
    func notCleared() throws {
        let code = try #require(QRCode(Self.link))
        // Exactly tall enough for a cleared screen: the same screen not cleared has one line less.
        let renderer = Renderer(width: 80, color: false, clearSequence: true, height: code.drawnHeight + 1)
        let tall = Screen(clear: true, blocks: [.qrCode(payload: Self.link, caption: "c", tooSmall: "small")], prompt: "")
        var short = tall
        short.clear = false
        #expect(Self.hasCode(Self.lines(renderer.render(tall))))
        #expect(!Self.hasCode(Self.lines(renderer.render(short))))
    }

    @Test("no code where it cannot be drawn: a dumb terminal, or a link too long for any QR code")
    func notDrawable() {
        let dumb = Renderer(width: 100, color: false, asciiOnly: true, height: 40)
        #expect(dumb.render(Self.screen()).contains("Too small for the code."))
        #expect(!Self.hasCode(Self.lines(dumb.render(Self.screen()))))
        let huge = "https://clinic.example/" + String(repeating: "a", count: 3_000)
        #expect(QRCode(huge) == nil)
        #expect(QRCode("") == nil)
        let lines = Self.lines(Renderer(width: 100, color: true).render(Self.screen(huge)))
        #expect(lines.contains("Too small for the code."))
    }

    @Test("without a height (piped output) the code is always drawn, below the text, whose lines stay whole")
    func piped() {
        let lines = Self.lines(Renderer(width: 80, color: false).render(Self.screen()))
        #expect(Self.hasCode(lines))
        #expect(lines.contains("!! Your request is saved. Your reference code is ABC-234. Please keep it."))
        let firstCodeLine = lines.firstIndex { Self.hasCode([$0]) } ?? 0
        #expect(lines[..<firstCodeLine].contains("  - Heat"), "the text comes first, untouched")
    }
}
