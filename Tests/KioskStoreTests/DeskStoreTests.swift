import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

@Suite("Desk store")
struct DeskStoreTests {
    // MARK: Status moves

    /// Brings a new follow-up into `status` through the store's own commands.
    private func followUp(in status: FollowUpStatus, _ store: SQLiteKioskStore, start: TimeInterval) throws -> String {
        let code = try store.saveFollowUp(request(), makeCode: randomCode)
        let now = desk(1_000)
        switch status {
        case .requested: break
        case .contacted: try store.setStatus(reference: code, to: .contacted, actor: "t", note: nil, now: now)
        case .booked, .completed, .cancelled, .noShow:
            try store.book(reference: code, appointment: slot("p", start), actor: "t", note: nil, now: now)
            if status != .booked { try store.setStatus(reference: code, to: status, actor: "t", note: nil, now: now) }
        }
        return code
    }

    @Test("every move through setStatus: allowed ones land, the rest throw and change nothing",
          arguments: FollowUpStatus.allCases)
    func everyMove(from: FollowUpStatus) throws {
        let store = try SQLiteKioskStore.inMemory()
        for (index, to) in FollowUpStatus.allCases.enumerated() {
            let code = try followUp(in: from, store, start: nine + Double(index) * 3_600)
            let before = try store.history(reference: code)
            let appointmentsBefore = try store.appointments(professional: nil, from: at(0), until: at(nine * 2))
            if to != .booked && StatusMoves.isAllowed(from: from, to: to) {
                try store.setStatus(reference: code, to: to, actor: "desk", note: "n", now: desk(5_000))
                #expect(try store.deskFollowUp(reference: code)?.status == to)
                let last = try #require(try store.history(reference: code).last)
                #expect(last == FollowUpEvent(reference: code, at: desk(5_000), actor: "desk", from: from, to: to, note: "n"))
            } else {
                #expect(throws: DeskError.illegalMove(from: from, to: to)) {
                    try store.setStatus(reference: code, to: to, actor: "desk", note: nil, now: desk(5_000))
                }
                #expect(try store.deskFollowUp(reference: code)?.status == from)
                #expect(try store.history(reference: code) == before)
                #expect(try store.appointments(professional: nil, from: at(0), until: at(nine * 2)) == appointmentsBefore)
            }
        }
    }

    @Test("unknown references are refused by setStatus and book")
    func unknownReference() throws {
        let store = try SQLiteKioskStore.inMemory()
        #expect(throws: DeskError.unknownReference("NOP-NOP")) {
            try store.setStatus(reference: "NOP-NOP", to: .contacted, actor: "a", note: nil, now: desk(1))
        }
        #expect(throws: DeskError.unknownReference("NOP-NOP")) {
            try store.book(reference: "NOP-NOP", appointment: slot("p", nine), actor: "a", note: nil, now: desk(1))
        }
        #expect(try store.rowCount("follow_up_event") == 0)
    }

    @Test("closed follow-ups cannot be booked; a slot that does not end after its start is refused")
    func bookRefusals() throws {
        let store = try SQLiteKioskStore.inMemory()
        let code = try store.saveFollowUp(request(), makeCode: randomCode)
        try store.setStatus(reference: code, to: .cancelled, actor: "a", note: nil, now: desk(1))
        #expect(throws: DeskError.illegalMove(from: .cancelled, to: .booked)) {
            try store.book(reference: code, appointment: slot("p", nine), actor: "a", note: nil, now: desk(2))
        }
        let open = try store.saveFollowUp(request(), makeCode: randomCode)
        #expect(throws: StoreError.self) {
            try store.book(reference: open, appointment: slot("p", nine, minutes: 0), actor: "a", note: nil, now: desk(2))
        }
        #expect(throws: StoreError.self) {
            try store.book(reference: open, appointment: slot("", nine), actor: "a", note: nil, now: desk(2))
        }
        #expect(try store.deskFollowUp(reference: open)?.status == .requested)
        #expect(try store.history(reference: open).count == 1)
    }

    // MARK: Bookings

    @Test("two stores on one file booking two follow-ups into one slot at once: one wins, one gets slotTaken")
    func doubleBooking() throws {
        let dir = try TempDir()
        let path = dir.path("kiosk.sqlite")
        let stores = [try SQLiteKioskStore(path: path), try SQLiteKioskStore(path: path)]
        let rounds = 20
        let pairs = try (0..<rounds).map { _ in
            [try stores[0].saveFollowUp(request(), makeCode: randomCode),
             try stores[1].saveFollowUp(request(), makeCode: randomCode)]
        }
        let outcomes = Collected<Int>()
        for round in 0..<rounds {
            let start = nine + Double(round) * 3_600
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    try stores[index].book(reference: pairs[round][index], appointment: slot("dr_keller", start),
                                           actor: "desk \(index)", note: nil, now: desk(1_000))
                    outcomes.add(index)
                } catch {
                    outcomes.fail(error)
                }
            }
            let (wins, errors) = outcomes.take()
            #expect(wins.count == 1, "round \(round)")
            #expect(errors.count == 1, "round \(round)")
            #expect(errors.first as? DeskError == .slotTaken(professional: "dr_keller", start: at(start)),
                    "round \(round): \(errors)")
            guard let winner = wins.first else { continue }
            #expect(try stores[1 - winner].deskFollowUp(reference: pairs[round][winner])?.status == .booked)
            let loser = pairs[round][1 - winner]
            #expect(try stores[winner].deskFollowUp(reference: loser)?.status == .requested)
            #expect(try stores[winner].history(reference: loser).count == 1)
        }
        let booked = try stores[0].appointments(professional: "dr_keller", from: at(0), until: at(nine * 2))
        #expect(booked == (0..<rounds).map { slot("dr_keller", nine + Double($0) * 3_600) })
        #expect(try stores[1].countFollowUps(status: .booked) == rounds)
    }

    @Test("the database itself refuses two booked follow-ups with one professional and start")
    func uniqueIndex() throws {
        let store = try SQLiteKioskStore.inMemory()
        let first = try store.saveFollowUp(request(), makeCode: { "AAA-AAA" })
        _ = try store.saveFollowUp(request(), makeCode: { "BBB-BBB" })
        try store.book(reference: first, appointment: slot("p", nine), actor: "a", note: nil, now: desk(1))
        #expect(throws: StoreError.self) {
            try store.executeForTesting("""
                UPDATE follow_up SET status = 'booked', booked_professional = 'p',
                    booked_start = '2025-03-03T09:00:00.000Z', booked_end = '2025-03-03T09:15:00.000Z'
                WHERE reference = 'BBB-BBB'
                """)
        }
        try store.executeForTesting("""
            UPDATE follow_up SET status = 'cancelled', booked_professional = 'p',
                booked_start = '2025-03-03T09:00:00.000Z', booked_end = '2025-03-03T09:15:00.000Z'
            WHERE reference = 'BBB-BBB'
            """)
        #expect(try store.appointments(professional: "p", from: at(0), until: at(nine * 2)) == [slot("p", nine)])
    }

    @Test("moving a booking frees the old slot; cancelling a booking frees its slot")
    func moveAndCancel() throws {
        let store = try SQLiteKioskStore.inMemory()
        let codes = try (0..<3).map { _ in try store.saveFollowUp(request(), makeCode: randomCode) }
        let (a, b, c) = (codes[0], codes[1], codes[2])
        let range = (at(0), at(nine * 2))
        try store.book(reference: a, appointment: slot("p", nine), actor: "anna", note: nil, now: desk(1))
        try store.book(reference: a, appointment: slot("p", nine + 3_600), actor: "anna", note: "asked for later", now: desk(2))
        #expect(try store.appointments(professional: "p", from: range.0, until: range.1) == [slot("p", nine + 3_600)])
        let moved = try #require(try store.history(reference: a).last)
        #expect(moved.from == .booked && moved.to == .booked)
        #expect(moved.note == "moved from p at 2025-03-03T09:00:00.000Z; with p at 2025-03-03T10:00:00.000Z "
                + "until 2025-03-03T10:30:00.000Z; asked for later")

        try store.book(reference: b, appointment: slot("p", nine), actor: "anna", note: nil, now: desk(3))
        #expect(try store.appointments(professional: "p", from: range.0, until: range.1)
                == [slot("p", nine), slot("p", nine + 3_600)])
        try store.setStatus(reference: b, to: .cancelled, actor: "anna", note: "client called", now: desk(4))
        #expect(try store.appointments(professional: "p", from: range.0, until: range.1) == [slot("p", nine + 3_600)])
        #expect(try store.deskFollowUp(reference: b)?.appointment == slot("p", nine), "kept as what was booked")
        try store.book(reference: c, appointment: slot("p", nine), actor: "anna", note: nil, now: desk(5))
        #expect(try store.appointments(professional: "p", from: range.0, until: range.1)
                == [slot("p", nine), slot("p", nine + 3_600)])
        #expect(try store.deskFollowUp(reference: c)?.appointment == slot("p", nine))
    }

    // MARK: Lists and search

    @Test("list filters by status, professional, date range and event; pages newest first")
    func listFilters() throws {
        let store = try SQLiteKioskStore.inMemory()
        var codes: [String] = []
        for n in 0..<10 {
            codes.append(try store.saveFollowUp(
                request(name: "client \(n)", at: 1_000 * Double(n), event: n.isMultiple(of: 2) ? "fair" : "open day",
                            professional: n == 3 ? "dr_keller" : nil),
                makeCode: randomCode))
        }
        try store.setStatus(reference: codes[1], to: .contacted, actor: "a", note: nil, now: desk(1))
        try store.book(reference: codes[5], appointment: slot("dr_keller", nine), actor: "a", note: nil, now: desk(1))
        try store.book(reference: codes[6], appointment: slot("dr_weber", nine), actor: "a", note: nil, now: desk(1))
        func names(_ filter: FollowUpFilter, limit: Int = 100, offset: Int = 0) throws -> [String] {
            try store.followUps(filter, limit: limit, offset: offset).map(\.followUp.request.name)
        }
        #expect(try names(FollowUpFilter()) == (0..<10).reversed().map { "client \($0)" })
        #expect(try names(FollowUpFilter(), limit: 3) == ["client 9", "client 8", "client 7"])
        #expect(try names(FollowUpFilter(), limit: 3, offset: 3) == ["client 6", "client 5", "client 4"])
        #expect(try names(FollowUpFilter(), limit: 3, offset: 9) == ["client 0"])
        #expect(try names(FollowUpFilter(), limit: 0).isEmpty)
        #expect(try names(FollowUpFilter(status: .booked)) == ["client 6", "client 5"])
        #expect(try names(FollowUpFilter(status: .contacted)) == ["client 1"])
        #expect(try names(FollowUpFilter(professional: "dr_keller")) == ["client 5", "client 3"])
        #expect(try names(FollowUpFilter(from: at(2_000), until: at(5_000))) == ["client 4", "client 3", "client 2"])
        #expect(try names(FollowUpFilter(event: "open day"), limit: 2, offset: 1) == ["client 7", "client 5"])
        #expect(try names(FollowUpFilter(status: .requested, from: at(3_000), event: "fair"))
                == ["client 8", "client 4"])
        let booked = try #require(try store.followUps(FollowUpFilter(status: .booked), limit: 1, offset: 0).first)
        #expect(booked.appointment == slot("dr_weber", nine))
        #expect(try store.countFollowUps(status: .requested) == 7)
        #expect(try store.countFollowUps(status: .booked) == 2)
        #expect(try store.countFollowUps(status: .noShow) == 0)
    }

    @Test("find by part of a name, phone or email (any case), or by reference (exact first)")
    func find() throws {
        let store = try SQLiteKioskStore.inMemory()
        let zoe = try store.saveFollowUp(request(name: "Zoë Müller", phone: "+41 79 123 45 67", at: 1_000),
                                         makeCode: { "KMP-2QX" })
        let jan = try store.saveFollowUp(request(name: "Jan Berg", phone: nil, email: "Jan.Berg@Example.org", at: 2_000),
                                         makeCode: { "ABC-DEF" })
        let sara = try store.saveFollowUp(request(name: "SARA MÜLLER", phone: "079 555 12 12", at: 3_000),
                                          makeCode: { "GHJ-KMN" })
        let percent = try store.saveFollowUp(request(name: "100% Ltd", phone: nil, email: "x@y.z", at: 4_000),
                                             makeCode: { "PQR-STU" })
        let fan = try store.saveFollowUp(request(name: "Fan", phone: nil, email: "kmp-2qx@example.org", at: 5_000),
                                         makeCode: { "VWX-YZ2" })
        func refs(_ text: String, limit: Int = 10) throws -> [String] { try store.find(text, limit: limit).map(\.reference) }
        #expect(try refs("müller") == [sara, zoe])
        #expect(try refs("MÜLLER") == [sara, zoe])
        #expect(try refs("ller", limit: 1) == [sara])
        #expect(try refs("zoë") == [zoe])
        #expect(try refs("berg@example") == [jan])
        #expect(try refs("791234567") == [zoe])
        #expect(try refs("79 123") == [zoe])
        #expect(try refs("555-12") == [sara])
        #expect(try refs("kmp-2qx") == [zoe], "a whole reference that exists: that one alone")
        #expect(try refs("kmp-2q") == [fan, zoe], "part of a reference: contained in a reference or an email")
        #expect(try refs("fan") == [fan])
        #expect(try refs("KMP2QX") == [zoe])
        #expect(try refs("ABC-DEF") == [jan])
        #expect(try refs("GHJ") == [sara])
        #expect(try refs("%") == [percent])
        #expect(try refs("_") == [])
        #expect(try refs("nobody").isEmpty)
        #expect(try refs("  ").isEmpty)
        #expect(try refs("müller", limit: 0).isEmpty)
    }

    // MARK: Purge (its rules are in the conformance suite, on both stores)

    @Test("purge works through more rows than one batch")
    func purgeBatches() throws {
        let store = try SQLiteKioskStore.inMemory()
        let count = SQLiteKioskStore.purgeBatch * 2 + 7
        for n in 0..<count {
            _ = try store.saveFollowUp(request(name: "c\(n)", at: Double(n)), makeCode: randomCode)
        }
        _ = try store.saveFollowUp(request(name: "open", at: 1), makeCode: { "OPE-NNN" })
        try store.executeForTesting("UPDATE follow_up SET status = 'completed' WHERE reference <> 'OPE-NNN'")
        #expect(try store.purgeContactDetails(before: at(1e9), dryRun: true, actor: "a", now: desk(1e9)) == count)
        #expect(try store.purgeContactDetails(before: at(1e9), dryRun: false, actor: "a", now: desk(1e9)) == count)
        #expect(try store.rowCount("follow_up_event") == (count + 1) + count)
        #expect(try store.find("c1", limit: 5).isEmpty)
        #expect(try store.deskFollowUp(reference: "OPE-NNN")?.followUp.request.name == "open")
    }
}
