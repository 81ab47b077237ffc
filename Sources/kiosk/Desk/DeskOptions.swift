import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// Where the desk finds its data; shared by every desk command.
struct DeskOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file or postgres://USER@HOST:PORT/DB (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    var db: String?
    @Option(help: "The content folder, for professionals and hours (default: ./Content or KIOSK_CONTENT).")
    var content: String?
}
