import ArgumentParser
import Foundation
import KioskCommandLine
import KioskCore
import KioskPostgres
import KioskStore

/// `kiosk db`: the practice's database itself: its schema, and the roles of least
/// privilege for PostgreSQL.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The database: bring its schema up to date; PostgreSQL roles of least privilege.",
        subcommands: [Migrate.self, Roles.self])

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Create or update the database's schema (the kiosk also does it when it starts), and say its version.")
        @OptionGroup var database: DatabaseOption

        func run() throws {
            let store = try StoreOpening.open(Paths.database(database.db), create: .folderAndFile)
            defer { try? store.close() }
            print("\(TextSafety.display(store.location)): the schema is up to date.")
        }
    }

    struct Roles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roles",
            abstract: "Print the SQL for a kiosk role and a desk role of least privilege (PostgreSQL).",
            discussion: """
                The kiosk role can add sessions, assessments, follow-up requests and alerts, see \
                which slots are booked and check the staff PIN, but cannot read any client's name, \
                phone, email or answers. The desk role can do everything the front desk does. Run \
                the SQL as the owner of the kiosk's tables (README: Several machines).
                """)
        @Option(name: .customLong("kiosk-role"), help: "The kiosk's role.") var kioskRole = PostgresRoles.defaultKioskRole
        @Option(name: .customLong("desk-role"), help: "The desk's role.") var deskRole = PostgresRoles.defaultDeskRole

        func validate() throws {
            for name in [kioskRole, deskRole] where !PostgresRoles.isValidName(name) {
                throw ValidationError("a role name is lower-case letters, digits and _, starting with a letter or _ (not \(TextSafety.display(name))).")
            }
            guard kioskRole != deskRole else { throw ValidationError("the kiosk and the desk need two different roles.") }
        }

        func run() throws {
            print(PostgresRoles.sql(kiosk: kioskRole, desk: deskRole), terminator: "")
        }
    }
}
