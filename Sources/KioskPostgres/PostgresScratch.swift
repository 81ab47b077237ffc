#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import PostgresNIO

/// A plain connection for administration (tests, benchmarks): runs SQL as it is, with no
/// schema of the kiosk's. Not used by the kiosk itself.
public final class PostgresAdmin: @unchecked Sendable {
    let link: PostgresLink

    public init(url: String) throws(StoreError) {
        link = try PostgresLink(url: try PostgresURL(url))
    }

    /// Runs one or more statements.
    public func execute(_ sql: String) throws {
        try link.session { try $0.execute(sql) }
    }

    /// The first column of each row, as text (NULL as nil).
    public func strings(_ sql: String) throws -> [String?] {
        try link.session { session in
            try session.rows(PostgresQuery(unsafeSQL: sql)).map { try $0[0].decode(String?.self) }
        }
    }

    public func close() { link.close() }
}

/// A database of its own for one test or one benchmark run, made from an administrator's
/// URL (`KIOSK_TEST_POSTGRES_URL`) and dropped again by `drop()` (or when released).
public final class PostgresScratch: @unchecked Sendable {
    public let name: String
    /// The scratch database's URL: the administrator's, with another database.
    public let url: String
    let admin: PostgresAdmin
    private var dropped = false

    public init(adminURL: String) throws {
        let parsed = try PostgresURL(adminURL)
        admin = try PostgresAdmin(url: adminURL)
        name = "kiosk_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try admin.execute("CREATE DATABASE \(name)")
        var scratch = parsed
        scratch.database = name
        url = scratch.description
    }

    public func drop() {
        guard !dropped else { return }
        dropped = true
        try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        admin.close()
    }

    deinit { drop() }
}
#endif
