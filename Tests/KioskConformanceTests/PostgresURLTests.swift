import Foundation
import KioskPostgres
import KioskTestSupport
import KioskStore
import Testing

/// The `postgres://` URL and the password's sources: no server needed.
@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test("a full URL, defaults, IPv6, a Unix socket, sslmode")
    func parses() throws {
        let full = try PostgresURL("postgres://desk@db.example.org:6543/practice?sslmode=require", environment: [:])
        #expect(full.user == "desk" && full.host == "db.example.org" && full.port == 6543 && full.database == "practice")
        #expect(full.sslMode == .require)
        #expect(full.description == "postgres://desk@db.example.org:6543/practice?sslmode=require")
        let short = try PostgresURL("postgresql://kiosk@10.0.0.5/", environment: [:])
        #expect(short.port == 5432 && short.database == "kiosk" && short.sslMode == .prefer)
        let v6 = try PostgresURL("postgres://k@[::1]:5433/d?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: [:])
        #expect(v6.host == "::1" && v6.port == 5433 && v6.sslMode == .verifyFull && v6.sslRootCert == "/etc/ca.pem")
        let local = try PostgresURL("postgres:///practice", environment: ["USER": "anna"])
        #expect(local.host == nil && local.user == "anna" && local.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        let encoded = try PostgresURL("postgres://front%20desk@h/caf%C3%A9", environment: [:])
        #expect(encoded.user == "front desk" && encoded.database == "café")
    }

    @Test("a password in the URL is refused, and the message does not repeat it")
    func passwordRefused() {
        for text in ["postgres://kiosk:s3cret@h/db", "postgres://kiosk@h/db?password=s3cret"] {
            do {
                _ = try PostgresURL(text, environment: [:])
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains("PGPASSWORD"))
                #expect(!error.description.contains("s3cret"))
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test("malformed URLs: one line each, saying what is wrong", arguments: [
        "postgres://k@h:port/db", "postgres://k@h:70000/db", "postgres://k@h/db?sslmode=maybe",
        "postgres://k@h/db?sslmod=require", "postgres://k@h/a/b", "postgres://k@h /db", "postgres://k@[::1/db",
        "postgres://k@h/db?connect_timeout=0", "postgres://k@h;rm/db",
    ])
    func malformed(_ text: String) {
        do {
            _ = try PostgresURL(text, environment: [:])
            Issue.record("accepted \(text)")
        } catch {
            guard case let .unavailable(reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.hasPrefix("malformed PostgreSQL URL: "), "\(reason)")
            #expect(!reason.contains("\n"))
        }
    }

    @Test("the password: PGPASSWORD first, then a private ~/.pgpass line that matches (with * and escapes)")
    func password() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent(".pgpass").path
        try "# comment\nother:5432:*:kiosk:nope\ndb.example.org:*:practice:kiosk:pa\\:ss\\\\word\n*:*:*:desk:deskpw\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let url = try PostgresURL("postgres://kiosk@db.example.org:6543/practice", environment: [:])
        let desk = try PostgresURL("postgres://desk@db.example.org/practice", environment: [:])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(url.password(environment: ["HOME": home.path]) == nil, "a .pgpass others can read is ignored")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(url.password(environment: ["HOME": home.path]) == "pa:ss\\word")
        #expect(desk.password(environment: ["HOME": home.path]) == "deskpw")
        #expect(url.password(environment: ["HOME": home.path, "PGPASSWORD": "env"]) == "env")
        #expect(url.password(environment: ["HOME": "/nonexistent"]) == nil)
    }

    @Test("kiosk db roles: the kiosk role may not read names or contact details")
    func rolesSQL() throws {
        let sql = PostgresRoles.sql()
        #expect(sql.contains("GRANT SELECT (reference, status, booked_professional, booked_start, booked_end) ON follow_up TO relief_kiosk;"))
        #expect(sql.contains("GRANT INSERT ON session_start, alert, follow_up, follow_up_event TO relief_kiosk;"))
        // An assessment's columns, but not its link to a follow-up (only kiosk_link_visit sets that).
        let insert = try #require(sql.split(separator: "\n").first { $0.contains("GRANT INSERT (") && $0.contains("ON assessment") })
        #expect(insert.contains("answers_json") && !insert.contains("follow_up"))
        #expect(sql.contains("GRANT EXECUTE ON FUNCTION kiosk_check_return(text, text), kiosk_return_scores(text, text, text[]), "
            + "kiosk_link_visit(text, text, text) TO relief_kiosk;"))
        #expect(!sql.contains("name) ON follow_up TO relief_kiosk"))
        #expect(PostgresRoles.isValidName("relief_kiosk") && !PostgresRoles.isValidName("x; DROP TABLE y"))
    }
}
