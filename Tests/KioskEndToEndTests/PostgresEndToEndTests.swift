import Foundation
import KioskTestSupport
import KioskCore
import KioskPostgres
import KioskStore
import Testing

#if PostgreSQL
/// The real `kiosk` binary on PostgreSQL: `KIOSK_DB=postgres://...`, the password in
/// PGPASSWORD only. Runs when KIOSK_TEST_POSTGRES_URL names a server (.ci/run starts one).
@Suite("kiosk on PostgreSQL", .serialized,
       .enabled(if: PostgresE2E.adminURL != nil, "KIOSK_TEST_POSTGRES_URL is not set: run .ci/run, or eval \"$(.ci/pg-server start)\" first"))
struct PostgresEndToEndTests {
    let session = Script.piped

    @Test("kiosk run, desk, stats, export and purge on a fresh PostgreSQL database; the password is never printed")
    func wholeDay() throws {
        let db = try PostgresE2E.scratch()
        defer { db.drop() }
        let env = ["KIOSK_DB": db.url]
        let run = try KioskBinary.run(["run"], input: session, environment: env)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let store = try PostgresKioskStore(url: db.url)
        let reference = try #require(try store.followUps(status: nil, limit: 5).first?.reference)
        #expect(run.stdout.contains(reference), "the code shown is the code stored")

        var outputs = [run]
        let list = try KioskBinary.run(["desk", "list", "--format", "json"], environment: env)
        #expect(list.status == 0 && list.stdout.contains(reference) && list.stdout.contains("Ana María Pérez"), "\(list.stderr)")
        let set = try KioskBinary.run(["desk", "set", reference, "contacted", "--note", "called back"], environment: env)
        #expect(set.status == 0, "\(set.stderr)")
        let show = try KioskBinary.run(["desk", "show", reference], environment: env)
        #expect(show.stdout.contains("called back") && show.stdout.contains("requested -> contacted"), "\(show.stdout)")
        let stats = try KioskBinary.run(["stats", "--format", "json"], environment: env)
        #expect(stats.status == 0 && stats.stdout.contains("\"bookingRequests\" : 1"), "\(stats.stdout) \(stats.stderr)")
        let csv = try KioskBinary.run(["export", "csv"], environment: env)
        #expect(csv.status == 0 && csv.stdout.contains(reference))
        let purge = try KioskBinary.run(["purge", "--older-than", "30"], environment: env)
        #expect(purge.status == 0 && purge.stdout.contains("Dry run: 0"), "\(purge.stdout)")
        let migrate = try KioskBinary.run(["db", "migrate"], environment: env)
        #expect(migrate.status == 0 && migrate.stdout.contains("up to date"))
        outputs += [list, set, show, stats, csv, purge, migrate]
        let password = try #require(ProcessInfo.processInfo.environment["PGPASSWORD"])
        for output in outputs {
            #expect(!output.stdout.contains(password) && !output.stderr.contains(password))
        }
    }

