import Foundation
import KioskCore

/// A small content set built in code, so that tests of the session (the core's, the hostile
/// input's, the shell's) do not depend on the practice's wording: every kind of question,
/// two warning outcomes and an escalation, a question asked only sometimes, options left
/// out by safety rules, a named professional, booking times.
public enum Fixture {
    public static func t(_ s: String) -> LocalizedText { LocalizedText(en: s) }

    public static var messages: Messages {
        var texts: [String: LocalizedText] = [:]
        for key in MessageKey.allCases {
            texts[key.rawValue] = t("\(key.rawValue) {clinic} {code} {min} {max} {answer} {matches} {choice} {option} {reason} {contact}")
        }
        texts[MessageKey.commandBack.rawValue] = t("back, previous")
        texts[MessageKey.commandHelp.rawValue] = t("help")
        texts[MessageKey.commandRestart.rawValue] = t("restart")
        texts[MessageKey.bookYes.rawValue] = t("Yes, book")
        texts[MessageKey.bookNo.rawValue] = t("No, thanks")
        texts[MessageKey.bookConsentYes.rawValue] = t("Yes, send my request")
        texts[MessageKey.bookConsentNo.rawValue] = t("No")
        texts[MessageKey.warningNone.rawValue] = t("None of these")
        texts[MessageKey.bookNamed.rawValue] = t("A named professional")
        texts[MessageKey.bookAnyone.rawValue] = t("Anyone suitable")
        texts[MessageKey.commandStaff.rawValue] = t("staff")
        // The words a client may use in their own answers (the bundled Content has many more).
        let words: [MessageKey: String] = [
            .wordsYes: "yes, yeah, sure, yes please", .wordsNo: "no, nope, no thanks", .wordsBook: "book, appointment",
            .wordsNone: "no, none, nothing", .wordsNegations: "no, not, never", .wordsFillers: "my, the, a, an, i, it, is, pain, hurts, about, please, thanks",
            .wordsJoiners: "and, or", .wordsNumbers: "zero, one, two, three, four, five, six, seven, eight, nine, ten",
            .wordsOne: "a, an, one", .wordsDay: "day", .wordsDays: "days", .wordsWeek: "week", .wordsWeeks: "weeks",
            .wordsMonth: "month", .wordsMonths: "months", .wordsYear: "year", .wordsYears: "years",
        ]
        for (key, list) in words { texts[key.rawValue] = t(list) }
        return Messages(texts)
    }

    public static func choices(_ pairs: [(String, String)], exclusive: String? = nil) -> [Choice] {
        pairs.map { Choice(id: $0.0, label: t($0.1), exclusive: $0.0 == exclusive) }
    }

