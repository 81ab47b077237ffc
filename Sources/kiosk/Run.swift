import ArgumentParser
import Foundation
import KioskCore
import KioskStore
import KioskTerminal

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The client kiosk, session after session, until staff exit.")

    @Option(help: "The content folder (default: ./Content or KIOSK_CONTENT).")
    var content: String?

    @Option(help: "The database: a SQLite file, or postgres://USER@HOST:PORT/DB (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    var db: String?

    @Option(help: "Tag every assessment and request with this event's name.")
    var event: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds without a key before the kiosk asks \"still there?\" and starts over (default 180 or KIOSK_IDLE_SECONDS).")
    var idleTimeout: Int?

    @Flag(name: .customLong("no-lock"), help: "Run without a staff PIN (a personal laptop): the staff word alone ends the kiosk, and the welcome says so.")
    var noLock = false

    /// The options as read, without ArgumentParser (`quickParse`) or with it.
    struct Options {
        var content: String?
        var db: String?
        var event: String?
        var idleTimeout: Int?
        var noLock = false
    }

    var options: Options { Options(content: content, db: db, event: event, idleTimeout: idleTimeout, noLock: noLock) }

    /// `[run] [--content DIR] [--db DB] [--event NAME] [--idle-timeout N] [--no-lock]`, each
    /// at most once, values after a space or `=`; nil for anything else (another command,
    /// help, a short or unknown option, a missing value), which ArgumentParser then reads.
    /// An option added above and not here is simply read the usual way.
    static func quickParse(_ arguments: [String]) -> Options? {
        var rest = arguments[...]
        if rest.first == "run" { rest = rest.dropFirst() }
        var options = Options()
        var seen: Set<String> = []
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { return nil }
            var name = argument, value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard seen.insert(name).inserted else { return nil }
            if name == "--no-lock" {
                guard value == nil else { return nil }
                options.noLock = true
                continue
            }
            if value == nil {
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                value = next
            }
            switch name {
            case "--content": options.content = value
            case "--db": options.db = value
            case "--event": options.event = value
            case "--idle-timeout":
                guard let seconds = value.flatMap({ Int($0) }) else { return nil }
                options.idleTimeout = seconds
            default: return nil
            }
        }
        return options
    }

    func validate() throws { try Self.validate(options) }

    static func validate(_ options: Options) throws {
        if let idleTimeout = options.idleTimeout, idleTimeout < 2 {
            throw ValidationError("--idle-timeout must be at least 2 seconds.")
        }
        if let event = options.event, event.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--event needs a name.")
        }
        // Every client sees the event's name on the welcome: no escape, control or bidi codes.
        if let event = options.event, TextSafety.containsUnsafe(event) {
            throw ValidationError("--event may hold letters, digits, spaces and punctuation, not control or direction codes.")
        }
    }

    func run() throws { try Self.run(options) }

    static func run(_ options: Options) throws {
        let (content, db, event, idleTimeout, noLock) =
            (options.content, options.db, options.event, options.idleTimeout, options.noLock)
        let path = Paths.database(db)
        try StoreOpening.check(path)    // a mistyped URL: refused before anything is read or made
        let loaded = try loadContent(Paths.content(content))
        let store = try StoreOpening.open(path, create: .folderAndFile)
        let idle = idleTimeout ?? Int(Paths.environment["KIOSK_IDLE_SECONDS"] ?? "").flatMap { $0 >= 2 ? $0 : nil } ?? 180
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
    }
}
