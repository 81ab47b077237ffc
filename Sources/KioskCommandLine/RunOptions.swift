import ArgumentParser
import Foundation
import KioskCore

/// What `kiosk run` was asked for, however it was read: by `quickParse` or by
/// ArgumentParser (`RunArguments`).
public struct RunOptions: Sendable, Equatable {
    public var content: String?
    public var db: String?
    public var event: String?
    public var idleTimeout: Int?
    public var noLock = false

    public init(content: String? = nil, db: String? = nil, event: String? = nil, idleTimeout: Int? = nil,
                noLock: Bool = false) {
        self.content = content; self.db = db; self.event = event; self.idleTimeout = idleTimeout; self.noLock = noLock
    }

    /// The checks ArgumentParser runs through `RunArguments.validate()`, for `quickParse`'s
    /// options too.
    public func validate() throws {
        if let idleTimeout, idleTimeout < 2 {
            throw ValidationError("--idle-timeout must be at least 2 seconds.")
        }
        if let event, event.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--event needs a name.")
        }
        // Every client sees the event's name on the welcome: no escape, control or bidi codes.
        if let event, TextSafety.containsUnsafe(event) {
            throw ValidationError("--event may hold letters, digits, spaces and punctuation, not control or direction codes.")
        }
    }

    /// `[run] [--content DIR] [--db DB] [--event NAME] [--idle-timeout N] [--no-lock]`, each
    /// at most once, values after a space or `=`; nil for anything else (another command,
    /// help, a short or unknown option, a missing or empty value), which ArgumentParser then
    /// reads. It reads the kiosk's own start without ArgumentParser's reflection, which costs
    /// about 1.5 ms at every start (issue 9). `RunParsingTests` pins that whatever it reads,
    /// it reads as ArgumentParser does; an option added to `RunArguments` and not here is
    /// simply read the usual way.
    public static func quickParse(_ arguments: [String]) -> RunOptions? {
        var rest = arguments[...]
        if rest.first == "run" { rest = rest.dropFirst() }
        var options = RunOptions()
        var seen: Set<String> = []
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { return nil }
            var name = argument, value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
                // ArgumentParser reads `--db=` as `--db` with no value (it takes the next
                // argument, or says one is missing), never as an empty one.
                if value == "" { return nil }
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
}

/// `kiosk run`'s options as ArgumentParser reads them (with its help and its messages).
public struct RunArguments: ParsableArguments, Sendable {
    @Option(help: "The content folder (default: ./Content or KIOSK_CONTENT).")
    public var content: String?

    @OptionGroup public var database: DatabaseOption

    @Option(help: "Tag every assessment and request with this event's name.")
    public var event: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds without a key before the kiosk asks \"still there?\" and starts over (default 180 or KIOSK_IDLE_SECONDS).")
    public var idleTimeout: Int?

    @Flag(name: .customLong("no-lock"), help: "Run without a staff PIN (a personal laptop): the staff word alone ends the kiosk, and the welcome says so.")
    public var noLock = false

    public init() {}

    public var options: RunOptions {
        RunOptions(content: content, db: database.db, event: event, idleTimeout: idleTimeout, noLock: noLock)
    }

    public func validate() throws { try options.validate() }
}
