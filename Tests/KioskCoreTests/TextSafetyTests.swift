import KioskTestSupport
import Testing
@testable import KioskCore

@Suite("Text from strangers")
struct TextSafetyTests {
    static let hostile = [
        "\u{1B}[2J\u{1B}[31mred", "\u{1B}]0;title\u{7}", "line\rover", "a\nb", "nul\u{0}", "c1\u{9B}31m",
        "del\u{7F}", "\u{202E}evil\u{202C}", "\u{2066}iso\u{2069}", "\u{200E}\u{200F}\u{061C}", "tab\there",
        "emoji 👩🏽‍⚕️", "combining e\u{301}", "plain",
    ]

    @Test("display text holds no control, C1 or bidi character, and sanitising twice changes nothing",
          arguments: hostile)
    func sanitiser(_ text: String) {
        let shown = TextSafety.display(text)
        #expect(!TextSafety.containsUnsafe(shown))
        #expect(TextSafety.display(shown) == shown)
    }

    @Test("markers are visible")
    func markers() {
        #expect(TextSafety.display("a\u{1B}b") == "a<ESC>b")
        #expect(TextSafety.display("x\u{202E}y") == "x<U+202E>y")
        #expect(TextSafety.display("emoji 👩🏽‍⚕️") == "emoji 👩🏽‍⚕️")
    }

    @Test("typed text is NFC-normalised and capped")
    func normalised() {
        #expect(TextSafety.normalized("e\u{301}", maxLength: 10) == "\u{E9}")
        #expect(TextSafety.normalized(String(repeating: "a", count: 500), maxLength: 100).count == 100)
    }

    @Test("reference codes avoid look-alike characters")
    func referenceCodes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let code = ReferenceCode.make(using: &generator)
            #expect(ReferenceCode.isValid(code))
            #expect(!code.contains(where: { "01OIL".contains($0) }))
        }
    }
}
