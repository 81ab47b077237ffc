import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// A desk command that runs against an open context: from the shell
/// (`kiosk desk list`) or typed at the console (`list`).
protocol DeskAction: ParsableCommand {
    var options: DeskOptions { get }
    func execute(_ desk: DeskContext) throws
}

extension DeskAction {
    func run() throws {
        let desk = try DeskContext.open(content: options.content, db: options.db)
        do { try execute(desk) } catch let failure as DeskFailure { throw Exit.fail(failure.description, Exit.usage) }
        catch let error as StoreError { throw Exit.fail(error.description, Exit.code(for: error)) }
    }
}
