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

/// Buffered output to a file or standard output; a new file is created 0600.
final class OutputSink {
    struct Failure: Error, CustomStringConvertible { var description: String }
    private let fd: Int32
    private let path: String?
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        self.path = path
        guard let path else { fd = STDOUT_FILENO; return }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw Exit.fail("cannot write \(path): \(String(cString: strerror(errno))).", Exit.cannotCreate)
        }
        fd = opened
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { try? flush() }
    }

    /// A large chunk, written as it is (after what is buffered).
    func write(bytes: [UInt8]) throws {
        try flush()
        try writeAll(bytes[...])
    }

    private func flush() throws {
        try writeAll(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>) throws {
        var rest = bytes
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw Failure(description: "could not write \(path ?? "the output"): \(String(cString: strerror(errno))).") }
            rest = rest.dropFirst(n)
        }
    }

    func finish() throws {
        try flush()
        if path != nil { close(fd) }
    }
}

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
