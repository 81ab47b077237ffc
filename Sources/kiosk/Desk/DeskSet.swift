import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskSet: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Move a request's status: contacted, completed, no-show or cancelled.",
        discussion: "Completed or no-show before the appointment's start needs --confirm. Cancelling a booking lists who is waiting for its slot.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The reference code.") var reference: String
    @Argument(help: "contacted, completed, no-show or cancelled.") var status: String
    @Option(help: "A note for the audit trail.") var note: String?
    @Flag(help: "Mark it completed or no-show although its appointment has not started yet.") var confirm = false
    func execute(_ desk: DeskContext) throws {
        let followUp = try desk.followUp(reference)
        let target = try DeskContext.status(status)
        if target == .booked { throw DeskFailure("Use book REF N (slots REF) or book REF PROFESSIONAL WHEN to book a request.") }
        guard StatusMoves.isAllowed(from: followUp.status, to: target) else {
            throw DeskFailure(DeskFormat.explain(DeskError.illegalMove(from: followUp.status, to: target), desk))
        }
        let now = Date()
        if case let .beforeAppointment(start)? = StatusTiming.check(followUp, to: target, now: now, confirmed: confirm) {
            throw DeskFailure("\(followUp.reference) is booked for \(desk.local(start)): too early for "
                              + "\(DeskFormat.word(target)).\nAdd --confirm if it is.")
        }
        do {
            try desk.store.setStatus(reference: followUp.reference, to: target, actor: desk.actor,
                                     note: note.map { TextSafety.normalized($0, maxLength: 500) }, now: now)
        } catch let error as DeskError {
            throw DeskFailure(DeskFormat.explain(error, desk))
        }
        print("\(followUp.reference): \(DeskFormat.word(followUp.status)) -> \(DeskFormat.word(target)).")
        // A freed slot still to come: who could take it.
        if target == .cancelled, followUp.status == .booked, let slot = followUp.appointment, slot.start > now {
            print(try desk.waitingReport(for: slot))
        }
    }
}
