import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskReminders: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "reminders", abstract: "The booked visits of a day (default tomorrow), with each client's name and contact, to call or text.")
    @OptionGroup var options: DeskOptions
    @Option(help: "The day (YYYY-MM-DD, today, tomorrow; default tomorrow).") var day: String = "tomorrow"
    @Option(help: "table, json or csv (csv suits a texting tool's import).") var format: String = "table"
    func execute(_ desk: DeskContext) throws {
        guard ["table", "json", "csv"].contains(format) else {
            throw DeskFailure("--format is table, json or csv, not \(TextSafety.display(format)).")
        }
        let (from, until) = Reminders.day(try desk.day(day), timeZone: desk.timeZone)
        let reminders = Reminders.list(try desk.store.bookedFollowUps(from: from, until: until), content: desk.content,
                                       from: from, until: until)
        switch format {
        case "json": print(DeskFormat.json(reminders, desk))
        case "csv":
            var out = CSV.row(Reminders.header)
            for reminder in reminders { out += CSV.row(Reminders.cells(reminder, timeZone: desk.timeZone)) }
            FileHandle.standardOutput.write(Data(out.utf8))
        default:
            let count = reminders.count
            print("Reminders for \(desk.local(from).prefix(14)): \(count) booked visit\(count == 1 ? "" : "s").")
            guard !reminders.isEmpty else { return }
            print(DeskFormat.table(reminders, desk))
        }
    }
}
