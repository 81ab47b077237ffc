#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `--db` or `KIOSK_DB` text names: a PostgreSQL URL or a SQLite file's path.
///
/// Anything shaped like a URL (`scheme://`) is a URL, never a path: a mistyped
/// `postgress://desk@db/relief` taken as a path would quietly become a folder `postgress:`
/// holding a new, empty database where no desk ever looks.
public enum StoreLocation {
    /// The URL schemes that name a PostgreSQL database.
    public static let postgresSchemes = ["postgres", "postgresql"]

    /// The scheme of a text shaped like a URL (RFC 3986: a letter, then letters, digits,
    /// `+`, `-` or `.`, then `://`), lower-cased; nil for anything else (a path).
    public static func urlScheme(_ text: String) -> String? {
        guard let end = text.range(of: "://") else { return nil }
        let scheme = text[..<end.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        return scheme.lowercased()
    }

    /// True for a text meant as a PostgreSQL URL (it may still be malformed).
    public static func isPostgres(_ text: String) -> Bool {
        urlScheme(text).map(postgresSchemes.contains) ?? false
    }

    /// Refuses a URL that is not PostgreSQL's (`.notALocation`), before anything is created.
    /// Only the scheme is named: the rest of a URL may hold a password.
    public static func refuseForeignURL(_ text: String) throws(StoreError) {
        if let scheme = urlScheme(text), !postgresSchemes.contains(scheme) {
            throw .notALocation(scheme: scheme)
        }
    }

    /// Refuses a SQLite path where there is no database yet (`.noDatabase`), so that a
    /// mistyped path never starts a new, empty database where nobody looks. With `fileToo`
    /// false only the folder must exist (a command that may start a file, not a folder).
    /// Nothing is created.
    public static func requireExisting(_ path: String, fileToo: Bool) throws(StoreError) {
        var info = stat()
        if stat(path, &info) == 0 { return }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ""
        var folderInfo = stat()
        if !folder.isEmpty, stat(folder, &folderInfo) != 0 {
            throw .noDatabase(path: path, reason: "there is no folder \(folder)")
        }
        if fileToo { throw .noDatabase(path: path, reason: "there is no such file") }
    }
}
