import Foundation

/// One booked visit to remind a client of, by a call or a text (`kiosk desk reminders`).
public struct Reminder: Sendable, Equatable {
    public var reference: String
    public var start: Date
    /// The professional's id and name.
    public var professional: String
    public var professionalName: String
    public var name: String
    public var phone: String?
    public var email: String?
    /// The client's language, and the reminder's text in it (Content: `reminder.text`).
    public var language: String
    public var message: String
}

/// The reminders of one day: booked follow-ups only (a cancelled, completed or no-show one
/// is not called), soonest first, in the clinic's time zone.
public enum Reminders {
    /// The local day holding `day`, in the zone: its first instant and the next day's.
    public static func day(_ day: Date, timeZone: TimeZone) -> (from: Date, until: Date) {
        let calendar = DeskTime.calendar(timeZone)
        let from = calendar.startOfDay(for: day)
        let next = calendar.date(byAdding: .day, value: 1, to: from) ?? from.addingTimeInterval(86_400)
        return (from, calendar.startOfDay(for: next))
    }

    /// The reminders for `followUps` that are booked with a start in `from..<until`, soonest first.
    public static func list(_ followUps: [DeskFollowUp], content: PracticeContent, from: Date, until: Date) -> [Reminder] {
        let clinic = content.clinic
        let zone = DeskTime.zone(of: clinic)
        return followUps.compactMap { f -> Reminder? in
            guard f.status == .booked, let appointment = f.appointment,
                  appointment.start >= from, appointment.start < until else { return nil }
            let request = f.followUp.request
            let professional = clinic.professionals.first { $0.id == appointment.professional }?.name ?? appointment.professional
            let language = clinic.languages.contains(request.language) ? request.language : clinic.defaultLanguage
            let local = DeskTime.iso8601(appointment.start, zone)
            let message = content.messages.text(.reminderText, language, [
                "clinic": clinic.name, "professional": professional, "date": String(local.prefix(10)),
                "time": String(local.dropFirst(11).prefix(5)), "phone": clinic.phone,
            ])
            return Reminder(reference: f.reference, start: appointment.start, professional: appointment.professional,
                            professionalName: professional, name: request.name, phone: request.phone,
                            email: request.email, language: language, message: message)
        }.sorted { $0.start != $1.start ? $0.start < $1.start : $0.reference < $1.reference }
    }

    /// Column names of the CSV, in the order of `cells`: a texting tool's import takes the
    /// phone (`phone_digits`: digits alone, so a leading "+" needs no guarding) and the message.
    public static let header = ["reference", "date", "time", "professional", "name", "phone", "phone_digits",
                                "email", "language", "message"]

    /// One reminder as raw texts for `CSV.row`, times local to the clinic.
    public static func cells(_ reminder: Reminder, timeZone: TimeZone) -> [String] {
        let local = DeskTime.iso8601(reminder.start, timeZone)
        return [reminder.reference, String(local.prefix(10)), String(local.dropFirst(11).prefix(5)),
                reminder.professionalName, reminder.name, reminder.phone ?? "",
                reminder.phone.map { $0.filter { $0.isASCII && $0.isNumber } } ?? "", reminder.email ?? "",
                reminder.language, reminder.message]
    }
}
