import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// A referral passed on: the partner was given the client's name and contact (the client
/// agreed to it at the kiosk). On the practice's side the referral is then done.
struct DeskPass: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "pass", abstract: "Record that a referral was passed on to its partner.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The reference code of a referral (list --referrals).") var reference: String
    @Option(help: "A note for the audit trail.") var note: String?
    func execute(_ desk: DeskContext) throws {
        let followUp = try desk.followUp(reference)
        let request = followUp.followUp.request
        guard request.referral else {
            throw DeskFailure("\(followUp.reference) is a request to the practice, not a referral. Use set \(followUp.reference) contacted.")
        }
        let partner = request.professional.flatMap(desk.clinic.partner)
        let to = partner.map { "\($0.name) (\($0.phone))" } ?? desk.professionalName(request.professional)
        guard followUp.status == .requested else {
            if followUp.status == StatusMoves.referralPassedOn { throw DeskFailure("\(followUp.reference) was already passed on to \(TextSafety.display(to)).") }
            throw DeskFailure(DeskFormat.explain(DeskError.illegalMove(from: followUp.status, to: StatusMoves.referralPassedOn), desk))
        }
        var text = "passed on to \(to)"
        if let note { text += "; " + TextSafety.normalized(note, maxLength: 500) }
        do {
            try desk.store.setStatus(reference: followUp.reference, to: StatusMoves.referralPassedOn, actor: desk.actor,
                                     note: text, now: Date())
        } catch let error as DeskError {
            throw DeskFailure(DeskFormat.explain(error, desk))
        }
        print("\(followUp.reference): passed on to \(TextSafety.display(to)).")
    }
}
