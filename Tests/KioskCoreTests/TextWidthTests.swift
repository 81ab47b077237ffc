import Foundation
import Testing
import KioskCore

/// The one measure of text on a terminal, and the padding and clipping the tables use.
@Suite("Text width")
struct TextWidthTests {
    @Test("columns: one for narrow text, two for CJK and emoji, an emoji with VS16 included", arguments: [
        ("Ana Pérez", 9), ("山田太郎", 8), ("😀", 2), ("❤️", 2), ("❤", 1), ("e\u{301}", 1), ("한국", 4), ("", 0),
    ])
    func columns(_ text: String, _ expected: Int) {
        #expect(TextWidth.columns(text) == expected, "\(text.debugDescription)")
    }

    @Test("padding fills to the width in columns, and never cuts")
    func padding() {
        #expect(TextWidth.padded("山田", to: 6) == "山田  ")
        #expect(TextWidth.padded("Sam", to: 2) == "Sam")
        #expect(TextWidth.rightAligned("7", to: 3) == "  7")
        #expect(TextWidth.rightAligned("😀", to: 3) == " 😀")
    }

    @Test("clipping leaves a wide character out whole and marks the cut; a cell is exactly its width")
    func clipping() {
        #expect(TextWidth.clipped("Sam Lee", to: 7) == "Sam Lee")
        #expect(TextWidth.clipped("山田太郎", to: 6) == "山田…")
        #expect(TextWidth.clipped("山田太郎", to: 5) == "山田…")
        #expect(TextWidth.clipped("a long name", to: 8, mark: "...") == "a lon...")
        for text in ["山田太郎 and more", "Ana 😀 Pérez", "abc", "😀😀😀😀"] {
            for width in 3...12 {
                #expect(TextWidth.columns(TextWidth.cell(text, width)) == width, "\(text) in \(width)")
            }
        }
    }

    @Test("the stats table lines its bars up on a label with an emoji")
    func statsBarsLineUp() throws {
        var builder = PracticeStatsBuilder()
        func assessment(_ area: String) -> AssessmentRecord {
            AssessmentRecord(id: area, createdAt: .init(timeIntervalSince1970: 0), event: nil, language: "en",
                             answers: [ContentIDs.areaQuestion: .choices([area])], level: .selfCare, outcome: nil,
                             optionsShown: [], optionsLeftOut: [])
        }
        builder.add(assessment("knee"))
        builder.add(assessment("low_back"))
        let labels = ["knee": "Knee ❤️", "low_back": "Low back"]
        let text = StatsReport.table(builder.build(), width: 60) { _, id in labels[id] ?? id }
        let rows = text.split(separator: "\n").map(String.init).filter { $0.contains("█") }
        #expect(rows.count == 2, "\(text)")
        let barColumns = rows.compactMap { row in row.range(of: "█").map { TextWidth.columns(row[..<$0.lowerBound]) } }
        #expect(Set(barColumns).count == 1, "bars start at \(barColumns):\n\(rows.joined(separator: "\n"))")
    }
}
