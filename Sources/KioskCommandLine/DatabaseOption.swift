import ArgumentParser

/// `--db`, where a command finds the practice's data; shared by the commands that open it.
public struct DatabaseOption: ParsableArguments, Sendable {
    @Option(help: "The database: a SQLite file or postgres://USER@HOST:PORT/DB (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    public var db: String?

    public init() {}
}
