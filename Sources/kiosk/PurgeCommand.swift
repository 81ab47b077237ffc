import ArgumentParser
import Foundation
import KioskCore

/// `kiosk purge --older-than DAYS`: drops the contact details of closed
/// follow-ups past their time; a dry run unless --yes.
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Remove contact details of closed follow-ups older than DAYS (a dry run unless --yes).")
    @OptionGroup var options: DeskOptions
    @Option(name: .customLong("older-than"), help: "Age in days of the closed follow-ups to purge.") var olderThan: Int
    @Flag(help: "Really remove them (without it, only counts).") var yes = false

    func validate() throws {
        guard olderThan >= 1 else { throw ValidationError("--older-than must be 1 day or more.") }
    }

    func run() throws {
        let desk = try DeskContext.open(content: options.content, db: options.db)
        let now = Date()
        let before = now.addingTimeInterval(-Double(olderThan) * 86_400)
        let count = try desk.store.purgeContactDetails(before: before, dryRun: !yes, actor: desk.actor, now: now)
        if yes {
            print("Removed the contact details of \(count) closed follow-up\(count == 1 ? "" : "s") created before \(desk.local(before)).")
        } else {
            print("Dry run: \(count) closed follow-up\(count == 1 ? "" : "s") created before \(desk.local(before)) still hold contact details.")
            if count > 0 { print("Run again with --yes to remove them (the anonymous counts stay).") }
        }
    }
}
