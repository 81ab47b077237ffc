import ArgumentParser
import Foundation
import KioskCore

/// `kiosk export csv|ics`: follow-ups for spreadsheets and calendars, streamed
/// row by row so a large database exports in constant memory.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Follow-ups as CSV (spreadsheets) or iCalendar (calendars).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, ics }

    @OptionGroup var options: DeskOptions
    @Argument(help: "csv or ics.") var format: Format
    @Option(help: "Only follow-ups created on or after this day (YYYY-MM-DD).") var since: String?
    @Option(help: "Write to this file (created private to you) instead of standard output.") var output: String?
    @Flag(name: .customLong("include-contact"), help: "Put names, phones and emails in calendar entries (ics).")
    var includeContact = false

    func run() throws {
        let desk = try DeskContext.open(content: options.content, db: options.db)
        let from: Date?
        do { from = try since.map { try desk.day($0) } } catch let failure as DeskFailure {
            throw Exit.fail(failure.description, Exit.usage)
        }
        let sink = try OutputSink(path: output)
        let now = Date()
        var count = 0
        do {
            switch format {
            case .csv:
                sink.write(CSV.row(CSV.followUpHeader()))
                count = try desk.store.writeFollowUpsCSV(since: from, clinic: desk.clinic, timeZone: desk.timeZone) { chunk in
                    try sink.write(bytes: chunk)
                }
            case .ics:
                sink.write(ICalendar.header(clinic: desk.clinic, now: now))
                try desk.store.forEachFollowUp(since: from) { followUp in
                    let name = desk.professionalName(followUp.appointment?.professional)
                    if let event = ICalendar.event(followUp, clinic: desk.clinic, professionalName: name,
                                                   includeContact: includeContact, now: now) {
                        sink.write(event)
                        count += 1
                    }
                }
                sink.write(ICalendar.footer)
            }
            try sink.finish()
        } catch let error as OutputSink.Failure {
            throw Exit.fail(error.description, Exit.ioError)
        }
        if let output {
            FileHandle.standardError.write(Data("kiosk: \(count) follow-up\(count == 1 ? "" : "s") written to \(output).\n".utf8))
        }
    }
}
