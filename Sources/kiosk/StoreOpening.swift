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

    static let rebuildHint = "this kiosk was built without PostgreSQL support: rebuild it with "
        + "KIOSK_POSTGRES=1 ./kiosk (or swift build -c release --traits PostgreSQL)"

    static func open(_ location: String) throws -> any PracticeStore {
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
            return try SQLiteKioskStore(path: location)
        } catch {
            throw Exit.fail(error.description, Exit.code(for: error))
        }
    }
}
