import ArgumentParser
import Foundation
import KioskCommandLine
import KioskCore
import KioskStore
import KioskTerminal

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The client kiosk, session after session, until staff exit.")

    @OptionGroup var arguments: RunArguments

    func run() throws { try Self.run(arguments.options) }

    static func run(_ options: RunOptions) throws {
        let (content, db, event, idleTimeout, noLock) =
            (options.content, options.db, options.event, options.idleTimeout, options.noLock)
        let path = Paths.database(db)
        try StoreOpening.check(path)    // a mistyped URL: refused before anything is read or made
        // A database file that is already there at this build's schema opens on a second thread
        // while the content is read: each takes about as long. A new file is made, and an older
        // one migrated, only once the content has passed, as before.
        let opening = StoreOpening.openingCurrent(path)
        let loaded: PracticeContent
        do {
            loaded = try loadContent(Paths.content(content))
        } catch {
            try? opening.value()?.close()
            throw error
        }
        // The welcome's language: its tables, the matcher's too, are made on a thread of their own
        // while the database opens and the welcome shows; a session's first answer finds them made.
        let language = loaded.clinic.defaultLanguage, tables = loaded.tables
        let preparing = Background { tables.prepare(language) }
        defer { preparing.value() }
        let store = try opening.value() ?? StoreOpening.open(path, create: .folderAndFile)
        let idle = idleTimeout ?? Int(Paths.variable("KIOSK_IDLE_SECONDS") ?? "").flatMap { $0 >= 2 ? $0 : nil } ?? 180
        let interactive = isatty(STDIN_FILENO) == 1
        Termination.install()
        defer { Termination.restoreTerminal() }
        let reader: LineReader
        if interactive {
            ReadlineLineReader.installKioskSignalPolicy()
            // Staff choose a PIN before the first client sees anything.
            if !noLock, (try? store.hasStaffPin()) != true {
                print("No staff PIN is set. Staff: choose the PIN that lets you leave the kiosk")
                print("(type \"staff\" at the welcome, then the PIN). Or run with --no-lock.")
                guard try chooseStaffPin(store) else { throw Exit.fail("no staff PIN was set; the kiosk did not start.", Exit.usage) }
            }
            reader = ReadlineLineReader(idleSeconds: idle)
        } else {
            reader = PlainLineReader()
        }
        let eventName = event.map { TextSafety.normalized($0, maxLength: 100) }
        var shell = KioskShell(content: loaded, store: store, reader: reader, event: eventName,
                               interactive: interactive, unlocked: noLock, idleSeconds: idle,
                               kioskName: Paths.kioskName) { slip, queue in
            SlipPrinter().print(SlipPrinter.text(slip, columns: loaded.clinic.printerColumns), queue: queue)
                .mapError { $0 }
        }
        shell.run()
        try? store.close()
        preparing.value()   // no thread may be at work while the process ends
        Termination.restoreTerminal()
        // The content, its tables and the sessions' memory go with the process: freeing them
        // piece by piece was a tenth of a piped session's time (issue 13).
        fflush(nil)
        Foundation.exit(0)
    }
}
