import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// The wrong codes and factors typed at each kiosk's "I have been here before", and its lock.
struct DeskReturning: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "returning", abstract: "Wrong codes and factors at each kiosk's check of returning clients, and its lock.")
    @OptionGroup var options: DeskOptions
    func execute(_ desk: DeskContext) throws {
        let locks = try desk.store.returnLocks()
        print(locks.isEmpty ? "No wrong codes at any kiosk." : locks.map { DeskFormat.lockLine($0, desk) }.joined(separator: "\n"))
    }
}
