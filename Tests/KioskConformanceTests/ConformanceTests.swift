import Foundation
import KioskCore
import KioskPostgres
import KioskTestSupport
@testable import KioskStore
import Testing

/// One suite, two stores: what the kiosk and the desk rely on behaves the same on SQLite
/// and on PostgreSQL. PostgreSQL runs when the build has the trait and
/// KIOSK_TEST_POSTGRES_URL names a server (.ci/run starts one).
@Suite("Store conformance (SQLite and PostgreSQL)")
struct ConformanceTests {
    @Test("PostgreSQL: the conformance suite runs against a server", .enabled(if: PostgresTests.url != nil, Comment(rawValue: PostgresTests.howToRun)))
    func postgresConfigured() throws {
        #expect(StoreKind.available.contains(.postgres))
        PostgresTests.ran(#function)
    }

    // MARK: Durability

    @Test("an acknowledged request survives closing the store and is read back by another connection",
          arguments: StoreKind.available)
    func durability(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let asked = request()
        let code: String
        do {
            let kiosk = try db.open()
            code = try kiosk.saveFollowUp(asked, makeCode: randomCode)
            try kiosk.close()
        }
        #expect(ReferenceCode.isValid(code))
        let reader = try db.open()
        #expect(try reader.followUp(reference: code) == FollowUp(reference: code, request: asked, status: .requested))
        let history = try reader.history(reference: code)
        #expect(history.map(\.actor) == ["kiosk"])
        #expect(history.first?.to == .requested && history.first?.from == nil)
        #expect(history.first?.at == asked.createdAt)
    }

    @Test("two kiosks and a desk on their own connections, writing at once, lose nothing",
          arguments: StoreKind.available)
    func concurrentKiosksAndDesk(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let kiosks = [try db.open(), try db.open()]
        let front = try db.open()
        let waiting = try (0..<20).map { _ in try front.saveFollowUp(request(name: "waiting"), makeCode: randomCode) }
        let perKiosk = 40
        let outcomes = Collected<String>()
        let deskDone = Collected<String>()
        nonisolated(unsafe) let stores = kiosks + [front]
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            if index < 2 {
                for n in 0..<perKiosk {
                    do {
                        let record = AssessmentRecord(
                            id: "A-\(index)-\(n)-\(UUID().uuidString)", createdAt: Date(), event: nil, language: "en",
                            answers: ["area": .choices(["neck"])], level: .selfCare, outcome: nil,
                            optionsShown: ["massage"], optionsLeftOut: [])
                        try stores[index].saveAssessment(record)
                        var asked = request(name: "kiosk \(index) client \(n)")
                        asked.assessmentID = record.id
                        outcomes.add(try stores[index].saveFollowUp(asked, makeCode: randomCode))
                    } catch {
                        outcomes.fail(error)
                    }
                }
            } else {
                for (n, code) in waiting.enumerated() {
                    do {
                        try stores[2].book(reference: code, appointment: slot("dr_keller", nine + Double(n) * 1_800),
                                           actor: "desk", note: nil, now: desk(Double(n)))
                        deskDone.add(code)
                    } catch {
                        deskDone.fail(error)
                    }
                }
            }
        }
        let (codes, errors) = outcomes.take()
        let (booked, deskErrors) = deskDone.take()
        #expect(errors.isEmpty, "\(errors)")
        #expect(deskErrors.isEmpty, "\(deskErrors)")
        #expect(codes.count == 2 * perKiosk && Set(codes).count == codes.count)
        #expect(booked.count == waiting.count)
        let check = try db.open()
        let all = try check.followUps(FollowUpFilter(), limit: 1_000, offset: 0)
        #expect(Set(all.map(\.reference)) == Set(codes + waiting))
        #expect(try check.countFollowUps(status: .booked) == waiting.count)
        #expect(try check.countFollowUps(status: .requested) == 2 * perKiosk)
        #expect(try TestDatabase.rowCount("follow_up_event", check) == 2 * perKiosk + 2 * waiting.count)
        #expect(try TestDatabase.rowCount("assessment", check) == 2 * perKiosk)
    }

