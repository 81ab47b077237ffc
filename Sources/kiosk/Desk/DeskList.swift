import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskList: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Follow-up requests, newest first: the practice's own, or referrals to partners.")
    @OptionGroup var options: DeskOptions
    @Flag(help: "Referrals to partners outside the practice, instead of the practice's own requests.") var referrals = false
    @Option(help: "requested, contacted, booked, completed, no-show or cancelled.") var status: String?
    @Option(help: "A professional or partner (id or start of the name).") var professional: String?
    @Option(help: "Created on or after this day (YYYY-MM-DD).") var from: String?
    @Option(help: "Created before the end of this day (YYYY-MM-DD).") var until: String?
    @Option(help: "Only requests made at this event.") var event: String?
    @Option(help: "table or json.") var format: String = "table"
    @Option(help: "Rows per page.") var limit: Int = 20
    @Option(help: "Which page (1 is the newest).") var page: Int = 1

    func execute(_ desk: DeskContext) throws {
        guard format == "table" || format == "json" else { throw DeskFailure("--format is table or json, not \(TextSafety.display(format)).") }
        guard limit > 0, page > 0 else { throw DeskFailure("--limit and --page must be 1 or more.") }
        var filter = FollowUpFilter(event: event, referral: referrals)
        if let status { filter.status = try DeskContext.status(status) }
        if let professional { filter.professional = try desk.anyoneID(professional) }
        if let from { filter.from = try desk.day(from) }
        if let until { filter.until = Calendar.current.date(byAdding: .day, value: 1, to: try desk.day(until)) }
        let rows = try desk.store.followUps(filter, limit: limit, offset: (page - 1) * limit)
        let visits = try DeskFormat.visits(rows, desk)
        if format == "json" { print(DeskFormat.json(rows, desk, visits: visits)); return }
        print(rows.isEmpty && referrals ? "No referrals." : DeskFormat.table(rows, desk, visits: visits))
        if rows.count == limit { print("(more: --page \(page + 1))") }
    }
}
