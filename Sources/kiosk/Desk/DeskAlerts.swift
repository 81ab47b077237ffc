import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskAlerts: DeskAction {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Warning signs raised at the kiosk.")
    @OptionGroup var options: DeskOptions
    @Flag(help: "Include acknowledged alerts.") var all = false
    func execute(_ desk: DeskContext) throws {
        let alerts = try desk.store.alerts(includeAcknowledged: all)
        print(alerts.isEmpty ? "No alerts." : alerts.map { DeskFormat.alertLine($0, desk) }.joined(separator: "\n"))
    }
}