    @Test("a code clash draws again; only clashing codes give up after the cap and store nothing",
          arguments: StoreKind.available)
    func codeClash(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        #expect(try store.saveFollowUp(request(name: "First"), makeCode: { "AAA-AAA" }) == "AAA-AAA")
        let codes = Codes(["AAA-AAA", "", "BBB-BBB"])
        #expect(try store.saveFollowUp(request(name: "Second"), makeCode: codes.next) == "BBB-BBB")
        var drawn = 0
        #expect(throws: StoreError.noFreeReference(attempts: ReferenceCode.maxAttempts)) {
            _ = try store.saveFollowUp(request(name: "Third"), makeCode: { drawn += 1; return "AAA-AAA" })
        }
        #expect(drawn == ReferenceCode.maxAttempts)
        #expect(try store.followUp(reference: "AAA-AAA")?.request.name == "First")
        #expect(try store.followUp(reference: "BBB-BBB")?.request.name == "Second")
        #expect(try TestDatabase.rowCount("follow_up", store) == 2)
        #expect(try TestDatabase.rowCount("follow_up_event", store) == 2)
    }

    @Test("assessments: saving twice keeps one with the last values; alerts oldest first, acknowledged once",
          arguments: StoreKind.available)
    func assessmentsAndAlerts(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        var record = AssessmentRecord(
            id: "a-1", createdAt: at(1_740_000_000.25), event: nil, language: "fr",
            answers: ["where": .choices(["neck", "lower_back"]), "pain": .scale(7), "ça_va": .choices([])],
            level: .selfCare, outcome: nil, optionsShown: ["massage", "physio"], optionsLeftOut: [])
        try store.saveAssessment(record)
        record.level = .doctorSoon
        record.outcome = "red_flag_numbness"
        record.answers["pain"] = .scale(9)
        record.optionsShown = []
        record.optionsLeftOut = ["massage", "chiro"]
        record.event = "Salon bien-être"
        try store.saveAssessment(record)
        #expect(try db.open().assessment(id: "a-1") == record)
        #expect(try store.assessment(id: "nope") == nil)
        #expect(try TestDatabase.rowCount("assessment", store) == 1)

        let late = Alert(assessmentID: "a2", createdAt: at(2_000), level: .soon, outcome: "see_doctor", event: nil)
        let early = Alert(assessmentID: "a1", createdAt: at(1_000), level: .urgent, outcome: "call_emergency", event: "Fair")
        try store.raiseAlert(late)
        try store.raiseAlert(early)
        #expect(try store.unacknowledgedAlerts() == [early, late])
        let open = try store.alerts(includeAcknowledged: false)
        #expect(open.map(\.alert) == [early, late])
        #expect(open.allSatisfy { $0.acknowledgedAt == nil && $0.acknowledgedBy == nil })
        try store.acknowledgeAlert(id: open[0].id, actor: "anna", now: desk(5_000))
        #expect(try store.alerts(includeAcknowledged: false).map(\.alert) == [late])
        // Acknowledged twice: no error, and the first acknowledgement stays.
        try store.acknowledgeAlert(id: open[0].id, actor: "ben", now: desk(6_000))
        #expect(try store.unacknowledgedAlerts() == [late])
        let all = try store.alerts(includeAcknowledged: true)
        #expect(all.map(\.alert) == [early, late])
        #expect(all[0].acknowledgedAt == desk(5_000) && all[0].acknowledgedBy == "anna")
        #expect(all[1].acknowledgedAt == nil)
        let unknown = (all.map(\.id).max() ?? 0) + 1
        #expect(throws: DeskError.unknownAlert(unknown)) {
            try store.acknowledgeAlert(id: unknown, actor: "anna", now: desk(7_000))
        }
    }

    // MARK: Status moves and the audit trail

    @Test("legal moves land in the history with actor, time and note; illegal ones change nothing",
          arguments: StoreKind.available)
    func statusMoves(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let code = try store.saveFollowUp(request(), makeCode: { "ABC-DEF" })
        try store.setStatus(reference: code, to: .contacted, actor: "anna", note: "left a message", now: desk(1_000))
        try store.book(reference: code, appointment: slot("dr_keller", nine), actor: "ben", note: nil, now: desk(2_000))
        try store.setStatus(reference: code, to: .completed, actor: "anna", note: nil, now: desk(3_000))
        #expect(try store.deskFollowUp(reference: code)?.status == .completed)
        let history = try db.open().history(reference: code)
        #expect(history.map(\.to) == [.requested, .contacted, .booked, .completed])
        #expect(history.map(\.from) == [nil, .requested, .contacted, .booked])
        #expect(history.map(\.actor) == ["kiosk", "anna", "ben", "anna"])
        #expect(history.dropFirst().map(\.at) == [desk(1_000), desk(2_000), desk(3_000)])
        #expect(history[1].note == "left a message")
        #expect(history[2].note == "with dr_keller at 2025-03-03T09:00:00.000Z until 2025-03-03T09:30:00.000Z")
        #expect(history[3].note == nil)

        for to in FollowUpStatus.allCases {
            #expect(throws: DeskError.illegalMove(from: .completed, to: to)) {
                try store.setStatus(reference: code, to: to, actor: "desk", note: nil, now: desk(4_000))
            }
        }
        #expect(throws: DeskError.illegalMove(from: .completed, to: .booked)) {
            try store.book(reference: code, appointment: slot("p", nine), actor: "a", note: nil, now: desk(4_000))
        }
        #expect(throws: DeskError.unknownReference("NOP-NOP")) {
            try store.setStatus(reference: "NOP-NOP", to: .contacted, actor: "a", note: nil, now: desk(1))
        }
        #expect(try store.history(reference: code).count == 4)
        #expect(try store.deskFollowUp(reference: code)?.status == .completed)
    }

    // MARK: Booking

    @Test("two desks on two connections race for one slot: exactly one wins, the other gets slotTaken",
          arguments: StoreKind.available)
    func slotRace(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        nonisolated(unsafe) let desks = [try db.open(), try db.open()]
        let rounds = 12
        let pairs = try (0..<rounds).map { _ in
            [try desks[0].saveFollowUp(request(), makeCode: randomCode), try desks[1].saveFollowUp(request(), makeCode: randomCode)]
        }
        let outcomes = Collected<String>()
        for round in 0..<rounds {
            let start = nine + Double(round) * 3_600
            // Odd rounds: a 60-minute slot against a 30-minute one starting inside it.
            let appointments = round.isMultiple(of: 2)
                ? [slot("dr_keller", start), slot("dr_keller", start)]
                : [slot("dr_keller", start, minutes: 60), slot("dr_keller", start + 1_800)]
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    try desks[index].book(reference: pairs[round][index], appointment: appointments[index],
                                          actor: "desk \(index)", note: nil, now: desk(1_000))
                    outcomes.add("\(index)")
                } catch {
                    outcomes.fail(error)
                }
            }
            let (wins, errors) = outcomes.take()
            #expect(wins.count == 1 && errors.count == 1, "round \(round): \(wins) \(errors)")
            guard let winner = wins.first.flatMap(Int.init) else { continue }
            let loser = 1 - winner
            #expect(errors.first as? DeskError == .slotTaken(professional: "dr_keller", start: appointments[loser].start),
                    "round \(round): \(errors)")
            #expect(try desks[loser].deskFollowUp(reference: pairs[round][winner])?.status == .booked)
            #expect(try desks[winner].deskFollowUp(reference: pairs[round][loser])?.status == .requested)
            #expect(try desks[winner].history(reference: pairs[round][loser]).count == 1)
        }
        #expect(try desks[0].countFollowUps(status: .booked) == rounds)
        #expect(try desks[1].appointments(professional: "dr_keller", from: at(0), until: at(nine * 2)).count == rounds)
    }

    @Test("overlapping slots are refused, touching ones and other professionals are fine; moving and cancelling free a slot",
          arguments: StoreKind.available)
    func overlapMoveCancel(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        let codes = try (0..<5).map { _ in try store.saveFollowUp(request(), makeCode: randomCode) }
        try store.book(reference: codes[0], appointment: slot("p", nine, minutes: 60), actor: "a", note: nil, now: desk(1))
        #expect(throws: DeskError.slotTaken(professional: "p", start: at(nine + 1_800))) {
            try store.book(reference: codes[1], appointment: slot("p", nine + 1_800), actor: "a", note: nil, now: desk(1))
        }
        // A longer slot that starts before and ends inside the booked one.
        #expect(throws: DeskError.slotTaken(professional: "p", start: at(nine - 600))) {
            try store.book(reference: codes[1], appointment: slot("p", nine - 600, minutes: 90), actor: "a", note: nil, now: desk(1))
        }
        try store.book(reference: codes[1], appointment: slot("p", nine + 3_600), actor: "a", note: nil, now: desk(1))
        try store.book(reference: codes[2], appointment: slot("p", nine - 1_800), actor: "a", note: nil, now: desk(1))
        try store.book(reference: codes[3], appointment: slot("q", nine), actor: "a", note: nil, now: desk(1))
        #expect(try store.appointments(professional: "p", from: at(0), until: at(nine * 2)).map(\.start)
                == [at(nine - 1_800), at(nine), at(nine + 3_600)])
        #expect(try store.appointments(professional: nil, from: at(nine + 600), until: at(nine + 700))
                == [slot("p", nine, minutes: 60), slot("q", nine)])
        #expect(try store.appointments(professional: "p", from: at(nine + 3_600 + 1_800), until: at(nine * 2)).isEmpty)
        // Move codes[1] later: its old slot is free for codes[4].
        try store.book(reference: codes[1], appointment: slot("p", nine + 7_200), actor: "anna", note: "later", now: desk(2))
        let moved = try #require(try store.history(reference: codes[1]).last)
        #expect(moved.from == .booked && moved.to == .booked)
        #expect(moved.note == "moved from p at 2025-03-03T10:00:00.000Z; with p at 2025-03-03T11:00:00.000Z "
                + "until 2025-03-03T11:30:00.000Z; later")
        try store.book(reference: codes[4], appointment: slot("p", nine + 3_600), actor: "a", note: nil, now: desk(3))
        try store.setStatus(reference: codes[4], to: .cancelled, actor: "a", note: nil, now: desk(4))
        #expect(try store.deskFollowUp(reference: codes[4])?.appointment == slot("p", nine + 3_600), "kept as what was booked")
        #expect(try store.appointments(professional: "p", from: at(nine + 3_600), until: at(nine + 3_700)).isEmpty)
        #expect(throws: StoreError.self) {
            try store.book(reference: codes[0], appointment: slot("p", nine, minutes: 0), actor: "a", note: nil, now: desk(5))
        }
    }

    // MARK: Lists, search, streaming

    @Test("list filters and pages; find by name, phone, email or reference", arguments: StoreKind.available)
    func listAndFind(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        var codes: [String] = []
        for n in 0..<10 {
            codes.append(try store.saveFollowUp(
                request(name: "client \(n)", phone: "555 0\(n)", at: 1_000 * Double(n), event: n.isMultiple(of: 2) ? "fair" : "open day",
                        professional: n == 3 ? "dr_keller" : nil), makeCode: randomCode))
        }
        try store.setStatus(reference: codes[1], to: .contacted, actor: "a", note: nil, now: desk(1))
        try store.book(reference: codes[5], appointment: slot("dr_keller", nine), actor: "a", note: nil, now: desk(1))
        func names(_ filter: FollowUpFilter, limit: Int = 100, offset: Int = 0) throws -> [String] {
            try store.followUps(filter, limit: limit, offset: offset).map(\.followUp.request.name)
        }
        #expect(try names(FollowUpFilter(), limit: 3, offset: 3) == ["client 6", "client 5", "client 4"])
        #expect(try names(FollowUpFilter(status: .contacted)) == ["client 1"])
        #expect(try names(FollowUpFilter(professional: "dr_keller")) == ["client 5", "client 3"])
        #expect(try names(FollowUpFilter(from: at(2_000), until: at(5_000))) == ["client 4", "client 3", "client 2"])
        #expect(try names(FollowUpFilter(status: .requested, from: at(3_000), event: "fair")) == ["client 8", "client 6", "client 4"])
        #expect(try store.followUps(status: .requested, limit: 2).map(\.request.name) == ["client 9", "client 8"])
        #expect(try store.countFollowUps(status: .requested) == 8)

        let zoe = try store.saveFollowUp(request(name: "Zoë Müller", phone: "+41 79 123 45 67", at: 11_000), makeCode: { "KMP-2QX" })
        let sara = try store.saveFollowUp(request(name: "SARA MÜLLER", phone: "079 555 12 12", at: 12_000), makeCode: { "GHJ-KMN" })
        let jan = try store.saveFollowUp(request(name: "Jan Berg", phone: nil, email: "Jan.Berg@Example.org", at: 13_000),
                                         makeCode: { "ABC-DEF" })
        let percent = try store.saveFollowUp(request(name: "100% Ltd", phone: nil, email: "x@y.z", at: 14_000), makeCode: { "PQR-STU" })
        func refs(_ text: String, limit: Int = 10) throws -> [String] { try store.find(text, limit: limit).map(\.reference) }
        #expect(try refs("müller") == [sara, zoe])
        #expect(try refs("MÜLLER") == [sara, zoe])
        #expect(try refs("berg@example") == [jan])
        #expect(try refs("791234567") == [zoe])
        #expect(try refs("kmp2qx") == [zoe])
        #expect(try refs("%") == [percent])
        #expect(try refs("_") == [])
        #expect(try refs("nobody").isEmpty)
        // Accents and case: any spelling finds the name as it was typed.
        let nunez = try store.saveFollowUp(request(name: "José Núñez", phone: nil, email: "Pepe.Nunez@Correo.es", at: 15_000),
                                           makeCode: { "NNZ-JSE" })
        for spelling in ["nunez", "NUNEZ", "Núñez", "núñez", "NÚÑEZ", "jose nunez", "JOSÉ", "ñ"] {
            #expect(try refs(spelling).contains(nunez), "\(spelling)")
        }
        #expect(try refs("müller") == [sara, zoe])
        #expect(try refs("muller") == [sara, zoe])
        #expect(try refs("zoe") == [zoe])
        #expect(try refs("pepe.nunez@correo") == [nunez])
        #expect(try refs("núñez@") == [nunez])
    }

    @Test("find is blind to accents and case for rows from before the folded index, imported rows, and forgets purged ones",
          arguments: StoreKind.available)
    func foldedFindOfOlderAndImportedRows(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        try db.createBeforeFoldedSearch(reference: "OLD-NNZ", name: "Ana Núñez", email: "ana.ibáñez@correo.es")
        let store = try db.open()
        func refs(_ text: String) throws -> [String] { try store.find(text, limit: 10).map(\.reference) }
        for spelling in ["nunez", "NÚÑEZ", "Núñez", "ana nunez", "ibanez@correo", "IBÁÑEZ"] {
            #expect(try refs(spelling) == ["OLD-NNZ"], "\(spelling)")
        }

        // An event laptop's file, as a kiosk before the folded index wrote it.
        let folder = try TempDir()
        let event = folder.path("fair.sqlite")
        try SQLiteKioskStore.createForTesting(path: event, upTo: "v6-words", """
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, consent, event)
            VALUES ('EVT-CLR', 'fair-1', '2025-03-01T10:00:00.000Z', 'es', 'Çelik Løvås Pérez', '555 0101', NULL, 1, 'fair');
            INSERT INTO follow_up_event (reference, at, actor, from_status, to_status)
            VALUES ('EVT-CLR', '2025-03-01T10:00:00.000Z', 'kiosk', NULL, 'requested');
            PRAGMA user_version = 6;
            """)
        let report = try store.importDatabase(from: event, now: desk(0), makeCode: { "EVT-NEW" })
        #expect(report.followUps.added == 1, "\(report.refusals)")
        for spelling in ["celik", "ÇELIK", "perez", "PÉREZ", "celik l"] {
            #expect(try refs(spelling) == ["EVT-CLR"], "\(spelling)")
        }

        // A purged name is gone from the index too.
        try store.setStatus(reference: "OLD-NNZ", to: .cancelled, actor: "desk", note: nil, now: desk(1))
        #expect(try store.purgeContactDetails(before: desk(2), dryRun: false, actor: "desk", now: desk(3)) == 1)
        for spelling in ["nunez", "Núñez", "ibanez"] { #expect(try refs(spelling).isEmpty, "\(spelling)") }
    }

    @Test("forEachFollowUp streams oldest first across fetch batches, from a date, and stops on the caller's error",
          arguments: StoreKind.available)
    func streaming(_ kind: StoreKind) throws {
        struct Stop: Error, Equatable {}
        let db = try TestDatabase(kind)
        let store = try db.open()
        let count = 5_003
        let insert = kind == .sqlite
            ? """
              WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < \(count - 1))
              INSERT INTO follow_up (reference, assessment_id, created_at, language, name, consent)
              SELECT 'R-' || ((i * 7919) % \(count)), 'A-' || i,
                     strftime('%Y-%m-%dT%H:%M:%S.000Z', ((i * 7919) % \(count)) * 60, 'unixepoch'), 'de',
                     'client ' || ((i * 7919) % \(count)), 1
              FROM seq
              """
            : """
              INSERT INTO follow_up (reference, assessment_id, created_at, language, name, consent)
              SELECT 'R-' || ((i * 7919) % \(count)), 'A-' || i, to_timestamp(((i * 7919) % \(count)) * 60), 'de',
                     'client ' || ((i * 7919) % \(count)), true
              FROM generate_series(0, \(count - 1)) AS i
              """
        try TestDatabase.execute(insert, on: store)
        #expect(try TestDatabase.rowCount("follow_up", store) == count)
        var seen: [Date] = []
        try store.forEachFollowUp(since: nil) { seen.append($0.followUp.request.createdAt) }
        #expect(seen == (0..<count).map { at(Double($0) * 60) })
        var names: [String] = []
        try store.forEachFollowUp(since: at(Double(count - 3) * 60)) { names.append($0.followUp.request.name) }
        #expect(names == ["client \(count - 3)", "client \(count - 2)", "client \(count - 1)"])
        var calls = 0
        #expect(throws: Stop()) {
            try store.forEachFollowUp(since: nil) { _ in
                calls += 1
                if calls == 10 { throw Stop() }
            }
        }
        #expect(calls == 10)
        // The store still works after a walk that stopped.
        #expect(try store.countFollowUps(status: .requested) == count)
    }

    // MARK: Purge

    @Test("purge: a dry run counts and changes nothing; a real one blanks only old closed follow-ups, once",
          arguments: StoreKind.available)
    func purge(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        func make(_ status: FollowUpStatus, at seconds: TimeInterval) throws -> String {
            let code = try store.saveFollowUp(request(name: "Client", email: "c@example.org", at: seconds), makeCode: randomCode)
            let now = desk(20_000)
            switch status {
            case .requested: break
            case .contacted, .cancelled: try store.setStatus(reference: code, to: status, actor: "a", note: nil, now: now)
            case .booked, .completed, .noShow:
                try store.book(reference: code, appointment: slot("p", seconds), actor: "a", note: nil, now: now)
                if status != .booked { try store.setStatus(reference: code, to: status, actor: "a", note: nil, now: now) }
            }
            return code
        }
        let oldClosed = [try make(.completed, at: 1_000), try make(.cancelled, at: 2_000), try make(.noShow, at: 3_000)]
        let oldOpen = [try make(.requested, at: 4_000), try make(.contacted, at: 5_000), try make(.booked, at: 6_000)]
        let newClosed = try make(.completed, at: 11_000)
        // Blanked before (purged already): not counted again.
        let alreadyBlank = try make(.cancelled, at: 7_000)
        try TestDatabase.execute("UPDATE follow_up SET name = '', phone = NULL, email = NULL WHERE reference = '\(alreadyBlank)'",
                                 on: store)
        let all = oldClosed + oldOpen + [newClosed, alreadyBlank]
        let before = try all.map { try store.deskFollowUp(reference: $0) }
        let events = try TestDatabase.rowCount("follow_up_event", store)
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: true, actor: "anna", now: desk(30_000)) == 3)
        #expect(try all.map { try store.deskFollowUp(reference: $0) } == before)
        #expect(try TestDatabase.rowCount("follow_up_event", store) == events)
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: false, actor: "anna", now: desk(30_000)) == 3)
        for (code, old) in zip(all, before) {
            let now = try #require(try store.deskFollowUp(reference: code))
            let old = try #require(old)
            if oldClosed.contains(code) {
                #expect(now.followUp.request.name == "" && now.followUp.request.phone == nil && now.followUp.request.email == nil)
                #expect(now.status == old.status)
                #expect(now.followUp.request.createdAt == old.followUp.request.createdAt)
                #expect(now.followUp.request.assessmentID == old.followUp.request.assessmentID)
                #expect(try store.history(reference: code).last
                        == FollowUpEvent(reference: code, at: desk(30_000), actor: "anna", from: old.status, to: old.status,
                                         note: "contact details removed"))
            } else {
                #expect(now == old)
                #expect(try store.history(reference: code).last?.note != "contact details removed")
            }
        }
        #expect(try TestDatabase.rowCount("follow_up_event", store) == events + 3)
        #expect(try TestDatabase.rowCount("follow_up", store) == all.count)
        #expect(try store.countFollowUps(status: .completed) == 2)
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: true, actor: "anna", now: desk(31_000)) == 0)
        #expect(try store.purgeContactDetails(before: at(10_000), dryRun: false, actor: "anna", now: desk(31_000)) == 0)
    }

    // MARK: Import

    @Test("an event's file imported twice: the first adds everything with its audit trail, the second nothing",
          arguments: StoreKind.available)
    func importTwice(_ kind: StoreKind) throws {
        let folder = try TempDir()
        let eventPath = folder.path("spring-fair.sqlite")
        // The laptop: three leads, one contacted there, one with a code the practice already uses.
        var references: [String] = []
        do {
            let laptop = try SQLiteKioskStore(path: eventPath)
            for (n, name) in ["Ana Pérez", "Sam Lee", "Kim Ito"].enumerated() {
                var lead = request(name: name, phone: n == 1 ? "555-010-0199" : "555-000-000\(n)", at: 1_740_823_200 + Double(n) * 60,
                                   event: "Spring Health Fair")
                try laptop.recordSessionStart(id: "S-\(n)", at: lead.createdAt.addingTimeInterval(-120), event: lead.event, language: "en")
                try laptop.saveAssessment(AssessmentRecord(
                    id: lead.assessmentID, createdAt: lead.createdAt, event: lead.event, language: "en",
                    answers: ["area": .choices(["neck"])], level: .selfCare, outcome: nil,
                    optionsShown: ["massage"], optionsLeftOut: []))
                lead.language = "en"
                references.append(try laptop.saveFollowUp(lead, makeCode: n == 2 ? { "TAK-ENN" } : randomCode))
            }
            try laptop.setStatus(reference: references[0], to: .contacted, actor: "fair staff", note: "called", now: at(1_740_830_000))
            try laptop.raiseAlert(Alert(assessmentID: "A-alert", createdAt: at(1_740_824_000), level: .urgent,
                                        outcome: "emergency", event: "Spring Health Fair"))
            try laptop.close()
        }
        let db = try TestDatabase(kind)
        let practice = try db.open()
        _ = try practice.saveFollowUp(request(name: "Already here", phone: "555 010 0199"), makeCode: { "TAK-ENN" })

        let first = try practice.importDatabase(from: eventPath, now: desk(0), makeCode: { "NEW-AAA" })
        #expect(first.followUps == ImportReport.Counts(added: 3))
        #expect(first.events == ImportReport.Counts(added: 4))
        #expect(first.assessments == ImportReport.Counts(added: 3))
        #expect(first.sessions == ImportReport.Counts(added: 3))
        #expect(first.alerts == ImportReport.Counts(added: 1))
        #expect(first.refusals == [])
        #expect(first.renamed == ["TAK-ENN -> NEW-AAA"])
        #expect(first.flagged.count == 1)
        let flagged = try #require(try practice.deskFollowUp(reference: first.flagged[0]))
        #expect(flagged.followUp.request.name == "Sam Lee" && flagged.flag == "same phone as TAK-ENN")
        #expect(try practice.history(reference: references[0]).map(\.actor) == ["kiosk", "fair staff"])
        #expect(try practice.history(reference: "NEW-AAA").last?.note
                == "imported from spring-fair.sqlite as NEW-AAA, was TAK-ENN there")

        let second = try db.open().importDatabase(from: eventPath, now: desk(100), makeCode: nil)
        #expect(second.added == 0)
        #expect(second.followUps == ImportReport.Counts(skipped: 3))
        #expect(second.alerts == ImportReport.Counts(skipped: 1))
        #expect(try TestDatabase.rowCount("follow_up", practice) == 4)
        #expect(try practice.practiceStats(event: "Spring Health Fair", since: nil).bookingRequests == 3)
    }

    // MARK: Staff PIN and numbers

    @Test("the staff PIN: 4 to 12 digits, five wrong tries lock it, longer each time, and the lock survives a new connection",
          arguments: StoreKind.available)
    func staffPin(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        #expect(try store.hasStaffPin() == false)
        #expect(try store.checkStaffPin("1234", now: Date()) == .notSet)
        try store.setStaffPin("4711")
        #expect(try store.checkStaffPin("4711", now: Date()) == .accepted)
        // A PIN is 4 to 12 digits.
        for pin in ["123", "abcd", "12a4", "12 34", "1234567890123", "", "١٢٣٤"] {
            #expect(throws: (any Error).self, "\(pin)") { try store.setStaffPin(pin) }
        }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for left in (1...4).reversed() { #expect(try store.checkStaffPin("0000", now: start) == .wrong(triesLeft: left)) }
        #expect(try store.checkStaffPin("0000", now: start) == .locked(until: start.addingTimeInterval(60)))
        let other = try db.open()
        #expect(try other.hasStaffPin())
        #expect(try other.checkStaffPin("4711", now: start.addingTimeInterval(30)) == .locked(until: start.addingTimeInterval(60)))
        // After the lock, one more wrong try locks for twice as long; a right PIN then resets the count.
        let later = start.addingTimeInterval(61)
        #expect(try other.checkStaffPin("1111", now: later) == .locked(until: later.addingTimeInterval(120)))
        let after = later.addingTimeInterval(121)
        #expect(try other.checkStaffPin("4711", now: after) == .accepted)
        #expect(try other.checkStaffPin("0000", now: after) == .wrong(triesLeft: 4), "a right PIN resets the count")
    }

    @Test("the practice's numbers are the same on both stores for the same records", arguments: StoreKind.available)
    func stats(_ kind: StoreKind) throws {
        let db = try TestDatabase(kind)
        let store = try db.open()
        for n in 0..<6 {
            try store.recordSessionStart(id: "s\(n)", at: at(1_000 + Double(n)), event: n < 4 ? "fair" : nil, language: n == 5 ? "es" : "en")
        }
        let levels: [TriageLevel] = [.selfCare, .selfCare, .doctorSoon, .emergency]
        for (n, level) in levels.enumerated() {
            try store.saveAssessment(AssessmentRecord(
                id: "a\(n)", createdAt: at(1_100 + Double(n)), event: "fair", language: "en",
                answers: ["area": .choices(n == 0 ? ["neck", "neck"] : ["lower_back"]), "cause": .choices(["sports"])],
                level: level, outcome: level == .selfCare ? nil : "see_doctor", optionsShown: ["massage", "heat"], optionsLeftOut: []))
        }
        let a = try store.saveFollowUp(request(at: 1_200, event: "fair"), makeCode: randomCode)
        _ = try store.saveFollowUp(request(at: 1_201, event: "fair"), makeCode: randomCode)
        try store.book(reference: a, appointment: slot("p", nine), actor: "d", note: nil, now: desk(1))
        let stats = try store.practiceStats(event: nil, since: nil)
        #expect(stats.sessions == 6 && stats.byLanguage == ["en": 5, "es": 1])
        #expect(stats.finishedSessions == 4 && stats.emergency == 1 && stats.doctorSoon == 1)
        #expect(stats.painAreas == ["neck": 1, "lower_back": 3] && stats.causes == ["sports": 4])
        #expect(stats.bookingRequests == 2 && stats.booked == 1 && stats.waiting == 1)
        #expect(stats.conversion == 0.5)
        #expect(stats.events == [EventStats(event: "fair", sessions: 4, finishedSessions: 4, bookingRequests: 2, conversion: 0.5),
                                 EventStats(event: nil, sessions: 2)])
        let fair = try store.practiceStats(event: "fair", since: at(1_002))
        #expect(fair.sessions == 2 && fair.finishedSessions == 4)
        #expect(try store.practiceStats(event: "none", since: nil) == PracticeStats.zero)
    }
}