    public static let content = PracticeContent(
        clinic: Clinic(name: "Test Clinic", address: "1 Main St", phone: "555-0100", timeZone: "America/Chicago",
                       languages: ["en"],
                       disciplines: [Discipline(id: "massage_therapist", label: t("Massage therapist")),
                                     Discipline(id: "physical_therapist", label: t("Physical therapist"))],
                       professionals: [Professional(id: "mt1", name: "Massage therapist 1", discipline: "massage_therapist", languages: ["en"])]),
        messages: messages,
        warningScreens: [
            WarningScreen(id: "warning_now", prompt: t("Do any of these apply?"), why: t("why warning"), signs: [
                WarningSign(id: "chest_pain", text: t("Chest pain"), outcome: "emergency"),
                WarningSign(id: "fever", text: t("Fever"), outcome: "doctor_soon"),
            ]),
        ],
        outcomes: [
            TriageOutcome(id: "emergency", level: .emergency, title: t("Get help now"),
                          instructions: t("Call emergency services"), reason: t("These signs need a doctor")),
            TriageOutcome(id: "doctor_soon", level: .doctorSoon, title: t("See a doctor soon"),
                          instructions: t("Book a doctor"), reason: t("A doctor should check"),
                          meanwhile: t("Gentle movement is fine")),
        ],
        escalations: [
            Escalation(id: "recent_crash", when: .all([.chose(question: "cause", anyOf: ["auto_accident"]),
                                                       .chose(question: "cause_when", anyOf: ["days"])]),
                       outcome: "emergency"),
        ],
        questions: [
            Question(id: "area", kind: .single, prompt: t("Where does it hurt?"), why: t("why area"),
                     choices: choices([("neck", "Neck"), ("low_back", "Low back"), ("lower_leg", "Lower leg"), ("ankle_foot", "Ankle or foot")])),
            Question(id: "feel", kind: .multiple, prompt: t("How does it feel?"), why: t("why feel"),
                     choices: choices([("stiff", "Stiff"), ("tight", "Tight or tense"), ("sharp", "Sharp")])),
            Question(id: "pain_now", kind: .scale(min: 0, max: 10), prompt: t("How strong?"), why: t("why strong"),
                     scaleHint: t("0 = none, 10 = worst")),
            Question(id: "cause", kind: .single, prompt: t("How did it start?"), why: t("why cause"),
                     choices: choices([("auto_accident", "A car accident"), ("sports_injury", "A sports injury"), ("nothing_known", "Nothing I know of")])),
            Question(id: "cause_when", kind: .single, prompt: t("When?"), why: t("why when"),
                     choices: choices([("days", "In the last few days"), ("years", "Years ago")]),
                     askIf: .not(.chose(question: "cause", anyOf: ["nothing_known"]))),
            Question(id: "conditions", kind: .multiple, prompt: t("Do any of these apply?"), why: t("why conditions"),
                     choices: choices([("clot", "A blood clot"), ("cold_sensitive", "Raynaud's"), ("none", "None of these")], exclusive: "none")),
        ],
        options: [
            CareOption(id: "ice", name: t("Ice"), summary: t("Cold packs"),
                       fits: [FitRule(when: .chose(question: "cause_when", anyOf: ["days"]), weight: 3, reason: t("It is a new injury"))],
                       homeCare: t("15-20 minutes with a cloth"), watchFor: t("Skin changes"), evidence: ["ev1"]),
            CareOption(id: "massage", name: t("Massage therapy"), summary: t("Hands-on"),
                       fits: [FitRule(when: .chose(question: "feel", anyOf: ["tight", "stiff"]), weight: 2, reason: t("Your muscles feel tight")),
                              FitRule(when: .chose(question: "cause_when", anyOf: ["years"]), weight: 2, reason: t("Old injury"))],
                       homeCare: t("Rest"), watchFor: t("Bruising"), evidence: ["ev1"], discipline: "massage_therapist"),
            CareOption(id: "heat", name: t("Heat"), summary: t("Warm packs"),
                       fits: [FitRule(when: .chose(question: "feel", anyOf: ["stiff"]), weight: 1, reason: t("Stiffness"))],
                       homeCare: t("Warm, not hot"), watchFor: t("Burns"), evidence: ["ev1"]),
        ],
        leaveOut: [
            SafetyRule(id: "massage_clot", option: "massage", when: .chose(question: "conditions", anyOf: ["clot"]), text: t("you told us about a clot")),
            SafetyRule(id: "ice_cold", option: "ice", when: .chose(question: "conditions", anyOf: ["cold_sensitive"]), text: t("you told us cold hurts you")),
        ],
        precautions: [],
        evidence: [Evidence(id: "ev1", citation: "A. Study. J 2016", year: 2016, doi: "10.1/x", kind: t("review"),
                            finding: t("It helped"), strength: t("moderate"), funding: t("Funded by a foundation"))],
        bookingTimes: choices([("morning", "Mornings"), ("evening", "Evenings"), ("any", "Any time")], exclusive: "any")
    )

