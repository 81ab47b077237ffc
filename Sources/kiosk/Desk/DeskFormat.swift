import Foundation
import KioskCore

/// How the desk shows follow-ups. Everything a client typed goes through
/// `TextSafety.display`, the one sanitiser, before it reaches the screen.
enum DeskFormat {
    static func word(_ status: FollowUpStatus) -> String { status == .noShow ? "no-show" : status.rawValue }

    /// A table cell of `width` terminal columns: made safe, cut with "…" when longer.
    static func clip(_ text: String, _ width: Int) -> String { TextWidth.cell(TextSafety.display(text), width) }

    static func contact(_ request: FollowUpRequest) -> String {
        request.phone ?? request.email ?? "-"
    }

    static func wants(_ f: DeskFollowUp, _ desk: DeskContext) -> String {
        if let booked = f.appointment { return "\(desk.professionalName(booked.professional)) \(desk.local(booked.start))" }
        if let id = f.followUp.request.professional { return desk.professionalName(id) }
        return desk.disciplineName(f.followUp.request.discipline)
    }

    /// `visits`: the rows' visits kept with them (returning clients), for the PAIN column.
    static func table(_ rows: [DeskFollowUp], _ desk: DeskContext, visits: [String: [Visit]] = [:]) -> String {
        guard !rows.isEmpty else { return "No follow-ups." }
        var lines = ["REF      CREATED           STATUS     NAME                  CONTACT               PAIN       WANTS / BOOKED"]
        for f in rows {
            let request = f.followUp.request
            var line = TextWidth.padded(f.reference, to: 9)
            line += TextWidth.padded(String(desk.local(request.createdAt).dropFirst(4)), to: 18)
            line += TextWidth.padded(word(f.status), to: 11)
            line += clip(request.name.isEmpty ? "(removed)" : request.name, 21) + " "
            line += clip(contact(request), 21) + " "
            line += TextWidth.padded(changeCell(visits[f.reference], desk), to: 11)
            line += TextSafety.display(wants(f, desk))
            if request.referral { line += " [referral]" }
            if request.afterMedicalClearance { line += " [after clearance]" }
            if let flag = f.flag { line += " [!! \(TextSafety.display(flag))]" }
            if let event = request.event { line += " @\(TextSafety.display(event))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    struct JSONRow: Encodable {
        var reference, created, status, name: String
        var phone, email, discipline, professional, event, bookedWith, bookedStart, notes: String?
        var language: String
        var preferredTimes: [String]
        var afterMedicalClearance: Bool
        /// A referral: `professional` is this partner outside the practice.
        var referral: Bool
        var partner: String?
        /// A returning client's first compared score (pain now) at the first visit and the
        /// latest, and the change (latest - first); nil for others.
        var painFirst, painLatest, painChange: Int?
        var painChangeNoticed: String?
    }

    static func json(_ rows: [DeskFollowUp], _ desk: DeskContext, visits: [String: [Visit]] = [:]) -> String {
        let iso = ISO8601DateFormatter()
        let safe = { (s: String?) in s.map(TextSafety.display) }
        let out = rows.map { f -> JSONRow in
            let r = f.followUp.request
            let pain = firstMeasureChange(visits[f.reference], desk)
            return JSONRow(reference: f.reference, created: iso.string(from: r.createdAt), status: word(f.status),
                           name: TextSafety.display(r.name), phone: safe(r.phone), email: safe(r.email),
                           discipline: r.discipline, professional: r.professional, event: safe(r.event),
                           bookedWith: f.appointment?.professional, bookedStart: f.appointment.map { iso.string(from: $0.start) },
                           notes: safe(f.notes), language: r.language, preferredTimes: r.preferredTimes,
                           afterMedicalClearance: r.afterMedicalClearance, referral: r.referral,
                           partner: r.referral ? desk.professionalName(r.professional) : nil,
                           painFirst: pain?.before, painLatest: pain?.now, painChange: pain?.points,
                           painChangeNoticed: pain?.verdict.rawValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(out)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func detail(_ f: DeskFollowUp, _ desk: DeskContext) throws -> String {
        let r = f.followUp.request
        let lang = desk.clinic.defaultLanguage
        var lines = ["\(f.reference)  \(word(f.status))  created \(desk.local(r.createdAt))"]
        lines.append("Name:     \(r.name.isEmpty ? "(removed)" : TextSafety.display(r.name))")
        lines.append("Contact:  \(TextSafety.display(contact(r)))\(r.consent ? " (consented to be contacted)" : "")")
        lines.append("Wants:    \(TextSafety.display(r.professional.map(desk.professionalName) ?? desk.disciplineName(r.discipline)))")
        if r.referral {
            let partner = r.professional.flatMap(desk.clinic.partner)
            lines.append("Referral: to a partner outside the practice\(partner.map { ": \($0.phone), \($0.address)" } ?? "").")
            lines.append(r.passOnConsent ? "          The client agreed that we give their name and contact to this partner."
                                         : "!! The client did not agree that we pass their contact on.")
            if f.status == .requested { lines.append("          Once given to the partner: pass \(f.reference)") }
        }
        let times = r.preferredTimes.compactMap { id in desk.content.bookingTimes.first { $0.id == id }?.label.resolve(lang) }
        lines.append("Times:    \(times.isEmpty ? "-" : times.joined(separator: ", "))")
        if r.afterMedicalClearance { lines.append("!! " + desk.content.messages.text(.deskAfterClearance, lang)) }
        if let flag = f.flag { lines.append("!! \(TextSafety.display(flag))") }
        if let event = r.event { lines.append("Event:    \(TextSafety.display(event))") }
        lines.append("Language: \(r.language)")
        if let a = f.appointment { lines.append("Booked:   \(desk.professionalName(a.professional)), \(desk.local(a.start))-\(desk.local(a.end, withDay: false))") }
        if let notes = f.notes, !notes.isEmpty { lines.append("Notes:    \(TextSafety.display(notes))") }
        if let assessment = try desk.store.assessment(id: r.assessmentID) {
            lines.append("")
            lines.append("What the client told the kiosk (\(assessment.level.rawValue.replacingOccurrences(of: "_", with: " "))):")
            for question in desk.content.questions {
                guard let answer = assessment.answers[question.id] else { continue }
                let text: String
                switch answer {
                case let .scale(n): text = scale(n, question.kind)
                case let .choices(ids):
                    text = ids.map { id in question.choices.first { $0.id == id }?.label.resolve(lang) ?? id }.joined(separator: ", ")
                }
                lines.append("  \(question.prompt.resolve(lang)) \(text)")
            }
            let names = { (ids: [String]) in ids.map { desk.content.option($0)?.name.resolve(lang) ?? $0 }.joined(separator: ", ") }
            lines.append("  Options shown: \(assessment.optionsShown.isEmpty ? "none" : names(assessment.optionsShown))")
            if !assessment.optionsLeftOut.isEmpty { lines.append("  Left out for safety: \(names(assessment.optionsLeftOut))") }
            if let outcome = assessment.outcome.flatMap(desk.content.outcome) {
                lines.append("  Warning-sign outcome: \(outcome.title.resolve(lang))")
            }
        }
        lines += try visitLines(f, desk)
        lines.append("")
        lines.append("History:")
        for event in try desk.store.history(reference: f.reference) {
            let from = event.from.map(word) ?? "new"
            var line = "  \(desk.local(event.at))  \(from) -> \(word(event.to))  by \(TextSafety.display(event.actor))"
            if let note = event.note, !note.isEmpty { line += "  \(TextSafety.display(note))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A scale answer with its range as Content sets it: "5/10" on 0-10, "3 (1-5)" otherwise.
    static func scale(_ value: Int, _ kind: Question.Kind) -> String {
        guard case let .scale(low, high) = kind else { return "\(value)" }
        return low == 0 ? "\(value)/\(high)" : "\(value) (\(low)-\(high))"
    }

    /// Reminders as a table: time, reference, professional, name, contact.
    static func table(_ reminders: [Reminder], _ desk: DeskContext) -> String {
        var lines = ["TIME   REF      PROFESSIONAL          NAME                  PHONE OR EMAIL"]
        for r in reminders {
            var line = desk.local(r.start, withDay: false) + "  " + TextWidth.padded(r.reference, to: 9)
            line += clip(r.professionalName, 21) + " " + clip(r.name.isEmpty ? "(removed)" : r.name, 21) + " "
            line += TextSafety.display(r.phone ?? r.email ?? "-")
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    struct ReminderRow: Encodable {
        var reference, date, time, start, professional, professionalName, name, language, message: String
        var phone, email: String?
    }

    static func json(_ reminders: [Reminder], _ desk: DeskContext) -> String {
        let iso = ISO8601DateFormatter()
        iso.timeZone = desk.timeZone
        let rows = reminders.map { r -> ReminderRow in
            let cells = Reminders.cells(r, timeZone: desk.timeZone)
            return ReminderRow(reference: r.reference, date: cells[1], time: cells[2], start: iso.string(from: r.start),
                               professional: r.professional, professionalName: TextSafety.display(r.professionalName),
                               name: TextSafety.display(r.name), language: r.language, message: TextSafety.display(r.message),
                               phone: r.phone.map(TextSafety.display), email: r.email.map(TextSafety.display))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func alertLine(_ stored: StoredAlert, _ desk: DeskContext) -> String {
        let outcome = desk.content.outcome(stored.alert.outcome)?.title.resolve(desk.clinic.defaultLanguage) ?? stored.alert.outcome
        let level = stored.alert.level == .urgent ? "URGENT" : "soon"
        var line = "#\(stored.id)  \(TextWidth.padded(level, to: 6))  \(desk.local(stored.alert.createdAt))  \(outcome)"
        if let event = stored.alert.event { line += "  @\(TextSafety.display(event))" }
        if let at = stored.acknowledgedAt { line += "  (acknowledged \(desk.local(at)))" }
        return line
    }

    static func explain(_ problem: BookingProblem, person: Professional, start: Date, _ desk: DeskContext) -> String {
        switch problem {
        case .inPast: return "\(desk.local(start)) is in the past."
        case .outsideHours:
            let hours = person.hours.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: ","))" }
            return "\(desk.local(start)) is outside \(person.name)'s hours (\(hours.joined(separator: "; "))). Try: slots \(person.id)"
        case .slotTaken: return "\(person.name) is already booked at \(desk.local(start)). Try: slots \(person.id)"
        case let .disciplineMismatch(requested, _):
            return "The client asked for \(desk.disciplineName(requested)), and \(person.name) is not one. Add --confirm to book anyway."
        case let .notBookable(status): return "A \(word(status)) follow-up cannot be booked."
        case .awaitingClearance:
            return desk.content.messages.text(.deskAfterClearance, desk.clinic.defaultLanguage) + " Add --confirm once a doctor has."
        }
    }

    static func explain(_ error: DeskError, _ desk: DeskContext) -> String {
        switch error {
        case let .unknownReference(ref): return "No follow-up \(TextSafety.display(ref))."
        case let .illegalMove(from, to):
            let next = (StatusMoves.allowed[from] ?? []).map(word).sorted()
            return "A \(word(from)) follow-up cannot become \(word(to))."
                + (next.isEmpty ? " It is closed." : " It can become: \(next.joined(separator: ", ")).")
        case let .slotTaken(professional, start):
            return "\(desk.professionalName(professional)) is already booked at \(desk.local(start)) (another desk was quicker). Try: slots \(professional)"
        case let .unknownAlert(id): return "No alert #\(id)."
        }
    }
}
