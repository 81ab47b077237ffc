#if PostgreSQL
import Foundation
import KioskCore
@testable import KioskPostgres
import KioskTestSupport
import KioskStore
import Testing

/// What only PostgreSQL has: migrations on a shared server, roles, TLS, a connection that
/// breaks. Each test gets a database of its own.
@Suite("PostgreSQL store", .enabled(if: PostgresTests.url != nil, Comment(rawValue: PostgresTests.howToRun)))
struct PostgresOnlyTests {
    private func scratch(_ name: String = #function) throws -> PostgresScratch {
        PostgresTests.ran(name)
        return try PostgresScratch(adminURL: try #require(PostgresTests.url))
    }

    @Test("a fresh database gets the schema and a kiosk_migrations row; durability settings are the server's safe defaults")
    func freshSchema() throws {
        let db = try scratch()
        defer { db.drop() }
        let store = try PostgresKioskStore(url: db.url)
        let settings = try store.connectionSettings()
        #expect(settings.schemaVersion == PostgresKioskStore.schemaVersion)
        #expect(settings.synchronousCommit == "on")
        #expect(try store.rowCount("kiosk_migrations") == PostgresKioskStore.migrations.count)
        // Opening again migrates nothing.
        _ = try PostgresKioskStore(url: db.url)
        #expect(try store.rowCount("kiosk_migrations") == PostgresKioskStore.migrations.count)
    }

    @Test("a kiosk and a desk opening a fresh database at the same moment both get a working store")
    func concurrentFirstOpen() throws {
        let db = try scratch()
        defer { db.drop() }
        let outcomes = Collected<String>()
        let url = db.url
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do { outcomes.add(try PostgresKioskStore(url: url).saveFollowUp(request(), makeCode: randomCode)) }
            catch { outcomes.fail(error) }
        }
        let (codes, errors) = outcomes.take()
        #expect(errors.isEmpty, "\(errors)")
        #expect(codes.count == 3)
    }

