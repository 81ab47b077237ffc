import Foundation
import KioskTestSupport
import KioskCore

/// A small, complete Content folder (English and Spanish) written from string
/// literals: every check passes on it; each test breaks one thing.
enum ContentFixture {
    static let clinic = """
        name: Relief Massage & Physical Therapy
        address: 12 Main Street, Springfield
        phone: 555-0100
        time_zone: America/Chicago
        languages: [en, es]
        disciplines:
          - id: massage
            label: {en: Massage therapist, es: Masajista}
        professionals:
          - id: ana
            name: Ana Ortiz
            discipline: massage
            languages: [en, es]
            hours:
              mon: ["09:00-17:00"]
              wed: ["09:00-12:00", "13:00-17:00"]

        """

    static let questionnaire = """
        questions:
          - id: where
            kind: single
            prompt: {en: Where does it hurt most?, es: ¿Dónde le duele más?}
            why: {en: So we can suggest what fits., es: Para sugerir lo que le conviene.}
            choices:
              - {id: low_back, label: {en: Low back, es: Espalda baja}, aliases: [lower back]}
              - {id: neck, label: {en: Neck, es: Cuello}}
          - id: pain_now
            kind: scale
            min: 0
            max: 10
            prompt: {en: How strong is the pain now?, es: ¿Qué tan fuerte es el dolor ahora?}
            why: {en: Very strong pain may need a doctor., es: Un dolor muy fuerte puede necesitar un médico.}
            scale_hint: {en: "0 = no pain, 10 = the worst", es: "0 = nada, 10 = el peor"}
          - id: conditions
            kind: multiple
            prompt: {en: Do any of these apply to you?, es: ¿Le aplica alguno de estos?}
            why: {en: Some options are not safe with these., es: Algunas opciones no son seguras con esto.}
            ask_if: {where: [low_back, neck]}
            choices:
              - {id: clot, label: {en: A blood clot, es: Un coágulo}}
              - {id: none, label: {en: None of these, es: Ninguno}, exclusive: true}
        booking_times:
          - {id: morning, label: {en: Morning, es: Mañana}, hours: {mon: ["06:00-12:00"], wed: ["06:00-12:00"]}}
          - {id: afternoon, label: {en: Afternoon, es: Tarde}}
        progress:
          compare:
            - question: pain_now
              label: {en: Pain now, es: Dolor ahora}
          noticeable: {points: 2, out_of: 10, percent: 30}
          evidence: [massage_review]

        """

    static let safety = """
        warning_screens:
          - id: warning_emergency
            prompt: {en: Do you have any of these now?, es: ¿Tiene alguno de estos ahora?}
            why: {en: These need care right away., es: Esto necesita atención ya.}
            signs:
              - id: chest_pain
                text: {en: Chest pain or pressure, es: Dolor o presión en el pecho}
                outcome: emergency
        outcomes:
          - id: emergency
            level: emergency
            title: {en: Please get help now, es: Busque ayuda ahora}
            instructions: {en: Call 911 now., es: Llame al 911 ahora.}
            reason: {en: Chest pain can be a heart problem., es: El dolor de pecho puede ser del corazón.}
          - id: see_doctor
            level: doctor_soon
            title: {en: See a doctor soon, es: Vea a un médico pronto}
            instructions: {en: Book a doctor this week., es: Pida cita con un médico esta semana.}
            reason: {en: Very strong pain should be checked., es: Un dolor muy fuerte debe revisarse.}
            meanwhile: {en: Rest and use ice., es: Descanse y use hielo.}
            care:
              intro: {en: You can go to this place today., es: Puede ir a este lugar hoy.}
              kinds: [urgent_care]
        escalations:
          - id: severe_pain
            when: {pain_now: {min: 9}}
            outcome: see_doctor
        leave_out:
          - id: massage_clot
            option: massage
            when: {conditions: [clot]}
            text: {en: You told us about a blood clot., es: Nos dijo que tiene un coágulo.}
            evidence: [massage_review]
        precautions:
          - id: ice_skin
            option: ice
            when: {not: {warning_emergency: [none]}}
            text: {en: Keep a cloth between skin and ice., es: Ponga un paño entre la piel y el hielo.}

        """

