import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskFind: DeskAction {
    static let configuration = CommandConfiguration(commandName: "find", abstract: "Requests by name, phone, email or reference.")
    @OptionGroup var options: DeskOptions
    @Argument(parsing: .remaining, help: "Part of a name, phone number, email or reference.") var text: [String]
    func execute(_ desk: DeskContext) throws {
        let query = text.joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { throw DeskFailure("find needs some text: a name, phone, email or reference.") }
        let rows = try desk.store.find(query, limit: 50)
        print(rows.isEmpty ? "Nothing found for \"\(TextSafety.display(query))\"."
                           : DeskFormat.table(rows, desk, visits: try DeskFormat.visits(rows, desk)))
    }
}
