#if PostgreSQL
import Foundation
import KioskCore
import KioskStore
import Logging
import PostgresNIO

/// One connection to the PostgreSQL server, used synchronously from the caller's thread
/// (the store protocols are synchronous): each call sends its statements and waits for the
/// answers with `wait()`, never on one of SwiftNIO's threads. Calls from several threads
/// take turns (a lock), so a transaction never mixes with another's statements.
///
/// A connection that breaks (the server restarted, the network dropped) is dropped: the
/// call that noticed throws, and the next call connects again.
final class PostgresLink: @unchecked Sendable {
    let url: PostgresURL
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var nextID = 1
    /// postgres-nio logs nothing here: a log line could hold a query's values.
    private let logger = Logger(label: "relief-kiosk.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(url: PostgresURL) throws(StoreError) {
        self.url = url
        lock.lock()
        defer { lock.unlock() }
        connection = try connect()
    }

    /// Where the server is, for messages.
    var place: String { url.host.map { "\($0):\(url.port)" } ?? url.socketPath }

    // MARK: - Connecting

    private func connect() throws(StoreError) -> PostgresConnection {
        let password = url.password()
        var configuration: PostgresConnection.Configuration
        if let host = url.host {
            configuration = PostgresConnection.Configuration(
                host: host, port: url.port, username: url.user, password: password, database: url.database,
                tls: try tls())
        } else {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: url.socketPath, username: url.user, password: password, database: url.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("application_name", "relief-kiosk")]
        let id = nextID
        nextID += 1
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                  configuration: configuration, id: id, logger: logger).wait()
        } catch {
            throw connectError(error, passwordGiven: password != nil)
        }
    }

    private func tls() throws(StoreError) -> PostgresConnection.Configuration.TLS {
        guard url.sslMode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let root = url.sslRootCert {
            tls.trustRoots = .file(root)
        }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return url.sslMode == .prefer ? .prefer(context) : .require(context)
        } catch {
            throw StoreError.unavailable(reason: "cannot set up TLS for \(place): \(StoreError.oneLine(String(describing: error)))")
        }
    }

    /// One line for a connection that could not be made.
    private func connectError(_ error: any Error, passwordGiven: Bool) -> StoreError {
        let who = "\(url.user)@\(place)/\(url.database)"
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = StoreError.oneLine(error.serverInfo?[.message] ?? "refused")
                switch state {
                case "28P01", "28000":
                    let hint = passwordGiven ? "check PGPASSWORD or ~/.pgpass" : "no password was found in PGPASSWORD or ~/.pgpass (mode 0600)"
                    return .unavailable(reason: "PostgreSQL at \(place) refused the login of \(url.user): \(message); \(hint)")
                case "3D000":
                    return .unavailable(reason: "PostgreSQL at \(place) has no database \(url.database): create it (createdb \(url.database)) or fix the URL")
                default:
                    return .unavailable(reason: "PostgreSQL at \(place) refused the connection for \(who): \(message)")
                }
            case .sslUnsupported:
                return .unavailable(reason: "PostgreSQL at \(place) does not offer TLS, and the URL asks for it (sslmode=\(url.sslMode.rawValue))")
            case .authMechanismRequiresPassword:
                return .unavailable(reason: "PostgreSQL at \(place) wants a password for \(url.user): set PGPASSWORD or add a line to ~/.pgpass (mode 0600)")
            case .unsupportedAuthMechanism:
                return .unavailable(reason: "PostgreSQL at \(place) asks for a login method the kiosk does not support (use scram-sha-256 or md5)")
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .failedToAddSSLHandler:
                return .unavailable(reason: "cannot reach PostgreSQL at \(place): \(Self.cause(error.underlying ?? error))")
            default:
                return .unavailable(reason: "cannot connect to PostgreSQL at \(place): \(Self.cause(error.underlying ?? error))")
            }
        }
        return .unavailable(reason: "cannot reach PostgreSQL at \(place): \(Self.cause(error))")
    }

    /// The root cause of a network error in a few words ("Connection refused").
    static func cause(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if error.code == .sslUnsupported { return "the server does not offer TLS" }
            if let underlying = error.underlying { return cause(underlying) }
            return "\(error.code)"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return cause(first.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "the host name was not found (\(cause(dns)))" }
            return "no address to connect to"
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "no answer in time (connect_timeout)" }
        if let error = error as? NIOSSLError { return "TLS failed (\(StoreError.oneLine(String(describing: error))))" }
        if let error = error as? BoringSSLError { return "TLS failed (\(StoreError.oneLine(String(describing: error))))" }
        if let error = error as? SocketAddressError { return "the host name was not found (\(StoreError.oneLine(String(describing: error))))" }
        return StoreError.oneLine(String(describing: error))
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        if let connection { try? connection.close().wait() }
        connection = nil
    }

    deinit {
        if let connection { try? connection.close().wait() }
    }

    // MARK: - Using

    /// Runs `body` with the connection, connecting first if the last one broke.
    /// A `DeskError` thrown by `body` comes out as it is; everything else as a `StoreError`.
    func session<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if connection == nil || connection!.isClosed {
            connection = nil
            connection = try connect()
        }
        let session = PostgresSession(connection: connection!, logger: logger)
        do {
            return try body(session)
        } catch let error as DeskError {
            throw error
        } catch let error as StoreError {
            if connection?.isClosed ?? true { connection = nil }
            throw error
        } catch {
            let mapped = storeError(error)
            if connection?.isClosed ?? true { connection = nil }
            throw mapped
        }
    }

    /// `BEGIN ... COMMIT`: returns only after COMMIT came back as COMMIT. On any error the
    /// transaction is rolled back (or died with the connection) and the error comes out.
    func transaction<T>(_ begin: String = "BEGIN", _ body: (PostgresSession) throws -> T) throws -> T {
        try session { session in
            try session.execute(begin)
            let result: T
            do {
                result = try body(session)
            } catch {
                if !session.connection.isClosed { try? session.execute("ROLLBACK") }
                throw error
            }
            let tag = try session.run("COMMIT").metadata.command
            guard tag == "COMMIT" else {
                throw StoreError.io(reason: "the database rolled the transaction back (\(tag))")
            }
            return result
        }
    }

    /// A one-line `StoreError` for a failure while using the connection.
    func storeError(_ error: any Error) -> StoreError {
        if let error = error as? ReferenceCode.NoFreeCode { return .noFreeReference(attempts: error.attempts) }
        guard let error = error as? PSQLError else {
            if let error = error as? PostgresDecodingError {
                return .io(reason: "unexpected data in column \(error.columnName) (\(error.code))")
            }
            return .io(reason: Self.cause(error))
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = StoreError.oneLine(error.serverInfo?[.message] ?? "error \(state)")
            if state == "42501" {
                return .io(reason: "\(message) (the role \(url.user) may not do this; see kiosk db roles)")
            }
            if state.hasPrefix("57P") || state.hasPrefix("08") {
                return .io(reason: "the connection to PostgreSQL at \(place) was lost (\(message))")
            }
            return .io(reason: message)
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
            return .io(reason: "the connection to PostgreSQL at \(place) was lost (\(Self.cause(error.underlying ?? error)))")
        default:
            return .io(reason: "PostgreSQL at \(place): \(Self.cause(error))")
        }
    }
}

