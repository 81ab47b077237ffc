import Foundation
import KioskCore
import Yams

extension ContentReader {
    // MARK: clinic.yaml

    func readClinic() -> Clinic? {
        guard let root = root(of: "clinic.yaml"),
              let clinic = object(root, "clinic.yaml", allowed: [
                "name", "address", "phone", "time_zone", "languages", "disciplines", "link", "printer",
                "printer_columns", "professionals", "reading", "reading_grade_max", "slot_minutes", "reminder_minutes",
              ]) else { return nil }

        // Languages first: every text after this is checked against them.
        var languages: [String]?
        if let node = required(clinic, "languages"), let items = list(node, field: "languages") {
            var found: [String] = []
            for item in items {
                guard let language = string(item, field: "languages") else { continue }
                if found.contains(language) {
                    problem(item, "language '\(language)' is listed twice")
                } else {
                    found.append(language)
                }
            }
            if items.isEmpty { problem(node, "'languages' lists no language") }
            if found.count == items.count, !found.isEmpty { languages = found }
        }
        self.languages = languages

        let name = required(clinic, "name").flatMap { string($0, field: "name") }
        let address = required(clinic, "address").flatMap { string($0, field: "address") }
        let phone = required(clinic, "phone").flatMap { string($0, field: "phone") }
        var timeZone: String?
        if let node = required(clinic, "time_zone"), let zone = string(node, field: "time_zone") {
            // TimeZone(identifier:) knows every zone the system has; listing them all
            // (knownTimeZoneIdentifiers) would load ICU's tables at every start.
            if TimeZone(identifier: zone) == nil {
                problem(node, "unknown time zone '\(zone)' (use a name like America/Chicago)")
            } else {
                timeZone = zone
            }
        }

        var disciplines: [Discipline]?
        if let node = required(clinic, "disciplines"), let items = list(node, field: "disciplines") {
            let read = items.map(readDiscipline)
            if items.isEmpty { problem(node, "'disciplines' lists no discipline") }
            if !read.contains(where: { $0 == nil }) { disciplines = read.compactMap { $0 } }
        }

        var professionals: [Professional]?
        if let node = required(clinic, "professionals"), let items = list(node, field: "professionals") {
            var seen: [String: Int] = [:]
            let read = items.map { readProfessional($0, seen: &seen) }
            if !read.contains(where: { $0 == nil }) { professionals = read.compactMap { $0 } }
        }

        var slotMinutes = 60
        if let node = clinic["slot_minutes"], let minutes = int(node, field: "slot_minutes") {
            if (10...480).contains(minutes) { slotMinutes = minutes } else {
                problem(node, "'slot_minutes' should be from 10 to 480, not \(minutes)")
            }
        }

        let takeHome = readTakeHome(clinic)
        var reminderMinutes = 0
        if let node = clinic["reminder_minutes"], let minutes = int(node, field: "reminder_minutes") {
            if (0...20_160).contains(minutes) { reminderMinutes = minutes } else {
                problem(node, "'reminder_minutes' should be from 0 (no reminder) to 20160 (two weeks), not \(minutes)")
            }
        }

        guard let name, let address, let phone, let timeZone, let languages,
              let disciplines, let professionals, let takeHome else { return nil }
        return Clinic(name: name, address: address, phone: phone, timeZone: timeZone,
                      languages: languages, disciplines: disciplines, professionals: professionals,
                      slotMinutes: slotMinutes, link: takeHome.link, printer: takeHome.printer,
                      printerColumns: takeHome.columns, reminderMinutes: reminderMinutes)
    }

    func readDiscipline(_ node: Node) -> Discipline? {
        guard var object = object(node, "a discipline", kind: "discipline", allowed: ["id", "label", "aliases"]) else { return nil }
        let id = id(of: &object, kind: "discipline")
        var idOK = true
        if let id, let idNode = object["id"] {
            define(.discipline, id, idNode)
            if ContentIDs.bookingKinds.contains(id) {
                problem(idNode, "a discipline cannot be called '\(id)': the booking screen uses it for one of its own answers (\(ContentIDs.bookingKinds.joined(separator: ", ")))")
                idOK = false
            }
        }
        let label = required(object, "label").flatMap { text($0, field: "label") }
        var aliases: [LocalizedText]? = []
        if let node = object["aliases"] { aliases = self.aliases(node) }
        guard let id, idOK, let label, let aliases else { return nil }
        return Discipline(id: id, label: label, aliases: aliases)
    }