    static let options = """
        options:
          - id: massage
            name: {en: Massage therapy, es: Masoterapia}
            summary: {en: Hands-on work on sore muscles., es: Trabajo manual de los músculos.}
            discipline: massage
            fits:
              - when: {where: [low_back, neck]}
                weight: 2
                reason: {en: It often helps back and neck pain., es: Suele ayudar con el dolor de espalda y cuello.}
            home_care: {en: Gentle stretching., es: Estiramientos suaves.}
            watch_for: {en: Pain that spreads down a leg., es: Dolor que baja por una pierna.}
            evidence: [massage_review]
          - id: ice
            name: {en: Ice, es: Hielo}
            summary: {en: Cold on the sore spot., es: Frío en la zona adolorida.}
            fits:
              - when: {pain_now: {min: 3}}
                weight: 1
                reason: {en: Cold can ease pain., es: El frío puede aliviar el dolor.}
            home_care: {en: "15-20 minutes, a cloth between skin and ice.", es: "15-20 minutos, con un paño."}
            watch_for: {en: Numb or white skin., es: Piel entumecida o blanca.}
            evidence: [ice_review]

        """

    static let evidence = """
        evidence:
          - id: massage_review
            citation: Furlan AD et al. Massage for low-back pain. Cochrane Database Syst Rev.
            year: 2015
            doi: 10.1002/14651858.CD001929.pub3
            kind: {en: Systematic review, es: Revisión sistemática}
            finding: {en: Short-term relief of low-back pain., es: Alivio a corto plazo del dolor lumbar.}
            strength: {en: Low to moderate, es: Baja a moderada}
            short: {en: "Furlan 2015, Cochrane", es: "Furlan 2015, Cochrane"}
          - id: ice_review
            citation: Example AB. Cold therapy for acute pain.
            year: 2020
            url: https://example.org/ice
            kind: {en: Review, es: Revisión}
            finding: {en: Cold may ease acute pain., es: El frío puede aliviar el dolor agudo.}
            strength: {en: Low, es: Baja}
            short: {en: "Example 2020", es: "Example 2020"}
            funding: {en: Public funds, es: Fondos públicos}

        """

    static let directory = """
        disciplines:
          - id: chiropractor
            label: {en: Chiropractor, es: Quiropráctico}
        professionals:
          - id: massage_2
            name: Massage therapist 2
            discipline: massage
            languages: [en]
            new_clients: false
            hours:
              tue: ["09:00-17:00"]
        partners:
          - id: partner_chiro_1
            name: Partner chiropractor 1
            discipline: chiropractor
            languages: [es, en]
            address: 5 Oak Street, Springfield
            phone: 555-0161
            new_clients: true
            hours:
              daily: ["09:00-17:00"]
            note: {en: Spanish is spoken here., es: Aquí se habla español.}
        medical_care:
          - id: urgent_care_1
            name: Urgent care clinic 1
            kind: urgent_care
            address: 9 Elm Street, Springfield
            phone: 555-0171
            hours:
              daily: ["08:00-20:00"]

        """

    /// Every message key, in both languages, one a line.
    static let messages = "messages:\n" + MessageKey.allCases.map {
        "  \($0.rawValue): {en: \"Text for \($0.rawValue)\", es: \"Texto para \($0.rawValue)\"}\n"
    }.joined()

    static let files: [String: String] = [
        "clinic.yaml": clinic, "questionnaire.yaml": questionnaire, "safety.yaml": safety,
        "options.yaml": options, "evidence.yaml": evidence, "messages.yaml": messages,
        "directory.yaml": directory,
    ]

    /// Writes the fixture to a new temporary folder, with `changes` (file name ->
    /// new text, or nil to leave the file out), and returns the folder.
    static func write(_ changes: [String: String?] = [:]) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kiosk-content-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            let content = changes[name] ?? text
            guard let content else { continue }
            try content.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