    @Test("a database whose schema is newer than this kiosk is refused in one line, and nothing is written")
    func newerSchema() throws {
        let db = try scratch()
        defer { db.drop() }
        let store = try PostgresKioskStore(url: db.url)
        let migrations = try store.rowCount("kiosk_migrations")
        try store.executeForTesting("INSERT INTO kiosk_migrations (version, name) VALUES (99, 'from the future')")
        let before = try store.rowCount("follow_up")
        #expect(throws: StoreError.newerSchema(found: 99, known: PostgresKioskStore.schemaVersion)) {
            _ = try PostgresKioskStore(url: db.url)
        }
        #expect(try store.rowCount("follow_up") == before)
        #expect(try store.rowCount("kiosk_migrations") == migrations + 1)
    }

    @Test("the kiosk role saves a whole session but cannot SELECT a name, phone or email; the desk role does the desk's work")
    func leastPrivilege() throws {
        let db = try scratch()
        defer { db.drop() }
        let owner = try PostgresKioskStore(url: db.url)
        let firstVisit = AssessmentRecord(id: "a-first", createdAt: Date(), event: nil, language: "en",
                                          answers: ["area": .choices(["neck"]), "pain_now": .scale(7)], level: .selfCare,
                                          outcome: nil, optionsShown: [], optionsLeftOut: [])
        try owner.saveAssessment(firstVisit)
        var secret = request(name: "Secret Name", phone: "555-123-4567")
        secret.assessmentID = firstVisit.id
        let waiting = try owner.saveFollowUp(secret, makeCode: randomCode)
        try owner.setStaffPin("4711")
        // Roles are per server: names of this test's own, the password the tests' (PGPASSWORD).
        let suffix = String(db.name.suffix(8))
        let kioskRole = "kiosk_\(suffix)", deskRole = "desk_\(suffix)"
        let password = try #require(ProcessInfo.processInfo.environment["PGPASSWORD"])
        let admin = try PostgresAdmin(url: db.url)
        defer {
            try? admin.execute("DROP OWNED BY \(kioskRole), \(deskRole)")
            try? admin.execute("DROP ROLE \(kioskRole), \(deskRole)")
            admin.close()
        }
        try admin.execute(PostgresRoles.sql(kiosk: kioskRole, desk: deskRole))
        let quoted = password.replacingOccurrences(of: "'", with: "''")
        try admin.execute("ALTER ROLE \(kioskRole) PASSWORD '\(quoted)'; ALTER ROLE \(deskRole) PASSWORD '\(quoted)'")
        func url(_ role: String) throws -> String {
            var parsed = try PostgresURL(db.url)
            parsed.user = role
            return parsed.description
        }

        let kiosk = try PostgresKioskStore(url: try url(kioskRole))
        for column in ["name", "phone", "email", "notes", "assessment_id"] {
            do {
                try kiosk.executeForTesting("SELECT \(column) FROM follow_up")
                Issue.record("the kiosk role read \(column)")
            } catch {
                #expect("\(error)".contains("permission denied"), "\(column): \(error)")
            }
        }
        #expect(throws: (any Error).self) { _ = try kiosk.followUp(reference: waiting) }
        #expect(throws: (any Error).self) { _ = try kiosk.find("Secret", limit: 5) }
        #expect(throws: (any Error).self) { try kiosk.executeForTesting("SELECT answers_json FROM assessment") }
        // What a kiosk does in a session works.
        try kiosk.recordSessionStart(id: "s-1", at: Date(), event: nil, language: "en")
        try kiosk.saveAssessment(AssessmentRecord(id: "a-1", createdAt: Date(), event: nil, language: "en",
                                                  answers: ["area": .choices(["neck"])], level: .selfCare, outcome: nil,
                                                  optionsShown: [], optionsLeftOut: []))
        try kiosk.raiseAlert(Alert(assessmentID: "a-1", createdAt: Date(), level: .soon, outcome: "see_doctor", event: nil))
        let codes = Codes([waiting])  // taken: draws again without reading anything
        let code = try kiosk.saveFollowUp(request(name: "New Client"), makeCode: codes.next)
        #expect(code != waiting)
        #expect(try kiosk.hasStaffPin())
        #expect(try kiosk.checkStaffPin("4711", now: Date()) == .accepted)
        _ = try kiosk.appointments(professional: nil, from: at(0), until: at(nine * 2))  // the free slots
        #expect(throws: (any Error).self) { try kiosk.setStatus(reference: code, to: .contacted, actor: "k", note: nil, now: Date()) }

        // A returning client: the kiosk checks a code and its factor only through the function
        // that answers yes or no, gets the scores of the last visit for a right pair, and links
        // today's visit; it reads no link, no guard, no answer, and cannot link by itself.
        #expect(try kiosk.checkReturning(reference: waiting, factor: "4567", kiosk: "k", questions: ["pain_now"], now: Date())
            == .admitted(scores: ["pain_now": 7]))
        #expect(try kiosk.checkReturning(reference: waiting, factor: "4568", kiosk: "k", questions: ["pain_now"], now: Date())
            == .refused)
        #expect(try !kiosk.returnLocks().isEmpty, "the kiosk counts its own wrong tries")
        for sql in ["SELECT follow_up FROM assessment", "SELECT * FROM return_guard",
                    "UPDATE assessment SET follow_up = '\(waiting)' WHERE id = 'a-1'",
                    "INSERT INTO assessment (id, created_at, language, answers_json, level, follow_up) "
                        + "VALUES ('a-x', now(), 'en', '{}', 'self_care', '\(waiting)')"] {
            do {
                try kiosk.executeForTesting(sql)
                Issue.record("the kiosk role ran: \(sql)")
            } catch {
                #expect("\(error)".contains("permission denied"), "\(sql): \(error)")
            }
        }
        #expect(throws: (any Error).self) { _ = try kiosk.linkedVisits(references: [waiting], questions: ["pain_now"]) }
        #expect(throws: (any Error).self) { _ = try kiosk.returningOutcomes(questions: ["pain_now"], event: nil, since: nil) }
        #expect(try !kiosk.linkVisit(assessmentID: "a-1", reference: waiting, factor: "0000", now: Date()))
        #expect(try kiosk.linkVisit(assessmentID: "a-1", reference: waiting, factor: "4567", now: Date()))

        // On an empty database the kiosk role may not create the tables: it says what to do.
        let empty = try PostgresScratch(adminURL: try #require(PostgresTests.url))
        defer { empty.drop() }
        var emptyURL = try PostgresURL(empty.url)
        emptyURL.user = kioskRole
        do {
            _ = try PostgresKioskStore(url: emptyURL)
            Issue.record("the kiosk role created the schema")
        } catch {
            #expect(error.description.contains("run `kiosk db migrate` once as the owner"), "\(error)")
        }

        let front = try PostgresKioskStore(url: try url(deskRole))
        #expect(try front.followUp(reference: code)?.request.name == "New Client")
        #expect(try front.linkedVisits(references: [waiting], questions: ["pain_now"])[waiting]?.count == 2,
                "the desk sees the visit the kiosk linked")
        #expect(try front.returnLocks().first?.totalFailures == 1)
        try front.setStatus(reference: code, to: .contacted, actor: "desk", note: nil, now: desk(1))
        try front.book(reference: waiting, appointment: slot("p", nine), actor: "desk", note: nil, now: desk(2))
        #expect(try front.alerts(includeAcknowledged: false).count == 1)
        #expect(try front.practiceStats(event: nil, since: nil).bookingRequests == 2)
        #expect(try front.purgeContactDetails(before: Date(), dryRun: true, actor: "desk", now: Date()) == 0)
        #expect(throws: (any Error).self) { try front.executeForTesting("DELETE FROM follow_up") }
        #expect(throws: (any Error).self) { try front.executeForTesting("DROP TABLE follow_up") }
        kiosk.close()
        front.close()
    }

    @Test("a connection lost in the middle of saving a request: not acknowledged, nothing half-written, the next client is saved")
    func lostConnection() throws {
        let db = try scratch()
        defer { db.drop() }
        let kiosk = try PostgresKioskStore(url: db.url)
        _ = try kiosk.saveFollowUp(request(name: "before"), makeCode: randomCode)
        // Another session holds a lock the kiosk's insert of the audit event must wait for.
        let blocker = try PostgresAdmin(url: db.url)
        defer { blocker.close() }
        try blocker.execute("BEGIN; LOCK TABLE follow_up_event IN EXCLUSIVE MODE")
        let outcome = Collected<String>()
        let thread = Thread {
            do { outcome.add(try kiosk.saveFollowUp(request(name: "in flight"), makeCode: randomCode)) }
            catch { outcome.fail(error) }
        }
        thread.start()
        // Wait until the kiosk's transaction waits on the lock, then kill its connection.
        let killer = try PostgresAdmin(url: db.url)
        defer { killer.close() }
        var killed = false
        for _ in 0..<100 {
            let pids = try killer.strings("""
                SELECT pid::text FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'relief-kiosk' AND wait_event_type = 'Lock'
                """)
            if let pid = pids.first ?? nil {
                _ = try killer.strings("SELECT pg_terminate_backend(\(pid))::text")
                killed = true
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(killed)
        try blocker.execute("ROLLBACK")
        var (codes, errors) = outcome.take()
        for _ in 0..<100 where codes.isEmpty && errors.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
            (codes, errors) = outcome.take()
        }
        #expect(codes.isEmpty, "acknowledged although the connection died before COMMIT")
        #expect(errors.count == 1)
        if let error = errors.first as? StoreError { #expect(!error.description.contains("\n")) }
        #expect(try killer.strings("SELECT count(*)::text FROM follow_up WHERE name = 'in flight'") == ["0"])
        // The kiosk reconnects for the next client.
        let next = try kiosk.saveFollowUp(request(name: "next client"), makeCode: randomCode)
        #expect(try kiosk.followUp(reference: next)?.request.name == "next client")
    }

    @Test("sslmode=require uses TLS (when the test server offers it) or is refused in one line; disable does not")
    func tls() throws {
        let db = try scratch()
        defer { db.drop() }
        let plain = try PostgresKioskStore(url: db.url + (db.url.contains("?") ? "&" : "?") + "sslmode=disable")
        #expect(try plain.connectionSettings().tls == false)
        let offered = try PostgresAdmin(url: db.url).strings("SHOW ssl") == ["on"]
        do {
            let secure = try PostgresKioskStore(url: db.url + (db.url.contains("?") ? "&" : "?") + "sslmode=require")
            #expect(offered)
            #expect(try secure.connectionSettings().tls)
        } catch {
            #expect(!offered, "\(error)")
            #expect("\(error)".contains("does not offer TLS"))
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test("an unreachable server, a missing database and a wrong password: one line each, StoreError.unavailable")
    func refusedConnections() throws {
        let base = try PostgresURL(try #require(PostgresTests.url))
        var closed = base
        closed.host = "127.0.0.1"
        closed.port = 1
        var missing = base
        missing.database = "kiosk_no_such_database"
        PostgresTests.ran(#function)
        for (url, words) in [(closed.description, "cannot reach PostgreSQL at 127.0.0.1:1"),
                             (missing.description, "has no database kiosk_no_such_database")] {
            do {
                _ = try PostgresKioskStore(url: url)
                Issue.record("connected to \(url)")
            } catch {
                guard case let .unavailable(reason) = error else { Issue.record("\(error)"); continue }
                #expect(reason.contains(words), "\(reason)")
                #expect(!reason.contains("\n"))
            }
        }
    }
}
#endif