    /// One of the practice's professionals; `directory` (directory.yaml) also allows
    /// `new_clients` and a client-facing `note`.
    func readProfessional(_ node: Node, seen: inout [String: Int], directory: Bool = false) -> Professional? {
        let fields = ["id", "name", "discipline", "languages", "hours"] + (directory ? ["new_clients", "note"] : [])
        guard var object = object(node, "a professional", kind: "professional", allowed: fields)
        else { return nil }
        let id = id(of: &object, kind: "professional")
        if let id, let idNode = object["id"] { claim(id, idNode, in: &seen, kind: "professional") }
        let name = required(object, "name").flatMap { string($0, field: "name") }
        var discipline: String?
        if let node = required(object, "discipline"), let value = self.id(node, field: "discipline") {
            refer(.discipline, value, node)
            discipline = value
        }
        var languages: [String]?
        if let node = required(object, "languages"), let items = list(node, field: "languages") {
            let read = items.map { string($0, field: "languages") }
            if !read.contains(where: { $0 == nil }) { languages = read.compactMap { $0 } }
        }
        let hours = required(object, "hours").flatMap(readHours)
        var newClients: Bool? = true
        if let node = object["new_clients"] { newClients = bool(node, field: "new_clients") }
        var note: LocalizedText?
        var noteOK = true
        if let node = object["note"] { note = text(node, field: "note"); noteOK = note != nil }
        guard let id, let name, let discipline, let languages, let hours, let newClients, noteOK else { return nil }
        return Professional(id: id, name: name, discipline: discipline, languages: languages, hours: hours,
                            newClients: newClients, note: note)
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Weekdays to "HH:MM-HH:MM" ranges; `daily:` stands for every weekday.
    func readHours(_ node: Node) -> [String: [String]]? {
        guard let mapping = node.mapping else {
            problem(node, "'hours' should map weekdays to times, like mon: [\"09:00-17:00\"]")
            return nil
        }
        var hours: [String: [String]] = [:]
        var ok = true
        let days = mapping.keys.compactMap { $0.scalar?.string }
        if let daily = mapping.first(where: { $0.key.scalar?.string == "daily" })?.key,
           let other = days.first(where: Self.weekdays.contains) {
            problem(daily, "'daily' and '\(other)' both set hours; keep one")
            ok = false
        }
        for (dayNode, value) in mapping {
            guard let day = dayNode.scalar?.string, Self.weekdays.contains(day) || day == "daily" else {
                problem(dayNode, "'\(dayNode.scalar?.string ?? "?")' is not a weekday (use \(Self.weekdays.joined(separator: ", ")), or daily)")
                ok = false
                continue
            }
            let items: [Node] = value.sequence.map(Array.init) ?? (isNull(value) ? [] : [value])
            var ranges: [String] = []
            for item in items {
                guard let range = item.scalar?.string, Self.isTimeRange(range) else {
                    problem(item, "hours '\(item.scalar?.string ?? "?")' should look like 09:00-17:00")
                    ok = false
                    continue
                }
                ranges.append(range)
            }
            for key in day == "daily" ? Self.weekdays : [day] { hours[key] = ranges }
        }
        return ok ? hours : nil
    }

    /// "HH:MM-HH:MM", the start before the end (24:00 may end a day).
    static func isTimeRange(_ text: String) -> Bool {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2 else { return false }
        func minutes(_ part: Substring, end: Bool) -> Int? {
            let hm = part.split(separator: ":", omittingEmptySubsequences: false)
            guard hm.count == 2, hm[0].count == 2, hm[1].count == 2,
                  hm.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let h = Int(hm[0]), let m = Int(hm[1]), m < 60 else { return nil }
            guard h < 24 || (end && h == 24 && m == 0) else { return nil }
            return h * 60 + m
        }
        guard let start = minutes(ends[0], end: false), let end = minutes(ends[1], end: true) else { return false }
        return start < end
    }

    // MARK: questionnaire.yaml

    func readQuestionnaire() -> (questions: [Question], bookingTimes: [Choice], bookingTimeHours: [String: [String: [String]]],
                                 progress: ProgressRule?)? {
        guard let root = root(of: "questionnaire.yaml"),
              let top = object(root, "questionnaire.yaml", allowed: ["questions", "booking_times", "progress"]) else { return nil }

        var questions: [Question]?
        if let node = required(top, "questions"), let items = list(node, field: "questions") {
            var seen: [String: Int] = [:]
            var read: [Question?] = []
            for (index, item) in items.enumerated() {
                read.append(readQuestion(item, index: index, seen: &seen))
            }
            if items.isEmpty { problem(node, "'questions' lists no question") }
            if !read.contains(where: { $0 == nil }) { questions = read.compactMap { $0 } }
        }

        var bookingTimes: [Choice]?
        // A booking time's weekly hours (`hours:`, optional): who works then fits it.
        var bookingTimeHours: [String: [String: [String]]]? = [:]
        if let node = required(top, "booking_times"), let items = list(node, field: "booking_times") {
            var seen: [String: Int] = [:]
            let read = items.map { readChoice($0, kind: "booking time", seen: &seen, extraFields: ["hours"]) }
            if items.isEmpty { problem(node, "'booking_times' lists no time") }
            if !read.contains(where: { $0 == nil }) { bookingTimes = read.compactMap { $0 } }
            for (item, choice) in zip(items, read) {
                guard let hoursNode = item.mapping?["hours"] else { continue }
                if let hours = readHours(hoursNode) {
                    if let choice { bookingTimeHours?[choice.id] = hours }
                } else {
                    bookingTimeHours = nil
                }
            }
        }

        // A returning client's "Since last time" (ProgressSection.swift).
        let progress = readProgress(top["progress"], questions: questions)

        guard let questions, let bookingTimes, let bookingTimeHours, let progress else { return nil }
        return (questions, bookingTimes, bookingTimeHours, progress)
    }

    func readQuestion(_ node: Node, index: Int, seen: inout [String: Int]) -> Question? {
        guard var object = object(node, "a question", kind: "question", allowed: [
            "id", "kind", "prompt", "why", "choices", "ask_if", "min", "max", "scale_hint",
        ]) else { return nil }
        let id = id(of: &object, kind: "question")
        var isFirst = false
        if let id, let idNode = object["id"] {
            isFirst = seen[id] == nil
            claim(id, idNode, in: &seen, kind: "question")
        }

        var kindWord: String?
        if let node = required(object, "kind"), let word = string(node, field: "kind") {
            if ["single", "multiple", "scale"].contains(word) {
                kindWord = word
                if word == "scale", let id, ContentIDs.statsQuestions.contains(id) {
                    problem(node, "'\(id)' should be a single or multiple question: kiosk stats counts its choices")
                }
            } else {
                problem(node, "'kind' should be single, multiple or scale, not '\(word)'")
            }
        }
        let prompt = required(object, "prompt").flatMap { text($0, field: "prompt") }
        let why = required(object, "why").flatMap { text($0, field: "why") }

        var kind: Question.Kind?
        var choices: [Choice]? = []
        var scaleHint: LocalizedText?
        var hintOK = true
        switch kindWord {
        case "scale":
            let minimum: Int? = object["min"].map { int($0, field: "min") } ?? 0
            let maximum: Int? = object["max"].map { int($0, field: "max") } ?? 10
            if let minimum, let maximum {
                if minimum >= maximum {
                    problem(object["min"] ?? object["max"] ?? object.node,
                            "\(object.name): scale min \(minimum) should be below max \(maximum)")
                } else {
                    kind = .scale(min: minimum, max: maximum)
                }
            }
            if let node = object["choices"] {
                problem(node, "\(object.name) is a scale; it has no choices")
            }
            if let node = object["scale_hint"] {
                scaleHint = text(node, field: "scale_hint")
                hintOK = scaleHint != nil
            }
        case "single", "multiple":
            kind = kindWord == "single" ? .single : .multiple
            for field in ["min", "max", "scale_hint"] {
                if let node = object[field] { problem(node, "'\(field)' is only for a scale question") }
            }
            choices = nil
            if let node = required(object, "choices"), let items = list(node, field: "choices") {
                var seenChoices: [String: Int] = [:]
                let read = items.map { readChoice($0, kind: "choice", seen: &seenChoices) }
                if items.isEmpty { problem(node, "\(object.name) has no choices") }
                checkRanges(read, items: items, question: object.name)
                if !read.contains(where: { $0 == nil }), !items.isEmpty { choices = read.compactMap { $0 } }
                // Rules may name these choices even if one of them is broken.
                if let id, isFirst {
                    questionInfo[id] = QuestionInfo(
                        index: index, isScale: false, range: nil,
                        choices: Set(items.compactMap { $0.mapping?["id"]?.scalar?.string }),
                        isWarningScreen: false)
                }
            }
        default:
            break
        }
        if let id, isFirst, questionInfo[id] == nil {
            var range: (min: Int, max: Int)?
            if case let .scale(lo, hi)? = kind { range = (lo, hi) }
            questionInfo[id] = QuestionInfo(index: index, isScale: kindWord == "scale", range: range,
                                            choices: [], isWarningScreen: false)
        }

        var askIf: Condition?
        var askIfOK = true
        if let node = object["ask_if"] {
            askIf = condition(node, field: "ask_if", askIfOf: id)
            askIfOK = askIf != nil
        }

        guard let id, let kind, let prompt, let why, let choices, hintOK, askIfOK else { return nil }
        return Question(id: id, kind: kind, prompt: prompt, why: why, scaleHint: scaleHint,
                        choices: choices, askIf: askIf)
    }

    /// Two choices of one question may not share an age or a day: "40" must mean one choice.
    func checkRanges(_ choices: [Choice?], items: [Node], question: String) {
        for field in ["ages", "days"] {
            let ranges = zip(choices, items).compactMap { choice, node -> (ValueRange, Node)? in
                guard let choice, let range = field == "ages" ? choice.ages : choice.days else { return nil }
                return (range, node.mapping?[field] ?? node)
            }
            for (i, a) in ranges.enumerated() {
                for b in ranges[..<i] where a.0.overlaps(b.0) {
                    problem(a.1, "\(question): '\(field)' \(a.0.text) overlaps \(b.0.text) of another choice")
                }
            }
        }
    }

    func readChoice(_ node: Node, kind: String, seen: inout [String: Int], extraFields: [String] = []) -> Choice? {
        guard var object = object(node, "a \(kind)", kind: "\(kind)",
                                  allowed: ["id", "label", "aliases", "exclusive", "ages", "days"] + extraFields) else { return nil }
        let id = id(of: &object, kind: kind)
        if let id, let idNode = object["id"] { claim(id, idNode, in: &seen, kind: kind) }
        let label = required(object, "label").flatMap { text($0, field: "label") }
        var aliases: [LocalizedText]? = []
        if let node = object["aliases"] { aliases = self.aliases(node) }
        var exclusive: Bool? = false
        if let node = object["exclusive"] { exclusive = bool(node, field: "exclusive") }
        var rangesOK = true
        func range(_ field: String) -> ValueRange? {
            guard let node = object[field] else { return nil }
            guard let text = node.scalar?.string, let range = ValueRange(text: text) else {
                problem(node, "'\(field)' should be a range like 18-64, or 65+ for 65 and more")
                rangesOK = false
                return nil
            }
            return range
        }
        let ages = range("ages"), days = range("days")
        guard let id, let label, let aliases, let exclusive, rangesOK else { return nil }
        return Choice(id: id, label: label, aliases: aliases, exclusive: exclusive, ages: ages, days: days)
    }
}
