import Foundation
import KioskStore

/// A `postgres://USER@HOST:PORT/DB?sslmode=...` location, parsed and checked. It never holds
/// a password: that comes from `PGPASSWORD` or `~/.pgpass` (`password(environment:)`), so
/// it is never on a command line, in a process list or in a message.
///
/// This part needs no PostgreSQL library: a kiosk built without PostgreSQL support still
/// recognises the URL and says how to rebuild.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`, as far as the kiosk supports it.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked (as libpq's `require`).
        case require
        /// TLS, the certificate checked against `sslrootcert` (or the system's roots), not the name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var user: String
    /// A host name or IP address; nil for the local server's Unix socket in `socketDirectory`.
    public var host: String?
    public var socketDirectory: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust (verify-ca, verify-full).
    public var sslRootCert: String?
    public var connectTimeoutSeconds: Int

    /// The query parameters the kiosk understands; any other is refused (a typo must not
    /// silently turn TLS off).
    public static let parameters = ["sslmode", "sslrootcert", "connect_timeout", "host", "port", "user", "dbname"]

    /// True for a text that is meant as a PostgreSQL URL (it may still be malformed).
    public static func isPostgres(_ text: String) -> Bool { StoreLocation.isPostgres(text) }

    /// - Throws: `StoreError.unavailable` with one line saying what is wrong.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        func bad(_ why: String) -> StoreError {
            .unavailable(reason: "malformed PostgreSQL URL: \(why) (expected postgres://USER@HOST:PORT/DATABASE)")
        }
        guard Self.isPostgres(text), let schemeEnd = text.range(of: "://") else { throw bad("it must start with postgres://") }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) }) else {
            throw bad("it holds spaces or control characters")
        }
        var rest = String(text[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        if rest.contains("#") { throw bad("it holds a '#'") }
        var authority = rest, path = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = String(rest[..<slash])
            path = String(rest[rest.index(after: slash)...])
        }
        var user: String?, hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = String(authority[..<at])
            hostPort = String(authority[authority.index(after: at)...])
            if userInfo.contains(":") {
                throw StoreError.unavailable(reason: "the PostgreSQL URL holds a password: remove it, and give the password "
                    + "in PGPASSWORD or ~/.pgpass (mode 0600) instead")
            }
            guard let decoded = userInfo.removingPercentEncoding, !decoded.isEmpty else { throw bad("the user name is empty or badly encoded") }
            user = decoded
        }
        var host: String?, port: Int?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw bad("an IPv6 address lacks its ']'") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let n = Int(after.dropFirst()) else { throw bad("the port is not a number") }
                port = n
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let n = Int(hostPort[hostPort.index(after: colon)...]) else { throw bad("the port is not a number") }
            port = n
        } else {
            host = hostPort
        }
        if let h = host {
            guard let decoded = h.removingPercentEncoding else { throw bad("the host is badly encoded") }
            host = decoded.isEmpty ? nil : decoded
        }
        if let h = host, !h.allSatisfy({ $0.isLetter || $0.isNumber || "-._:".contains($0) }) {
            throw bad("the host '\(h)' is not a host name or address")
        }
        guard !path.contains("/") else { throw bad("the database name holds a '/'") }
        guard let database = path.removingPercentEncoding else { throw bad("the database name is badly encoded") }

        var sslMode = SSLMode.prefer, rootCert: String?, timeout = 10
        var socketDirectory = "/var/run/postgresql"
        var queryUser: String?, queryDatabase: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = parts[0].removingPercentEncoding,
                  let value = parts[1].removingPercentEncoding else { throw bad("the parameter '\(pair)' is not NAME=VALUE") }
            switch key {
            case "sslmode":
                if value == "allow" { sslMode = .prefer; continue }
                guard let mode = SSLMode(rawValue: value) else {
                    throw bad("sslmode is one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'")
                }
                sslMode = mode
            case "sslrootcert": rootCert = value
            case "connect_timeout":
                guard let n = Int(value), n >= 1, n <= 600 else { throw bad("connect_timeout is 1 to 600 seconds") }
                timeout = n
            case "host":
                if value.hasPrefix("/") { socketDirectory = value; if host == nil { host = nil } }
                else { host = value }
            case "port":
                guard let n = Int(value) else { throw bad("the port is not a number") }
                port = n
            case "user": queryUser = value
            case "dbname": queryDatabase = value
            case "password":
                throw StoreError.unavailable(reason: "the PostgreSQL URL holds a password: remove it, and give the password "
                    + "in PGPASSWORD or ~/.pgpass (mode 0600) instead")
            default:
                throw bad("unknown parameter '\(key)' (known: \(Self.parameters.joined(separator: ", ")))")
            }
        }
        if let port, !(1...65535).contains(port) { throw bad("the port \(port) is not 1 to 65535") }
        let login = queryUser ?? user ?? environment["PGUSER"] ?? environment["USER"] ?? NSUserName()
        guard !login.isEmpty else { throw bad("no user name") }
        self.user = login
        self.host = host
        self.socketDirectory = socketDirectory
        self.port = port ?? 5432
        self.database = queryDatabase ?? (database.isEmpty ? login : database)
        self.sslMode = sslMode
        self.sslRootCert = rootCert
        self.connectTimeoutSeconds = timeout
    }

    /// The Unix socket of a local server (no host in the URL).
    public var socketPath: String { "\(socketDirectory)/.s.PGSQL.\(port)" }

    /// The URL as the kiosk shows it: without a password (it never has one).
    public var description: String {
        func encode(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? s
        }
        var text = "postgres://\(encode(user))@"
        if let host { text += host.contains(":") ? "[\(host)]" : host }
        text += ":\(port)/\(encode(database))"
        var query: [String] = []
        if host == nil { query.append("host=\(socketDirectory)") }
        if sslMode != .prefer { query.append("sslmode=\(sslMode.rawValue)") }
        return query.isEmpty ? text : text + "?" + query.joined(separator: "&")
    }

    /// The password for this URL: `PGPASSWORD`, else the first matching line of the password
    /// file (`PGPASSFILE`, else `~/.pgpass`) when only its owner can read it, as libpq does.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let file = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue,
              permissions & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let hostKey = host ?? "localhost"
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.passFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [hostKey, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The fields of a .pgpass line: ':' separates, '\' escapes ':' and '\'.
    static func passFields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == ":" && fields.count < 4 { fields.append(current); current = ""; continue }
            current.append(character)
        }
        fields.append(current)
        return fields
    }
}