    @Test("kiosk import event.sqlite into PostgreSQL: the leads come home once; listed at the desk")
    func importEvent() throws {
        let event = KioskBinary.database("event.sqlite")
        let laptop = try KioskBinary.run(["run", "--event", "Spring Health Fair", "--db", event], input: session)
        #expect(laptop.status == 0)
        let reference = try #require(try SQLiteKioskStore(path: event).followUps(status: nil, limit: 1).first?.reference)
        let db = try PostgresE2E.scratch()
        defer { db.drop() }
        let first = try KioskBinary.run(["import", event, "--db", db.url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Follow-ups:   1 added, 0 skipped"), "\(first.stdout)")
        #expect(first.stdout.contains("into \(db.url)"))
        let again = try KioskBinary.run(["import", event, "--db", db.url])
        #expect(again.status == 0 && again.stdout.contains("Nothing new"), "\(again.stdout)")
        let list = try KioskBinary.run(["desk", "list", "--event", "Spring Health Fair", "--db", db.url])
        #expect(list.stdout.contains(reference) && list.stdout.contains("Ana María Pérez"))
    }

    @Test("two kiosk processes and a desk writing at once on their own connections lose nothing")
    func twoKiosksAndADesk() throws {
        let db = try PostgresE2E.scratch()
        defer { db.drop() }
        // Earlier requests the desk works through while both kiosks take new ones.
        let owner = try PostgresKioskStore(url: db.url)
        var generator = SystemRandomNumberGenerator()
        let earlier = try (0..<6).map { n in
            try owner.saveFollowUp(FollowUpRequest(
                assessmentID: "earlier-\(n)", createdAt: Date(timeIntervalSinceNow: -3_600), event: "earlier", language: "en",
                name: "Earlier \(n)", phone: "555-010-01\(n)0", email: nil, discipline: nil, professional: nil,
                preferredTimes: [], consent: true, afterMedicalClearance: false)) { ReferenceCode.make(using: &generator) }
        }
        let sessionsPerKiosk = 4
        let input = String(repeating: session, count: sessionsPerKiosk)
        let results = Collected<String>()
        let url = db.url
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            do {
                if index < 2 {
                    let result = try KioskBinary.run(["run", "--event", "kiosk \(index)", "--db", url], input: input)
                    if result.status == 0 { results.add("kiosk \(index)") } else { results.fail(KioskFailure(text: result.stderr)) }
                } else {
                    for reference in earlier {
                        let result = try KioskBinary.run(["desk", "set", reference, "contacted", "--db", url])
                        if result.status != 0 { results.fail(KioskFailure(text: result.stderr)) }
                    }
                    results.add("desk")
                }
            } catch {
                results.fail(error)
            }
        }
        let (wins, errors) = results.take()
        #expect(errors.isEmpty, "\(errors)")
        #expect(Set(wins) == ["kiosk 0", "kiosk 1", "desk"])
        let store = try PostgresKioskStore(url: db.url)
        let all = try store.followUps(FollowUpFilter(), limit: 100, offset: 0)
        #expect(all.count == 2 * sessionsPerKiosk + earlier.count)
        #expect(Set(all.map(\.reference)).count == all.count)
        for index in 0..<2 {
            #expect(try store.followUps(FollowUpFilter(event: "kiosk \(index)"), limit: 100, offset: 0).count == sessionsPerKiosk)
        }
        #expect(try store.countFollowUps(status: .contacted) == earlier.count)
        #expect(try store.countFollowUps(status: .requested) == 2 * sessionsPerKiosk)
        #expect(try store.practiceStats(event: nil, since: nil).sessions >= 2 * sessionsPerKiosk)
    }

    @Test("bad input: a malformed URL, no server, a wrong password, a newer schema: one line each, 69 or 74, nothing written")
    func badInput() throws {
        let db = try PostgresE2E.scratch()
        defer { db.drop() }
        let store = try PostgresKioskStore(url: db.url)
        let base = try PostgresURL(db.url)
        var closed = base
        closed.host = "127.0.0.1"
        closed.port = 1
        let cases: [(args: [String], env: [String: String], status: Int32, words: String)] = [
            (["run", "--db", "postgres://kiosk@127.0.0.1:port/db"], [:], 69, "malformed PostgreSQL URL"),
            (["desk", "list", "--db", "postgres://kiosk:hunter2@127.0.0.1/db"], [:], 69, "PGPASSWORD or ~/.pgpass"),
            (["run", "--db", closed.description], [:], 69, "cannot reach PostgreSQL at 127.0.0.1:1"),
            (["stats", "--db", db.url], ["PGPASSWORD": "wrong-password"], 69, "refused the login of \(base.user)"),
            (["import", "/nonexistent.sqlite", "--db", db.url], [:], 66, "does not exist"),
        ]
        for item in cases {
            let result = try KioskBinary.run(item.args, input: session, environment: item.env)
            #expect(result.status == item.status, "\(item.args): \(result.stderr)")
            #expect(result.stderr.contains(item.words), "\(item.args): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(item.args): \(result.stderr)")
            #expect(!result.stderr.contains("hunter2") && !result.stderr.contains("wrong-password"))
        }
        try store.executeForTesting("INSERT INTO kiosk_migrations (version, name) VALUES (99, 'from the future')")
        let newer = try KioskBinary.run(["run", "--db", db.url], input: session)
        #expect(newer.status == 74)
        #expect(newer.stderr.contains("schema version 99"), "\(newer.stderr)")
        #expect(newer.stderr.split(separator: "\n").count == 1)
        #expect(try store.rowCount("follow_up") == 0, "nothing written")
        #expect(try store.rowCount("session_start") == 0, "nothing written")
    }

    @Test("a returning client on PostgreSQL, the kiosk as its role of least privilege: the code and 4 digits lead back; the desk's role sees the visits")
    func returningWithRoles() throws {
        let db = try PostgresE2E.scratch()
        defer { db.drop() }
        let first = try KioskBinary.run(["run"], input: session, environment: ["KIOSK_DB": db.url])
        #expect(first.status == 0, "\(first.stderr)")
        let owner = try PostgresKioskStore(url: db.url)
        let code = try #require(try owner.followUps(status: nil, limit: 1).first?.reference)
        let suffix = String(db.name.suffix(8))
        let kioskRole = "kiosk_\(suffix)", deskRole = "desk_\(suffix)"
        let admin = try PostgresAdmin(url: db.url)
        defer {
            try? admin.execute("DROP OWNED BY \(kioskRole), \(deskRole)")
            try? admin.execute("DROP ROLE \(kioskRole), \(deskRole)")
            admin.close()
        }
        let roles = try KioskBinary.run(["db", "roles", "--kiosk-role", kioskRole, "--desk-role", deskRole])
        try admin.execute(roles.stdout)
        let password = try #require(ProcessInfo.processInfo.environment["PGPASSWORD"]).replacingOccurrences(of: "'", with: "''")
        try admin.execute("ALTER ROLE \(kioskRole) PASSWORD '\(password)'; ALTER ROLE \(deskRole) PASSWORD '\(password)'")
        func url(_ role: String) throws -> String {
            var parsed = try PostgresURL(db.url)
            parsed.user = role
            return parsed.description
        }
        var again = Array(Script.questionnaire.dropFirst())
        again[7] = "2"
        let back = try KioskBinary.run(["run"], input: Script.pipe(["I have been here before", code, "0199", "yes"] + again + ["no", ""]), environment: ["KIOSK_DB": try url(kioskRole)])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("Pain now: 5 → 2, down 3 points (60%)"), "\(back.stdout.suffix(1500))")
        #expect(!back.stdout.contains("Ana María Pérez") && !back.stdout.contains("555-010-0199"))
        #expect(back.stderr.isEmpty, "\(back.stderr)")
        let show = try KioskBinary.run(["desk", "show", code], environment: ["KIOSK_DB": try url(deskRole)])
        #expect(show.stdout.contains("Visits kept with this request (2"), "\(show.stdout) \(show.stderr)")
        let stats = try KioskBinary.run(["stats", "--format", "json"], environment: ["KIOSK_DB": try url(deskRole)])
        #expect(stats.stdout.contains("\"returningClients\" : 1"), "\(stats.stdout) \(stats.stderr)")
        let wrong = try KioskBinary.run(["run"], input: "i have a code\n\(code)\n0198\n", environment: ["KIOSK_DB": try url(kioskRole)])
        #expect(wrong.stdout.contains("do not match what we have"))
        let locks = try KioskBinary.run(["desk", "returning"], environment: ["KIOSK_DB": try url(deskRole)])
        #expect(locks.stdout.contains("1 wrong try in a row (1 in all)"), "\(locks.stdout) \(locks.stderr)")
    }

