import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskBook: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "book", abstract: "Book a request: into suggestion N of slots REF, or a professional's free slot.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The reference code.") var reference: String
    @Argument(help: "A suggestion's number (from slots REF), or the professional (id or start of the name).") var professional: String
    @Argument(help: "When (with a professional): YYYY-MM-DD HH:MM, in the clinic's time zone.") var when: [String] = []
    @Flag(help: "Book even though the client asked for another kind of professional, or a doctor's clearance is pending.")
    var confirm = false
    @Option(help: "A note for the audit trail.") var note: String?

    func execute(_ desk: DeskContext) throws {
        let followUp = try desk.followUp(reference)
        let now = Date()
        let appointment: Appointment
        var suggestion: Int?
        if when.isEmpty, let number = Int(professional) {
            appointment = try suggested(number, followUp, desk, now: now)
            suggestion = number
        } else {
            guard !when.isEmpty else {
                throw DeskFailure("book needs a suggestion's number (slots \(followUp.reference)) or a professional and a time, like: book \(followUp.reference) \(desk.clinic.professionals.first?.id ?? "PROFESSIONAL") 2026-12-01 09:00")
            }
            let person = try desk.professional(professional)
            let start = try desk.moment(when.joined(separator: " "), now: now)
            appointment = Appointment(professional: person.id, start: start,
                                      end: start.addingTimeInterval(Double(desk.clinic.slotMinutes) * 60))
        }
        guard let person = desk.clinic.professionals.first(where: { $0.id == appointment.professional }) else {
            throw DeskFailure("\(TextSafety.display(appointment.professional)) is no longer one of the clinic's professionals: slots \(followUp.reference) again.")
        }
        let start = appointment.start
        let booked = try desk.store.appointments(professional: person.id, from: start.addingTimeInterval(-86_400),
                                                 until: appointment.end.addingTimeInterval(86_400))
        func taken() -> DeskFailure {
            DeskFailure("Suggestion \(suggestion ?? 0) (\(desk.local(start)) with \(person.name)) has just been taken. "
                        + "slots \(followUp.reference) shows what is free now.")
        }
        if let problem = BookingRules.check(followUp, appointment: appointment, professional: person, clinic: desk.clinic,
                                            booked: booked, now: now, confirmDiscipline: confirm, confirmClearance: confirm) {
            if problem == .slotTaken, suggestion != nil { throw taken() }
            throw DeskFailure(DeskFormat.explain(problem, person: person, start: start, desk))
        }
        do {
            try desk.store.book(reference: followUp.reference, appointment: appointment, actor: desk.actor,
                                note: note.map { TextSafety.normalized($0, maxLength: 500) }, now: now)
        } catch let error as DeskError {
            if case .slotTaken = error, suggestion != nil { throw taken() }
            throw DeskFailure(DeskFormat.explain(error, desk))
        }
        print("Booked \(followUp.reference) with \(person.name) on \(desk.local(start)).")
    }

    /// Suggestion `number` of the list `slots REF` last showed for this request.
    func suggested(_ number: Int, _ followUp: DeskFollowUp, _ desk: DeskContext, now: Date) throws -> Appointment {
        let ref = followUp.reference
        guard let listing = SuggestionMemory.recall(location: desk.location, reference: ref) else {
            throw DeskFailure("List the suggestions first: slots \(ref) (book \(ref) N books its number N).")
        }
        guard now.timeIntervalSince(listing.made) <= SuggestionMemory.lifetime else {
            throw DeskFailure("The suggestions for \(ref) were listed at \(desk.local(listing.made)): list them again with slots \(ref).")
        }
        guard (1...max(1, listing.slots.count)).contains(number), !listing.slots.isEmpty else {
            throw DeskFailure(listing.slots.isEmpty ? "slots \(ref) found no slot that fits: nothing to book by number."
                : "No suggestion \(number): slots \(ref) listed 1 to \(listing.slots.count).")
        }
        return listing.slots[number - 1]
    }
}
