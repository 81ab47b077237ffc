import Foundation

/// Booking with the directory: who to see (a kind of professional, someone who speaks the
/// client's language, a named one, anyone), who fits (`ProfessionalFinder`: the practice's own
/// first, partners outside it for the rest), a referral to a partner with consent to pass the
/// contact on, and the local medical care named on a warning-sign outcome.
extension ClientSession {
    static let kindNamed = ContentIDs.bookNamed
    static let kindAnyone = ContentIDs.bookAnyone
    static let kindLanguage = ContentIDs.bookLanguage

    // MARK: - Who to see

    /// Kinds of professional to ask for: every discipline of the directory (by its name or its
    /// aliases, "physio"), someone who speaks the client's language (when it is not the clinic's
    /// first and not everyone speaks it), a named one, or anyone.
    var bookingKinds: [(id: String, label: String, match: MatchChoice)] { tables.bookingKinds }

    /// The kinds as `bookingKinds` lists them, worked out once per language (`LanguageTables`).
    static func bookingKinds(_ content: PracticeContent, language: String,
                             msg: (MessageKey) -> String, text: (LocalizedText) -> String)
        -> [(id: String, label: String, match: MatchChoice)] {
        let clinic = content.clinic
        var kinds = clinic.disciplines.map { discipline in
            (id: discipline.id, label: text(discipline.label),
             match: MatchChoice(label: text(discipline.label), phrases: ([discipline.label] + discipline.aliases).map(text)))
        }
        func plain(_ id: String, _ label: String) -> (id: String, label: String, match: MatchChoice) {
            (id: id, label: label, match: MatchChoice(label: label, phrases: [label]))
        }
        let spoken = clinic.professionals.map(\.languages) + clinic.partners.filter(\.newClients).map(\.languages)
        if language != clinic.defaultLanguage, spoken.contains(where: { $0.contains(language) }),
           spoken.contains(where: { !$0.contains(language) }) {
            kinds.append(plain(Self.kindLanguage, msg(.bookLanguage)))
        }
        if !clinic.professionals.isEmpty { kinds.append(plain(Self.kindNamed, msg(.bookNamed))) }
        kinds.append(plain(Self.kindAnyone, msg(.bookAnyone)))
        return kinds
    }

    func kindScreen() -> Screen {
        let kinds = bookingKinds
        let earlier = booking.kind.flatMap { id in kinds.firstIndex { $0.id == id }.map { String($0 + 1) } }
        return choiceScreen(heading: msg(.bookKind), labels: kinds.map(\.label), multiple: false, earlier: earlier)
    }

    mutating func chooseKind(_ input: String) -> Transition {
        let kinds = bookingKinds
        switch AnswerMatcher.choose(input, among: kinds.map(\.match), multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            let kind = kinds[picked[0]].id
            booking.kind = kind
            booking.discipline = kindDiscipline
            booking.requiredLanguage = kind == Self.kindLanguage ? language : nil
            booking.professional = nil
            booking.referral = false
            return advance(to: kind == Self.kindNamed ? .bookProfessional : .bookWhen)
        }
    }

    /// The discipline the chosen kind stands for, if it is one.
    private var kindDiscipline: String? {
        guard let kind = booking.kind, ![Self.kindNamed, Self.kindAnyone, Self.kindLanguage].contains(kind) else { return nil }
        return kind
    }

    // MARK: - Who fits

    /// Who fits what the client has asked for so far.
    var currentOffer: Offer {
        ProfessionalFinder.offer(
            BookingWish(discipline: kindDiscipline, language: language,
                        requireLanguage: booking.requiredLanguage != nil, times: booking.times),
            clinic: content.clinic, hours: content.tables.directoryHours)
    }

    /// After the times that suit: a named professional goes on to the name; otherwise the
    /// client chooses among who fits when that is worth a screen (someone who speaks their
    /// language was asked for, or no one at the practice fits fully); else the request goes
    /// to the practice as asked.
    mutating func afterTimes() -> Transition {
        if booking.kind == Self.kindNamed, booking.professional != nil { return advance(to: .bookName) }
        booking.professional = nil
        booking.referral = false
        booking.discipline = kindDiscipline
        let offer = currentOffer
        if !offer.isEmpty, booking.requiredLanguage != nil || !offer.ownFitsFully {
            return advance(to: .bookOffer)
        }
        var transition = advance(to: .bookName)
        if offer.isEmpty { transition.screen.blocks.insert(.notice(msg(.bookOfferNone)), at: 0) }
        return transition
    }