/// The statements of one call, on the link's connection.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and collects its rows.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try connection.query(query, logger: logger).wait()
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try run(query).rows.map { $0.makeRandomAccess() }
    }

    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }

    /// Runs SQL without parameters, one statement after another (the extended protocol
    /// postgres-nio speaks takes one statement at a time).
    func execute(_ sql: String) throws {
        for statement in Self.statements(sql) {
            try run(PostgresQuery(unsafeSQL: statement))
        }
    }

    /// `sql` split at its semicolons, minding quotes, `$$` bodies and `--` comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = [], current = ""
        var quote: Character?, dollar = false, comment = false
        var previous: Character = " "
        for character in sql {
            if comment {
                if character == "\n" { comment = false }
                current.append(character)
            } else if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if dollar {
                current.append(character)
                if character == "$" && previous == "$" { dollar = false; previous = " "; continue }
            } else if character == "$" && previous == "$" {
                dollar = true
                current.append(character)
                previous = " "
                continue
            } else if character == "-" && previous == "-" {
                comment = true
                current.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                current.append(character)
            } else if character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        statements.append(current)
        return statements.filter { statement in
            // Skip what holds nothing but blanks and comments.
            statement.split(separator: "\n").contains { line in
                let text = line.trimmingCharacters(in: .whitespaces)
                return !text.isEmpty && !text.hasPrefix("--")
            }
        }
    }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    func changes(_ query: PostgresQuery) throws -> Int {
        try run(query).metadata.rows ?? 0
    }

    /// The SQL state of a server error ("23505"), if it is one.
    static func state(_ error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }
}
#endif
