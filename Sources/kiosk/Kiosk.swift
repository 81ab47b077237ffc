import ArgumentParser

@main
struct Kiosk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Relief kiosk: safe, non-prescription options for pain, and a follow-up booking.",
        subcommands: [Run.self, DeskCommand.self, ExportCommand.self, ImportCommand.self, PurgeCommand.self, ContentCommand.self, StaffPinCommand.self, ServiceCommand.self, StatsCommand.self, DatabaseCommand.self],
        defaultSubcommand: Run.self)
}
