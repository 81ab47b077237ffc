import Foundation
import GRDB
import KioskCore

/// What can go wrong with the kiosk's database, as facts a person can act on.
/// The caller maps `.cannotCreate` to exit 73 (EX_CANTCREAT) and the rest to 74 (EX_IOERR).
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The database folder or file cannot be created, opened or written.
    case cannotCreate(path: String, reason: String)
    /// Reading or writing failed (not a database, corrupt, disk full, busy for too long...).
    case io(reason: String)
    /// The file was set up by a newer version of the kiosk.
    case newerSchema(found: Int, known: Int)
    /// `makeCode` kept returning reference codes that are already in use.
    case noFreeReference(attempts: Int)
    /// The database server cannot be used: a malformed URL, not reachable, credentials
    /// refused, TLS refused (PostgreSQL). The caller maps it to 69 (EX_UNAVAILABLE).
    case unavailable(reason: String)
    /// The location is shaped like a URL whose scheme is not PostgreSQL's (a typo such as
    /// `postgress://`): refused, never taken as a path. The caller maps it to 64 (EX_USAGE).
    case notALocation(scheme: String)
    /// No database at this path, and the command may not create one. Maps to 66 (EX_NOINPUT).
    case noDatabase(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason):
            return "cannot create or open the database \(path): \(reason)"
        case let .io(reason):
            return "database error: \(reason)"
        case let .newerSchema(found, known):
            return "the database has schema version \(found), but this kiosk knows only up to \(known): "
                + "update the kiosk program"
        case let .noFreeReference(attempts):
            return "no free reference code after \(attempts) attempts"
        case let .unavailable(reason):
            return reason
        case let .notALocation(scheme):
            return "\(scheme):// is not a database the kiosk knows: give postgres:// (or postgresql://) "
                + "for PostgreSQL, or the path of a SQLite file; check --db and KIOSK_DB. Nothing was created"
        case let .noDatabase(path, reason):
            return "there is no database at \(path) (\(reason)): check --db and KIOSK_DB. "
                + "Nothing was created (`kiosk db migrate --db PATH` or `kiosk run` creates one)"
        }
    }
}

extension StoreError {
    /// A one-line message for an error thrown while using an open database.
    static func wrap(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? ReferenceCode.NoFreeCode { return .noFreeReference(attempts: error.attempts) }
        if let error = error as? DatabaseError { return .io(reason: DatabaseError.explain(error)) }
        return .io(reason: oneLine(String(describing: error)))
    }

    /// Errors met while opening `path`: some mean "cannot create", others are I/O.
    static func opening(_ path: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return .io(reason: oneLine(String(describing: error))) }
        switch error.resultCode {
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return .cannotCreate(path: path, reason: DatabaseError.explain(error))
        default:
            return file(path, error, notADatabase: "; move it away or choose another file")
        }
    }

    /// What is wrong with the SQLite file at `path`: not a database (then `notADatabase`
    /// follows), damaged, or SQLite's own reason.
    static func file(_ path: String, _ error: DatabaseError, notADatabase advice: String = "") -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .io(reason: "\(path) is not a SQLite database (or is encrypted)" + advice)
        case .SQLITE_CORRUPT:
            return .io(reason: "\(path) is damaged (database disk image is malformed)")
        default:
            return .io(reason: "\(path): \(DatabaseError.explain(error))")
        }
    }

    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension DatabaseError {
    /// SQLite's short message, without the SQL and arguments GRDB adds to `description`.
    static func explain(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "the database stayed locked by another program for too long"
        case .SQLITE_FULL:
            return "the disk is full"
        case .SQLITE_READONLY:
            return "the database file is read-only"
        case .SQLITE_CANTOPEN:
            return "unable to open the database file"
        case .SQLITE_PERM, .SQLITE_AUTH:
            return "permission denied"
        case .SQLITE_NOTADB:
            return "file is not a database"
        case .SQLITE_CORRUPT:
            return "the database file is damaged"
        default:
            let message = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
            return StoreError.oneLine(message)
        }
    }
}
