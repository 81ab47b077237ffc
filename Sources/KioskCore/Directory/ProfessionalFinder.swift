/// What a client asked for when booking: a kind of professional (or any), someone who
/// speaks their language (or not necessarily), and the times that suit them.
public struct BookingWish: Sendable, Hashable {
    /// A discipline id, or nil for any kind of professional.
    public var discipline: String?
    /// The client's language (the session's).
    public var language: String
    /// They asked for someone who speaks it ("Someone who speaks Spanish").
    public var requireLanguage: Bool
    /// Booking time ids (questionnaire.yaml `booking_times`).
    public var times: [String]

    public init(discipline: String?, language: String, requireLanguage: Bool = false, times: [String] = []) {
        self.discipline = discipline; self.language = language; self.requireLanguage = requireLanguage; self.times = times
    }
}

/// Who the kiosk offers for a wish: the practice's own professionals first; partners
/// outside the practice for the rest.
public struct Offer: Sendable, Hashable {
    /// The practice's professionals who fit (kind, times, language when asked for), those
    /// who speak the client's language first.
    public var own: [Professional]
    /// Partners who fit, offered only when no professional of the practice fits fully
    /// (speaking the client's language included); those who speak it first.
    public var partners: [Partner]
    /// Someone at the practice fits fully: the request can go to the practice as it is.
    public var ownFitsFully: Bool

    public var isEmpty: Bool { own.isEmpty && partners.isEmpty }
}

/// Matches a wish against the directory (`Clinic.professionals` and `Clinic.partners`).
///
/// A professional fits when they are of the kind asked for, take new clients, work at one of
/// the times that suit (a booking time's weekly hours overlap theirs; a time without hours,
/// like "any time", fits everyone) and, when the client asked for it, speak their language.
/// They fit fully when they also speak the client's language.
///
/// - When someone at the practice fits fully, no partner is offered.
/// - When some at the practice fit but none speaks the client's language, partners who fit
///   and speak it are offered after them.
/// - When no one at the practice fits, partners who fit are offered (a discipline the
///   practice does not offer included), those who speak the client's language first.
/// - A partner who takes no new clients is never offered.
public enum ProfessionalFinder {
    /// At most this many people are offered (one screen).
    public static let maxOffered = 5

    /// `hours`: everyone's weekly hours, read from this `clinic` (`ContentTables.directoryHours`).
    public static func offer(_ wish: BookingWish, clinic: Clinic, hours: DirectoryHours) -> Offer {
        let window = self.window(wish.times, hours.times)
        func fits(discipline: String, languages: [String], hours: WeeklyHours, newClients: Bool) -> Bool {
            newClients && (wish.discipline == nil || wish.discipline == discipline)
                && (!wish.requireLanguage || languages.contains(wish.language))
                && (window.map { hours.overlaps($0) } ?? true)
        }
        let own = speakersFirst(zip(clinic.professionals, hours.professionals).filter {
            fits(discipline: $0.0.discipline, languages: $0.0.languages, hours: $0.1, newClients: $0.0.newClients)
        }.map(\.0), wish.language, \.languages)
        let ownFitsFully = own.contains { $0.languages.contains(wish.language) }
        var partners: [Partner] = []
        if !ownFitsFully {
            partners = zip(clinic.partners, hours.partners).filter {
                fits(discipline: $0.0.discipline, languages: $0.0.languages, hours: $0.1, newClients: $0.0.newClients)
                    // Beside someone of the practice, a partner is worth offering only for the language.
                    && (own.isEmpty || $0.0.languages.contains(wish.language))
            }.map(\.0)
            partners = speakersFirst(partners, wish.language, \.languages)
        }
        let ownShown = Array(own.prefix(maxOffered))
        return Offer(own: ownShown, partners: Array(partners.prefix(maxOffered - ownShown.count)),
                     ownFitsFully: ownFitsFully)
    }

    /// The weekly hours of the chosen times, all together; nil when any of them (or none
    /// chosen) does not limit the hours.
    static func window(_ times: [String], _ timeHours: [String: WeeklyHours]) -> WeeklyHours? {
        guard !times.isEmpty else { return nil }
        var all: WeeklyHours?
        for id in times {
            guard let hours = timeHours[id], hours.limits else { return nil }
            all = all.map { $0.adding(hours) } ?? hours
        }
        return all
    }

    /// Those who speak `language` first, each group in the directory's order.
    static func speakersFirst<T>(_ people: [T], _ language: String, _ languages: KeyPath<T, [String]>) -> [T] {
        people.filter { $0[keyPath: languages].contains(language) } + people.filter { !$0[keyPath: languages].contains(language) }
    }
}
