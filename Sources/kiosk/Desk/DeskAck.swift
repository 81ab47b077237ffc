import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskAck: DeskAction {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an alert.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The alert's number (see alerts).") var alert: String
    func execute(_ desk: DeskContext) throws {
        guard let id = Int64(alert.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else {
            throw DeskFailure("ack needs an alert's number, like: ack 3 (see alerts).")
        }
        do { try desk.store.acknowledgeAlert(id: id, actor: desk.actor, now: Date()) } catch DeskError.unknownAlert {
            let open = try desk.store.alerts(includeAcknowledged: false).map { "#\($0.id)" }
            throw DeskFailure("No alert #\(id).\(open.isEmpty ? "" : " Open alerts: \(open.joined(separator: ", ")).")")
        }
        print("Alert #\(id) acknowledged.")
    }
}
