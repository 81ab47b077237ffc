import KioskCore
@testable import KioskTerminal
import Testing

@Suite("Screens taller than the terminal, a page at a time")
struct PageTests {
    static let renderer = Renderer(width: 40, color: false, clearSequence: true)

    static func tall(_ items: Int) -> Screen {
        Screen(clear: true, blocks: [.heading("Where does it hurt most?")] + (1...items).map { .item($0, "Choice number \($0)") },
               prompt: "Type a number or the words of your answer:", more: "Press Enter to see more.")
    }

    static func lines(_ page: String) -> [String] {
        page.replacingOccurrences(of: Renderer.clearScreenSequence, with: "").split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    @Test("a screen that fits is one page, the same text as render gives")
    func fits() {
        let screen = Self.tall(5)
        #expect(Self.renderer.pages(screen, rows: 24) == [Self.renderer.render(screen)])
    }

    @Test("each page leaves room for its prompt, repeats the question, and no line is lost",
          arguments: [10, 24, 40])
    func paged(_ rows: Int) {
        let screen = Self.tall(60)
        let pages = Self.renderer.pages(screen, rows: rows)
        #expect(pages.count > 1)
        for (index, page) in pages.enumerated() {
            let promptRows = index == pages.count - 1 ? 2 : 1     // the prompt wraps to 2 lines at 40 columns
            #expect(Self.lines(page).count + promptRows <= rows, "page \(index) of \(pages.count)")
            #expect(page.hasPrefix(Renderer.clearScreenSequence), "every page starts on a clean screen")
            #expect(Self.lines(page).first == "Where does it hurt most?", "page \(index) shows the question")
        }
        let shown = pages.flatMap(Self.lines)
        for n in 1...60 { #expect(shown.contains("  \(n). Choice number \(n)")) }
    }
}
