import ArgumentParser
import Foundation
import KioskCommandLine
import KioskCore
import KioskStore

/// Where the desk finds its data; shared by every desk command.
struct DeskOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption
    var db: String? { database.db }
    @Option(help: "The content folder, for professionals and hours (default: ./Content or KIOSK_CONTENT).")
    var content: String?
}
