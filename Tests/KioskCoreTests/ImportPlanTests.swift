import Foundation
import Testing
import KioskCore

/// The order of `ImportPlan`'s decisions for one follow-up, the same on both stores: the
/// stores' tests see only the outcome, these see what was asked and in which order.
@Suite("Import plan: the order of decisions")
struct ImportPlanTests {
    /// A database as the plan sees it, recording every primitive it is asked.
    final class Recorder: ImportTarget {
        var requestHere = false
        var holder: String?
        var taken: Set<String> = []
        var calls: [String] = []

        func attempt(_ body: () throws -> Void) throws -> String? {
            do { try body(); return nil } catch let problem as ImportRules.RowProblem { return problem.reason }
        }
        func insertAssessment(_ row: ImportRow) throws -> Bool { calls.append("assessment"); return true }
        func insertSession(_ row: ImportRow) throws -> Bool { calls.append("session"); return true }
        func hasAlert(_ row: ImportRow) throws -> Bool { false }
        func insertAlert(_ row: ImportRow) throws { calls.append("alert") }
        func forEachContact(_ body: (String, String?, String?) -> Void) throws {}
        func hasRequest(assessment: String, createdAt: String) throws -> Bool { calls.append("request?"); return requestHere }
        func slotHolder(professional: String, start: String, end: String) throws -> String? {
            calls.append("slot?"); return holder
        }
        func isTaken(reference: String) throws -> Bool { calls.append("taken? \(reference)"); return taken.contains(reference) }
        func insertFollowUp(_ row: ImportRow, reference: String, status: FollowUpStatus, flag: String?) throws {
            calls.append("insert \(reference)")
        }
        func hasEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws -> Bool { false }
        func insertEvent(_ event: ImportRow, reference: String, to: FollowUpStatus) throws {
            calls.append("event \(reference) \(to.rawValue)")
        }
        func recordEvent(reference: String, at: Date, actor: String, from: FollowUpStatus?, to: FollowUpStatus,
                         note: String?) throws {
            calls.append("record \(reference) \(actor): \(note ?? "")")
        }
    }

    static func text(_ values: [String: String]) -> ImportRow { ImportRow(values: values.mapValues { .text($0) }) }

    /// A booked follow-up `ABC-DEF` with its one audit event, and a second one, `GHJ-KMN`.
    static func source() -> ImportSource {
        let booked = text(["reference": "ABC-DEF", "assessment_id": "a1", "created_at": "2025-03-01T09:00:00.000Z",
                           "status": "booked", "name": "Client 1", "preferred_times_json": "[]",
                           "booked_professional": "dana", "booked_start": "2025-03-03T15:00:00.000Z",
                           "booked_end": "2025-03-03T16:00:00.000Z"])
        let other = text(["reference": "GHJ-KMN", "assessment_id": "a2", "created_at": "2025-03-01T10:00:00.000Z",
                          "status": "requested", "name": "Client 2", "preferred_times_json": "[]"])
        let event = text(["reference": "ABC-DEF", "at": "2025-03-01T09:00:00.000Z", "to_status": "requested"])
        return ImportSource(file: "event.sqlite", version: 9, assessments: [], sessions: [], followUps: [booked, other],
                            events: ["ABC-DEF": [event]], orphanEvents: [], alerts: [])
    }

    @Test("a request already here is skipped before its slot or its code is looked at")
    func requestHereFirst() throws {
        let target = Recorder()
        target.requestHere = true
        target.holder = "ZZZ-ZZZ"
        target.taken = ["ABC-DEF", "GHJ-KMN"]
        var draws = 0
        let report = try ImportPlan.run(Self.source(), now: Date(), draw: { draws += 1; return "NEW-234" }, into: target)
        #expect(report.followUps.skipped == 2 && report.followUps.refused == 0)
        #expect(report.events.skipped == 1)
        #expect(target.calls == ["request?", "request?"])
        #expect(draws == 0)
    }

    @Test("a slot held here refuses the booked row before a code is drawn; the next row goes on")
    func slotBeforeCode() throws {
        let target = Recorder()
        target.holder = "ZZZ-ZZZ"
        target.taken = ["ABC-DEF"]
        var draws = 0
        let report = try ImportPlan.run(Self.source(), now: Date(), draw: { draws += 1; return "NEW-234" }, into: target)
        #expect(report.followUps.refused == 1 && report.events.refused == 1 && report.followUps.added == 1)
        #expect(report.refusals.count == 1 && report.refusals[0].contains("ZZZ-ZZZ"))
        #expect(draws == 0)
        #expect(target.calls == ["request?", "slot?", "request?", "taken? GHJ-KMN", "insert GHJ-KMN"])
    }

    @Test("a code taken here is drawn anew, never one of the file's own codes; the rename is audited after the file's events")
    func renameAfterEvents() throws {
        let target = Recorder()
        target.taken = ["ABC-DEF", "PQR-STU"]
        var codes = ["GHJ-KMN", "", "PQR-STU", "NEW-234"]
        let report = try ImportPlan.run(Self.source(), now: Date(), draw: { codes.removeFirst() }, into: target)
        #expect(report.renamed == ["ABC-DEF -> NEW-234"])
        #expect(Array(target.calls.prefix(7)) == [
            "request?", "slot?", "taken? ABC-DEF", "taken? PQR-STU", "taken? NEW-234", "insert NEW-234",
            "event NEW-234 requested",
        ])
        #expect(target.calls[7] == "record NEW-234 import: "
                + ImportReport.renameNote(file: "event.sqlite", old: "ABC-DEF", new: "NEW-234"))
        #expect(codes.isEmpty)
    }

    @Test("no free code after ReferenceCode.maxAttempts draws ends the import with NoFreeCode")
    func noFreeCode() throws {
        let target = Recorder()
        target.taken = ["ABC-DEF", "NEW-234"]
        var draws = 0
        #expect(throws: ReferenceCode.NoFreeCode(attempts: ReferenceCode.maxAttempts)) {
            try ImportPlan.run(Self.source(), now: Date(), draw: { draws += 1; return "NEW-234" }, into: target)
        }
        #expect(draws == ReferenceCode.maxAttempts)
    }
}
