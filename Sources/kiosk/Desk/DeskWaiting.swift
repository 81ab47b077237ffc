import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskWaiting: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "waiting", abstract: "Who is waiting that a slot would suit: by a request's reference (its slot) or PROFESSIONAL DAY HH:MM.",
        discussion: "Lists requests still waiting (requested or contacted) that asked for that professional or that kind, at times that include the slot, oldest first.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "A reference (the slot it holds or held), or a professional followed by YYYY-MM-DD HH:MM.") var slot: [String] = []
    func execute(_ desk: DeskContext) throws {
        let usage = "waiting needs a slot: a reference (the slot it held), or PROFESSIONAL YYYY-MM-DD HH:MM."
        guard let first = slot.first else { throw DeskFailure(usage) }
        let appointment: Appointment
        if slot.count == 1 {
            let followUp = try desk.followUp(first)
            guard let held = followUp.appointment else { throw DeskFailure("\(followUp.reference) has no slot. " + usage) }
            appointment = held
        } else {
            guard slot.count == 3 else { throw DeskFailure(usage) }
            let person = try desk.professional(first)
            let start = try desk.moment(slot[1...].joined(separator: " "))
            appointment = Appointment(professional: person.id, start: start,
                                      end: start.addingTimeInterval(Double(desk.clinic.slotMinutes) * 60))
        }
        print(try desk.waitingReport(for: appointment))
    }
}
