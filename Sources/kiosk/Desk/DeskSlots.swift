import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct DeskSlots: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "slots", abstract: "Free slots: those that fit a request (slots REF), or a professional's.",
        discussion: "slots REF lists, numbered and soonest first, the free slots of the professional or kind the client asked for, at the times they said suit them; book REF N books number N.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "A request's reference (its suggested slots), a professional (id or start of the name), or all.") var professional: String?
    @Argument(help: "The first day (YYYY-MM-DD, today, tomorrow; default today).") var date: String?
    @Option(help: "How many days to show (default 7; 14 for a request's suggestions).") var days: Int?
    func execute(_ desk: DeskContext) throws {
        // A reference's suggestions; a text shaped like a code that names no request but a
        // professional ("massag") is the professional.
        if let first = professional, let reference = DeskContext.referenceCode(first),
           try desk.store.deskFollowUp(reference: reference) != nil || (try? desk.professional(first)) == nil {
            try suggest(reference, desk)
            return
        }
        let days = self.days ?? 7
        guard (1...60).contains(days) else { throw DeskFailure("--days is 1 to 60.") }
        // "slots 2026-12-01" names a day, not a professional.
        var who = professional, day = date
        if let first = who, day == nil, first.first?.isNumber == true || ["today", "tomorrow"].contains(first.lowercased()) {
            day = first; who = nil
        }
        let people = try who.map { [try desk.professional($0)] } ?? desk.clinic.professionals
        let now = Date()
        let start = try desk.day(day ?? "today", now: now)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = desk.timeZone
        let end = calendar.date(byAdding: .day, value: days, to: start)!
        var any = false
        for person in people {
            let booked = try desk.store.appointments(professional: person.id, from: start, until: end)
            let free = SlotCalculator.freeSlots(for: person, from: start, until: end, slotMinutes: desk.clinic.slotMinutes,
                                                timeZone: desk.timeZone, booked: booked, now: now)
            guard !free.isEmpty else { continue }
            any = true
            print("\(person.name) (\(person.id)):")
            let byDay = Dictionary(grouping: free) { calendar.startOfDay(for: $0.start) }
            for key in byDay.keys.sorted() {
                let times = byDay[key]!.map { desk.local($0.start, withDay: false) }.joined(separator: " ")
                print("  \(desk.local(key).prefix(14))  \(times)")
            }
        }
        if !any { print("No free slots in those \(days) day\(days == 1 ? "" : "s").") }
    }

    /// `slots REF`: the numbered suggestions, remembered for `book REF N`.
    func suggest(_ reference: String, _ desk: DeskContext) throws {
        let followUp = try desk.followUp(reference)
        let days = self.days ?? SlotSuggestions.defaultDays
        guard (1...60).contains(days) else { throw DeskFailure("--days is 1 to 60.") }
        guard BookingRules.isBookable(followUp.status) else {
            throw DeskFailure("\(followUp.reference) is \(DeskFormat.word(followUp.status)): it cannot be booked.")
        }
        let now = Date()
        let slots = try desk.suggestions(for: followUp, from: try desk.day(date ?? "today", now: now), days: days, now: now)
        SuggestionMemory.remember(slots, location: desk.location, reference: followUp.reference, now: now)
        let request = followUp.followUp.request
        print("\(followUp.reference)  \(request.name.isEmpty ? "(removed)" : TextSafety.display(request.name)) asked for \(desk.asked(request)).")
        if request.afterMedicalClearance { print("!! " + desk.content.messages.text(.deskAfterClearance, desk.clinic.defaultLanguage)) }
        if let booked = followUp.appointment, followUp.status == .booked {
            print("Booked now: \(desk.professionalName(booked.professional)), \(desk.local(booked.start)) (book REF N moves it).")
        }
        guard !slots.isEmpty else {
            print("No free slot fits in the \(days) day\(days == 1 ? "" : "s") from \(desk.local(try desk.day(date ?? "today", now: now)).prefix(14)). "
                  + "Try: slots \(followUp.reference) --days \(min(60, days * 2)), or slots PROFESSIONAL.")
            return
        }
        print("Free slots that fit, soonest first (book \(followUp.reference) N):")
        for (index, slot) in slots.enumerated() {
            let number = TextWidth.rightAligned(String(index + 1), to: 4)
            print("\(number)  \(desk.local(slot.start))  \(desk.professionalName(slot.professional))")
        }
    }
}