    public static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The fixture with more of each kind, for the fuzzer (Tests/Fuzz/FuzzSession.swift): every
    /// text names its key and carries every placeholder (a value put into the wrong template
    /// shows); Spanish beside English; a second warning screen (a "see a doctor soon" sign
    /// first, then an emergency); an escalation by scale; a second professional; aliases;
    /// "None of these" for how it feels; a 1 to 5 scale; an option whose evidence is missing
    /// and one a sharp pain leaves out; a precaution; Saturday among the booking times.
    /// Everything `content` has is kept, in its place.
    public static var wide: PracticeContent {
        var wide = content
        var texts = messages.texts
        for key in MessageKey.allCases where !key.isWordList && texts[key.rawValue]?.byLanguage["en"]?.hasPrefix(key.rawValue) == true {
            texts[key.rawValue] = t("[\(key.rawValue)] {clinic} {code} {phone} {min} {max} {answer} {matches} {choice} {option} {reason} {contact} {kind} {times} {event}")
        }
        texts[MessageKey.commandRestart.rawValue] = t("restart, start over")
        texts["start_over.yes"] = t("Yes, start over")
        texts["start_over.no"] = t("No, go on")
        texts["command.language"] = t("language, idioma")
        texts["language.name"] = t("English")
        let spanish: [String: String] = [
            "language.name": "Español", "command.back": "atrás, anterior", "command.help": "ayuda",
            "command.restart": "empezar de nuevo", "command.staff": "personal", "command.language": "idioma, language",
            "book.yes": "Sí, reservar", "book.no": "No, gracias", "book.consent_yes": "Sí, enviar",
            "warning.none": "Ninguna de estas", "welcome.language": "escriba este número",
            "language.ask": "¿Qué idioma prefiere?",
        ]
        for (key, text) in spanish {
            var both = texts[key]?.byLanguage ?? [:]
            both["es"] = text
            texts[key] = LocalizedText(both)
        }
        wide.messages = Messages(texts)
        wide.clinic.languages = ["en", "es"]
        wide.clinic.professionals[0].languages = ["en", "es"]
        wide.clinic.professionals.append(Professional(id: "pt1", name: "Physical therapist 1", discipline: "physical_therapist",
                                                      languages: ["en"]))
        wide.warningScreens[0].prompt = LocalizedText(["en": "Do any of these apply?", "es": "¿Le pasa algo de esto?"])
        wide.warningScreens.append(WarningScreen(id: "warning_soon", prompt: t("Do any of these apply now?"), why: t("why warning soon"), signs: [
            WarningSign(id: "weight_loss", text: t("Weight loss you cannot explain"), outcome: "doctor_soon"),
            WarningSign(id: "numb_saddle", text: t("Numbness between the legs"), outcome: "emergency"),
        ]))
        wide.escalations.append(Escalation(id: "worst_pain", when: .scale(question: "pain_now", min: 10, max: nil),
                                           outcome: "doctor_soon"))
        wide.questions[0].choices[1].aliases = [t("lumbar"), t("lower back")]
        wide.questions[1].choices += choices([("none", "None of these")], exclusive: "none")
        wide.questions.append(Question(id: "interference", kind: .scale(min: 1, max: 5), prompt: t("How much does it get in the way?"),
                                       why: t("why interference")))
        wide.options.append(CareOption(id: "stretch", name: t("Guided stretching"), summary: t("Movement"),
                                       fits: [FitRule(when: .scale(question: "pain_now", min: 0, max: 6), weight: 1, reason: t("Mild pain"))],
                                       homeCare: t("Slowly"), watchFor: t("Sharp pain"), evidence: ["missing_evidence"],
                                       discipline: "physical_therapist"))
        wide.leaveOut.append(SafetyRule(id: "stretch_sharp", option: "stretch", when: .chose(question: "feel", anyOf: ["sharp"]),
                                        text: t("sharp pain needs a check first")))
        wide.precautions.append(SafetyRule(id: "heat_cold", option: "heat", when: .chose(question: "conditions", anyOf: ["cold_sensitive"]),
                                           text: t("check the temperature")))
        wide.evidence.append(Evidence(id: "ev2", citation: "B. Trial. K 2019", year: 2019, kind: t("review"),
                                      finding: t("Some help"), strength: t("low")))
        wide.options[1].evidence.append("ev2")
        wide.bookingTimes.insert(contentsOf: choices([("saturday", "Saturday")]), at: 2)
        wide.bookingTimes[0].aliases = [t("am")]
        wide.bookingTimes[1].aliases = [t("pm")]
        return wide
    }

    /// Runs typed lines through a fresh session; returns the session and every transition.
    public static func run(_ lines: [String], content: PracticeContent = Fixture.content) -> (ClientSession, [Transition]) {
        var session = ClientSession(content: content, id: "session-1")
        var transitions = [session.start()]
        for line in lines { transitions.append(session.handle(line, now: now)) }
        return (session, transitions)
    }
}
