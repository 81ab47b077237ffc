import ArgumentParser
import Foundation
import KioskCore
import KioskStore
import KioskTerminal

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The client kiosk, session after session, until staff exit.")

    @Option(help: "The content folder (default: ./Content or KIOSK_CONTENT).")
    var content: String?

    @Option(help: "The SQLite database file (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    var db: String?

    @Option(help: "Tag every assessment and request with this event's name.")
    var event: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds without a key before the kiosk starts over (default 180 or KIOSK_IDLE_SECONDS).")
    var idleTimeout: Int?

    func validate() throws {
        if let idleTimeout, idleTimeout < 5 { throw ValidationError("--idle-timeout must be at least 5 seconds.") }
        if let event, event.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--event needs a name.") }
    }

    func run() throws {
        let loaded = try loadContent(Paths.content(content))
        let path = Paths.database(db)
        let store: SQLiteKioskStore
        do {
            store = try SQLiteKioskStore(path: path)
        } catch {
            throw Exit.fail(error.description, Exit.code(for: error))
        }
        let idle = idleTimeout ?? Int(Paths.environment["KIOSK_IDLE_SECONDS"] ?? "") ?? 180
        let interactive = isatty(0) == 1
        let reader: LineReader
        if interactive {
            ReadlineLineReader.installKioskSignalPolicy()
            reader = ReadlineLineReader(idleSeconds: idle)
        } else {
            reader = PlainLineReader()
        }
        let eventName = event.map { TextSafety.normalized($0, maxLength: 100) }
        var shell = KioskShell(content: loaded, store: store, reader: reader, event: eventName, interactive: interactive)
        shell.run()
    }
}
