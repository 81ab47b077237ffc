import ArgumentParser
import Foundation
import KioskCore
import KioskPostgres
import KioskStore

/// Opens the practice's database: a SQLite file, or a `postgres://` URL (with the trait
/// PostgreSQL). Failures end the program with one line and sysexits' code.
enum StoreOpening {
    /// True when this binary was built with PostgreSQL support.
    static var postgresBuilt: Bool {
        #if PostgreSQL
        return true
        #else
        return false
        #endif
    }

    /// Refuses a URL that is not PostgreSQL's (exit 64), before anything is read or created.
    static func check(_ location: String) throws {
        do { try StoreLocation.refuseForeignURL(location) } catch {
            throw Exit.fail(error.description, Exit.code(for: error))
        }
    }

    static let rebuildHint = "this kiosk was built without PostgreSQL support: rebuild it with "
        + "KIOSK_POSTGRES=1 ./kiosk (or swift build -c release --traits PostgreSQL)"

    /// How much of a SQLite database a command may make where there is none.
    enum Creation {
        /// The folder and the file: `kiosk run` and `db migrate` only.
        case folderAndFile
        /// A new file in an existing folder: `import` and `staff-pin set`.
        case fileOnly
        /// Nothing: the desk, exports, stats and purge work on a practice's existing data,
        /// and say so when there is none.
        case none
    }

    /// Starts opening `location` on a thread of its own when it is a SQLite file that is
    /// already there at this build's schema (`SQLiteKioskStore.openIfCurrent`). The value is
    /// nil when it is not; then `open` makes, migrates or explains, as it would have alone.
    static func openingCurrent(_ location: String) -> Background<(any PracticeStore)?> {
        guard !PostgresURL.isPostgres(location) else { return .done(nil) }
        return Background { SQLiteKioskStore.openIfCurrent(path: location) }
    }

    static func open(_ location: String, create: Creation = .none) throws -> any PracticeStore {
        try check(location)
        if PostgresURL.isPostgres(location) {
            #if PostgreSQL
            do {
                return try PostgresKioskStore(url: location)
            } catch {
                throw Exit.fail(error.description, Exit.code(for: error))
            }
            #else
            throw Exit.fail(rebuildHint + ".", Exit.unavailable)
            #endif
        }
        do {
            if create == .fileOnly { try StoreLocation.requireExisting(location, fileToo: false) }
            return try SQLiteKioskStore(path: location, create: create != .none)
        } catch {
            throw Exit.fail(error.description, Exit.code(for: error))
        }
    }
}
