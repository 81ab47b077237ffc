import Foundation
import KioskTestSupport
import Synchronization
import Testing
@testable import KioskCore

/// The kiosk makes the welcome language's tables on a thread of its own while a session may
/// already ask for them: they must be made once, and the asker must wait for them.
@Suite("Tables made once")
struct LazyTests {
    @Test("two threads asking at once: the value is made once, and both get it")
    func once() async {
        let makes = Atomic<Int>(0)
        let lazy = Lazy<Int> {
            makes.add(1, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.05)    // long enough for the second asker to arrive
            return 42
        }
        async let first = Task.detached { lazy.value }.value
        async let second = Task.detached { lazy.value }.value
        let values = await [first, second]
        #expect(values == [42, 42])
        #expect(makes.load(ordering: .relaxed) == 1)
    }

    @Test("prepare makes the tables a session then uses: one set per language, asked for at once from two threads")
    func prepared() async {
        let content = Fixture.content
        async let prepared: Void = Task.detached { content.tables.prepare("en") }.value
        async let asked = Task.detached { content.tables.tables("en") }.value
        let (_, tables) = await (prepared, asked)
        #expect(ObjectIdentifier(tables.matching) == ObjectIdentifier(content.tables.tables("en").matching))
        #expect(!tables.questionChoices.isEmpty)
    }
}
