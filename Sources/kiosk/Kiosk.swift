import ArgumentParser
import KioskCommandLine

@main
struct Kiosk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Relief kiosk: safe, non-prescription options for pain, and a follow-up booking.",
        subcommands: [Run.self, DeskCommand.self, ExportCommand.self, ImportCommand.self, PurgeCommand.self, ContentCommand.self, StaffPinCommand.self, ServiceCommand.self, StatsCommand.self, DirectoryCommand.self, DatabaseCommand.self],
        defaultSubcommand: Run.self)

    /// The kiosk itself (`kiosk` or `kiosk run` with its own options, as staff type them)
    /// is read by `RunOptions.quickParse`, without ArgumentParser's reflection: that costs about
    /// 1.5 ms at every start in this binary (issue 9). Anything it does not know, and any
    /// mistake, goes the usual way, so help, messages and exit codes stay ArgumentParser's.
    static func main() {
        if let options = RunOptions.quickParse(Array(CommandLine.arguments.dropFirst())), (try? options.validate()) != nil {
            do {
                try Run.run(options)
            } catch {
                exit(withError: error)
            }
            return
        }
        main(nil)
    }
}