    /// Who is on the offer screen, in its order: id, name, discipline, and whether outside the practice.
    private var offered: [(id: String, name: String, discipline: String, languages: [String], note: LocalizedText?,
                           partner: Bool)] {
        let offer = currentOffer
        return offer.own.map { ($0.id, $0.name, $0.discipline, $0.languages, $0.note, false) }
            + offer.partners.map { ($0.id, $0.name, $0.discipline, $0.languages, $0.note, true) }
    }

    func offerScreen() -> Screen {
        let people = offered
        var blocks: [Screen.Block] = []
        if people.contains(where: \.partner) { blocks += [.text(msg(.bookOfferOutside)), .blank] }
        blocks.append(.heading(msg(.bookOffer)))
        for (n, person) in people.enumerated() {
            let discipline = content.discipline(person.discipline).map { text($0.label) } ?? person.discipline
            var words = [discipline, person.languages.map(languageDisplayName).joined(separator: ", ")]
            if person.partner { words.append(msg(.bookOutside)) }
            blocks.append(.item(n + 1, "\(person.name) (\(words.joined(separator: "; ")))"))
            if let note = person.note { blocks.append(.detail(text(note))) }
        }
        blocks.append(.item(people.count + 1, msg(.bookOfferDesk)))
        let earlier = booking.professional.flatMap { id in people.firstIndex { $0.id == id }.map { String($0 + 1) } }
        if let earlier { blocks.append(.hint(msg(.earlierAnswer, ["answer": earlier]))) }
        return Screen(blocks: blocks, prompt: msg(.promptChoose),
                      completions: people.map(\.name) + [msg(.bookOfferDesk)] + commandCompletions, prefill: earlier)
    }

