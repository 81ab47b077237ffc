import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskShow: DeskAction {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One request: what was asked, the answers, the options shown, its history.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The reference code (like K7M-2QX).") var reference: String
    func execute(_ desk: DeskContext) throws {
        print(try DeskFormat.detail(try desk.followUp(reference), desk))
    }
}
