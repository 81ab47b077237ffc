import ArgumentParser

@main
struct Kiosk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Relief kiosk: safe, non-prescription options for pain, and a follow-up booking.",
        subcommands: [Run.self, DeskCommand.self, ExportCommand.self, ImportCommand.self, PurgeCommand.self, ContentCommand.self, StaffPinCommand.self, ServiceCommand.self, StatsCommand.self, DatabaseCommand.self],
        defaultSubcommand: Run.self)

    /// The kiosk itself (`kiosk` or `kiosk run ...`) is parsed as `run` alone: the whole
    /// command tree costs about a millisecond at every start (issue 9). Anything that does
    /// not parse that way (help, a mistake, another command) goes the usual way, so every
    /// message and exit code stays as ArgumentParser gives them.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let rest = arguments.first == "run" ? Array(arguments.dropFirst()) : arguments
        if arguments.first == "run" || arguments.allSatisfy({ $0.hasPrefix("--") && !Self.rootFlags.contains($0) }),
           var command = try? Run.parse(rest) {
            do {
                try command.run()
            } catch {
                exit(withError: error)
            }
            return
        }
        main(nil)
    }

    /// Flags the root command answers itself.
    static let rootFlags: Set<String> = ["--help", "--version", "--generate-completion-script", "--experimental-dump-help"]
}