    mutating func chooseOffered(_ input: String) -> Transition {
        let people = offered
        let choices = people.map { MatchChoice(label: $0.name, phrases: [$0.name]) }
            + [MatchChoice(label: msg(.bookOfferDesk), phrases: [msg(.bookOfferDesk)])]
        switch AnswerMatcher.choose(input, among: choices, multiple: false, vocabulary: tables.vocabulary) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            if picked[0] < people.count {
                let person = people[picked[0]]
                booking.professional = person.id
                booking.discipline = person.discipline
                booking.referral = person.partner
            } else {
                booking.professional = nil
                booking.discipline = kindDiscipline
                booking.referral = false
            }
            return advance(to: .bookName)
        }
    }

    // MARK: - A referral

    /// The partner of a referral being made.
    var referralPartner: Partner? {
        guard booking.referral, let id = booking.professional else { return nil }
        return content.clinic.partner(id)
    }

    func referralConsentScreen() -> Screen {
        let contact = TextSafety.display(booking.phone ?? booking.email ?? "")
        return choiceScreen(heading: msg(.bookReferralConsent, ["partner": referralPartner?.name ?? "", "contact": contact]),
                            labels: [msg(.bookConsentYes), msg(.bookConsentNo)], multiple: false, earlier: nil)
    }

    /// Yes: the referral is saved with consent to be contacted and to pass the contact on.
    /// No: nothing about the client is kept; they can call the partner themselves.
    mutating func referralConsent(_ input: String, now: Date) -> Transition {
        switch yesOrNo(input, yes: msg(.bookConsentYes), no: msg(.bookConsentNo)) {
        case let .failure(problem): return Transition(screen: hintScreen(hint(problem)))
        case let .success(picked):
            guard picked[0] == 0 else {
                let partner = referralPartner
                step = .finished
                trail = []
                return Transition(screen: Screen(
                    blocks: [.text(msg(.bookReferralDeclined, ["partner": partner?.name ?? "", "phone": partner?.phone ?? ""]))],
                    prompt: msg(.outcomeFinish)))
            }
            step = .saving
            return Transition(screen: Screen(blocks: [.text(msg(.bookSaving))], prompt: ""),
                              effects: [.saveFollowUp(followUpRequest(now: now))])
        }
    }

    /// The referral on the take-home summary: a heading, the partner's name, kind, phone and
    /// address, and who will contact the client. (The take-home slip and its QR code are made
    /// from the summary's blocks.)
    func referralSummary() -> [Screen.Block] {
        guard let partner = referralPartner else { return [] }
        let discipline = content.discipline(partner.discipline).map { text($0.label) } ?? partner.discipline
        let contact = TextSafety.display(booking.phone ?? booking.email ?? "")
        return [
            .heading(msg(.summaryReferral)),
            .text(msg(.summaryReferralPlace, ["partner": partner.name, "discipline": discipline,
                                              "phone": partner.phone, "address": partner.address])),
            .text(msg(.summaryReferralContact, ["partner": partner.name, "contact": contact])),
        ]
    }

    // MARK: - Local medical care after a warning sign

    /// The local care an outcome names, as it stood when the outcome was reached: the places
    /// of its kinds open then; when none is, when each opens, then the outcome's words for
    /// that case and the open places of its fallback kinds (an emergency department).
    func medicalCareBlocks(_ outcome: TriageOutcome) -> [Screen.Block] {
        guard let care = outcome.care, let now = outcomeReachedAt else { return [] }
        let zone = DeskTime.zone(of: content.clinic)
        func places(_ kinds: [MedicalCareKind]) -> [(MedicalCare, OpeningHours.Status)] {
            kinds.flatMap { kind in content.clinic.medicalCare.filter { $0.kind == kind } }
                .map { ($0, OpeningHours.status($0.hours, at: now, timeZone: zone)) }
        }
        let named = places(care.kinds)
        guard !named.isEmpty else { return [] }
        var blocks: [Screen.Block] = [.blank, .heading(text(care.intro))]
        let open = named.filter { $0.1.isOpen }
        blocks += (open.isEmpty ? named : open).flatMap { careLines($0.0, $0.1, now: now, zone: zone) }
        if open.isEmpty, let closedIntro = care.closedIntro {
            let fallback = places(care.closedKinds).filter { $0.1.isOpen }
            if !fallback.isEmpty {
                blocks.append(.text(text(closedIntro)))
                blocks += fallback.flatMap { careLines($0.0, $0.1, now: now, zone: zone) }
            }
        }
        return blocks
    }

    /// An open place: its name, kind and closing time, then its phone and address. A closed
    /// one: one line with when it opens and its phone (nobody is sent there now).
    private func careLines(_ place: MedicalCare, _ status: OpeningHours.Status, now: Date, zone: TimeZone) -> [Screen.Block] {
        let line = Screen.Block.bullet(careLine(place, status, now: now, zone: zone))
        guard status.isOpen else { return [line] }
        return [line, .detail(msg(.careWhere, ["phone": place.phone, "address": place.address]))]
    }

    private func careLine(_ place: MedicalCare, _ status: OpeningHours.Status, now: Date, zone: TimeZone) -> String {
        let kinds: [MedicalCareKind: MessageKey] = [.urgentCare: .careKindUrgentCare,
                                                    .emergencyDepartment: .careKindEmergencyDepartment,
                                                    .walkInClinic: .careKindWalkInClinic]
        var values = ["name": place.name, "kind": msg(kinds[place.kind]!), "phone": place.phone, "address": place.address]
        let calendar = DeskTime.calendar(zone)
        func clock(_ date: Date) -> String {
            let c = calendar.dateComponents([.hour, .minute], from: date)
            let (hour, minute) = (c.hour ?? 0, c.minute ?? 0)
            // A range that ends at midnight ends at 24:00 of its day.
            return hour == 0 && minute == 0 ? "24:00" : DeskTime.pad(hour, 2) + ":" + DeskTime.pad(minute, 2)
        }
        switch status {
        case .open(until: nil):
            return msg(.careOpenAlways, values)
        case let .open(until?):
            values["time"] = clock(until)
            return msg(.careOpenUntil, values)
        case .closed(opens: nil):
            return msg(.careClosed, values)
        case let .closed(opens?):
            let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now),
                                               to: calendar.startOfDay(for: opens)).day ?? 0
            let time = DeskTime.pad(calendar.component(.hour, from: opens), 2) + ":"
                + DeskTime.pad(calendar.component(.minute, from: opens), 2)
            let dayKeys: [MessageKey] = [.daySun, .dayMon, .dayTue, .dayWed, .dayThu, .dayFri, .daySat]
            switch days {
            case 0: values["when"] = msg(.careToday, ["time": time])
            case 1: values["when"] = msg(.careTomorrow, ["time": time])
            default:
                let day = msg(dayKeys[(calendar.component(.weekday, from: opens) - 1 + 7) % 7])
                values["when"] = msg(.careOnDay, ["day": day, "time": time])
            }
            return msg(.careOpens, values)
        }
    }
}