    @Test("kiosk db roles prints the two roles' GRANTs")
    func roles() throws {
        let result = try KioskBinary.run(["db", "roles", "--kiosk-role", "front_kiosk"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("GRANT INSERT ON session_start, alert, follow_up, follow_up_event TO front_kiosk;"))
        #expect(result.stdout.contains("GRANT EXECUTE ON FUNCTION kiosk_check_return(text, text)"))
        #expect(try KioskBinary.run(["db", "roles", "--kiosk-role", "x;y"]).status == 64)
    }
}

enum PostgresE2E {
    static var adminURL: String? {
        let value = ProcessInfo.processInfo.environment["KIOSK_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    static func scratch(_ name: String = #function) throws -> PostgresScratch {
        PostgresMarker.note("e2e \(name)")
        return try PostgresScratch(adminURL: try #require(adminURL))
    }
}

struct KioskFailure: Error, CustomStringConvertible { var text: String; var description: String { text } }
#else
/// A kiosk built without the trait PostgreSQL, given a postgres:// URL, says how to rebuild.
@Suite("kiosk without PostgreSQL support")
struct WithoutPostgresTests {
    @Test("a postgres:// URL: one line saying how to rebuild, exit 69")
    func rebuildHint() throws {
        let result = try KioskBinary.run(["desk", "list", "--db", "postgres://desk@127.0.0.1:5432/practice"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("KIOSK_POSTGRES=1 ./kiosk"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("kiosk db roles works without PostgreSQL support too")
    func roles() throws {
        let result = try KioskBinary.run(["db", "roles"])
        #expect(result.status == 0 && result.stdout.contains("relief_kiosk"))
    }
}
#endif
