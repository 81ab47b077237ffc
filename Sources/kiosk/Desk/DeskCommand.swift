import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// Where the desk finds its data; shared by every desk command.
struct DeskOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file or postgres://USER@HOST:PORT/DB (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    var db: String?
    @Option(help: "The content folder, for professionals and hours (default: ./Content or KIOSK_CONTENT).")
    var content: String?
}

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

struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "The front desk: alerts, follow-up requests, booking.",
        discussion: "With no command, opens the desk's console. Each command also runs on its own, for scripts.",
        subcommands: [DeskConsoleCommand.self, DeskList.self, DeskShow.self, DeskFind.self, DeskSlots.self,
                      DeskBook.self, DeskSet.self, DeskPass.self, DeskWaiting.self, DeskReminders.self,
                      DeskAlerts.self, DeskAck.self, DeskReturning.self],
        defaultSubcommand: DeskConsoleCommand.self)

    /// The commands the console offers (for TAB and "did you mean").
    static let consoleWords = ["list", "show", "find", "slots", "book", "set", "pass", "waiting", "reminders", "alerts",
                               "ack", "returning", "help", "quit"]
}

struct DeskList: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Follow-up requests, newest first: the practice's own, or referrals to partners.")
    @OptionGroup var options: DeskOptions
    @Flag(help: "Referrals to partners outside the practice, instead of the practice's own requests.") var referrals = false
    @Option(help: "requested, contacted, booked, completed, no-show or cancelled.") var status: String?
    @Option(help: "A professional or partner (id or start of the name).") var professional: String?
    @Option(help: "Created on or after this day (YYYY-MM-DD).") var from: String?
    @Option(help: "Created before the end of this day (YYYY-MM-DD).") var until: String?
    @Option(help: "Only requests made at this event.") var event: String?
    @Option(help: "table or json.") var format: String = "table"
    @Option(help: "Rows per page.") var limit: Int = 20
    @Option(help: "Which page (1 is the newest).") var page: Int = 1

    func execute(_ desk: DeskContext) throws {
        guard format == "table" || format == "json" else { throw DeskFailure("--format is table or json, not \(TextSafety.display(format)).") }
        guard limit > 0, page > 0 else { throw DeskFailure("--limit and --page must be 1 or more.") }
        var filter = FollowUpFilter(event: event, referral: referrals)
        if let status { filter.status = try DeskContext.status(status) }
        if let professional { filter.professional = try desk.anyoneID(professional) }
        if let from { filter.from = try desk.day(from) }
        if let until { filter.until = Calendar.current.date(byAdding: .day, value: 1, to: try desk.day(until)) }
        let rows = try desk.store.followUps(filter, limit: limit, offset: (page - 1) * limit)
        let visits = try DeskFormat.visits(rows, desk)
        if format == "json" { print(DeskFormat.json(rows, desk, visits: visits)); return }
        print(rows.isEmpty && referrals ? "No referrals." : DeskFormat.table(rows, desk, visits: visits))
        if rows.count == limit { print("(more: --page \(page + 1))") }
    }
}

struct DeskShow: DeskAction {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One request: what was asked, the answers, the options shown, its history.")
    @OptionGroup var options: DeskOptions
    @Argument(help: "The reference code (like K7M-2QX).") var reference: String
    func execute(_ desk: DeskContext) throws {
        print(try DeskFormat.detail(try desk.followUp(reference), desk))
    }
}

struct DeskFind: DeskAction {
    static let configuration = CommandConfiguration(commandName: "find", abstract: "Requests by name, phone, email or reference.")
    @OptionGroup var options: DeskOptions
    @Argument(parsing: .remaining, help: "Part of a name, phone number, email or reference.") var text: [String]
    func execute(_ desk: DeskContext) throws {
        let query = text.joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { throw DeskFailure("find needs some text: a name, phone, email or reference.") }
        let rows = try desk.store.find(query, limit: 50)
        print(rows.isEmpty ? "Nothing found for \"\(TextSafety.display(query))\"."
                           : DeskFormat.table(rows, desk, visits: try DeskFormat.visits(rows, desk)))
    }
}

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
            let number = String(index + 1).leftPadded(to: 4)
            print("\(number)  \(desk.local(slot.start))  \(desk.professionalName(slot.professional))")
        }
    }
}

extension String {
    /// Right-aligned in `width` columns (numbers in a list).
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

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

struct DeskReminders: DeskAction {
    static let configuration = CommandConfiguration(
        commandName: "reminders", abstract: "The booked visits of a day (default tomorrow), with each client's name and contact, to call or text.")
    @OptionGroup var options: DeskOptions
    @Option(help: "The day (YYYY-MM-DD, today, tomorrow; default tomorrow).") var day: String = "tomorrow"
    @Option(help: "table, json or csv (csv suits a texting tool's import).") var format: String = "table"
    func execute(_ desk: DeskContext) throws {
        guard ["table", "json", "csv"].contains(format) else {
            throw DeskFailure("--format is table, json or csv, not \(TextSafety.display(format)).")
        }
        let (from, until) = Reminders.day(try desk.day(day), timeZone: desk.timeZone)
        let reminders = Reminders.list(try desk.store.bookedFollowUps(from: from, until: until), content: desk.content,
                                       from: from, until: until)
        switch format {
        case "json": print(DeskFormat.json(reminders, desk))
        case "csv":
            var out = CSV.row(Reminders.header)
            for reminder in reminders { out += CSV.row(Reminders.cells(reminder, timeZone: desk.timeZone)) }
            FileHandle.standardOutput.write(Data(out.utf8))
        default:
            let count = reminders.count
            print("Reminders for \(desk.local(from).prefix(14)): \(count) booked visit\(count == 1 ? "" : "s").")
            guard !reminders.isEmpty else { return }
            print(DeskFormat.table(reminders, desk))
        }
    }
}

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

struct DeskAlerts: DeskAction {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Warning signs raised at the kiosk.")
    @OptionGroup var options: DeskOptions
    @Flag(help: "Include acknowledged alerts.") var all = false
    func execute(_ desk: DeskContext) throws {
        let alerts = try desk.store.alerts(includeAcknowledged: all)
        print(alerts.isEmpty ? "No alerts." : alerts.map { DeskFormat.alertLine($0, desk) }.joined(separator: "\n"))
    }
}

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
