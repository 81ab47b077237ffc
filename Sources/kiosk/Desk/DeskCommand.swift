import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "The front desk: alerts, follow-up requests, booking.",
        discussion: "With no command, opens the desk's console. Each command also runs on its own, for scripts.",
        subcommands: [DeskConsoleCommand.self, DeskList.self, DeskShow.self, DeskFind.self, DeskSlots.self,
                      DeskBook.self, DeskSet.self, DeskPass.self, DeskWaiting.self, DeskReminders.self,
                      DeskAlerts.self, DeskAck.self, DeskReturning.self],
        defaultSubcommand: DeskConsoleCommand.self)

    /// The commands the console offers (for TAB and "did you mean").
    static let consoleWords = ["list", "show", "find", "slots", "book", "set", "pass", "waiting", "reminders", "alerts",
                               "ack", "returning", "help", "quit"]
}
