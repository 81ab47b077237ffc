import Foundation
import KioskCore
import Yams

/// What directory.yaml holds: kinds of professional the practice does not offer itself,
/// more of its own professionals, partners outside it, and local medical care.
struct DirectoryContent {
    var disciplines: [Discipline]
    var professionals: [Professional]
    var partners: [Partner]
    var medicalCare: [MedicalCare]
}

extension ContentReader {
    // MARK: directory.yaml

    /// `ownIDs`: the professionals of clinic.yaml (their ids may not be used again here).
    func readDirectory(ownIDs: [String]) -> DirectoryContent? {
        guard let root = root(of: "directory.yaml"),
              let top = object(root, "directory.yaml", allowed: ["disciplines", "professionals", "partners", "medical_care"])
        else { return nil }
        var ok = true
        // One table of ids for everyone in the directory, and clinic.yaml's professionals.
        var seen: [String: Int] = [:]
        func claimPerson(_ id: String?, _ node: Node?, kind: String, claimed: Bool = false) {
            guard let id, let node else { return }
            if ownIDs.contains(id) {
                problem(node, "\(kind) id '\(id)' is already a professional in clinic.yaml")
            } else if !claimed {
                claim(id, node, in: &seen, kind: kind)
            }
        }

        var disciplines: [Discipline] = []
        if let node = top["disciplines"] {
            if let items = list(node, field: "disciplines") {
                let read = items.map(readDiscipline)
                if read.contains(where: { $0 == nil }) { ok = false } else { disciplines = read.compactMap { $0 } }
            } else { ok = false }
        }

        var professionals: [Professional] = []
        if let node = top["professionals"] {
            if let items = list(node, field: "professionals") {
                let read = items.map { item -> Professional? in
                    let person = readProfessional(item, seen: &seen, directory: true)
                    claimPerson(item.mapping?["id"]?.scalar?.string, item.mapping?["id"], kind: "professional", claimed: true)
                    return person
                }
                if read.contains(where: { $0 == nil }) { ok = false } else { professionals = read.compactMap { $0 } }
            } else { ok = false }
        }

        var partners: [Partner] = []
        if let node = top["partners"] {
            if let items = list(node, field: "partners") {
                let read = items.map { item -> Partner? in
                    let partner = readPartner(item)
                    claimPerson(item.mapping?["id"]?.scalar?.string, item.mapping?["id"], kind: "partner")
                    return partner
                }
                if read.contains(where: { $0 == nil }) { ok = false } else { partners = read.compactMap { $0 } }
            } else { ok = false }
        }

        var medicalCare: [MedicalCare] = []
        if let node = top["medical_care"] {
            if let items = list(node, field: "medical_care") {
                let read = items.map { item -> MedicalCare? in
                    let place = readMedicalCare(item)
                    claimPerson(item.mapping?["id"]?.scalar?.string, item.mapping?["id"], kind: "medical care")
                    return place
                }
                if read.contains(where: { $0 == nil }) { ok = false } else { medicalCare = read.compactMap { $0 } }
            } else { ok = false }
        }
        // Outcomes are checked against the kinds listed only when every place could be read.
        if ok || medicalCare.count == (top["medical_care"]?.sequence?.count ?? 0) {
            medicalCareKinds = Set(medicalCare.map(\.kind))
        }

        guard ok else { return nil }
        return DirectoryContent(disciplines: disciplines, professionals: professionals, partners: partners,
                                medicalCare: medicalCare)
    }

    func readPartner(_ node: Node) -> Partner? {
        guard var object = object(node, "a partner", kind: "partner", allowed: [
            "id", "name", "discipline", "languages", "address", "phone", "hours", "new_clients", "note",
        ]) else { return nil }
        let id = id(of: &object, kind: "partner")
        let name = required(object, "name").flatMap { string($0, field: "name") }
        var discipline: String?
        if let node = required(object, "discipline"), let value = self.id(node, field: "discipline") {
            refer(.discipline, value, node)
            discipline = value
        }
        let languages = required(object, "languages").flatMap(readLanguages)
        let address = required(object, "address").flatMap { string($0, field: "address") }
        let phone = required(object, "phone").flatMap { string($0, field: "phone") }
        let hours = required(object, "hours").flatMap(readHours)
        let newClients = required(object, "new_clients").flatMap { bool($0, field: "new_clients") }
        var note: LocalizedText?
        var noteOK = true
        if let node = object["note"] { note = text(node, field: "note"); noteOK = note != nil }
        guard let id, let name, let discipline, let languages, let address, let phone, let hours, let newClients, noteOK
        else { return nil }
        return Partner(id: id, name: name, discipline: discipline, languages: languages, address: address,
                       phone: phone, hours: hours, newClients: newClients, note: note)
    }

    func readMedicalCare(_ node: Node) -> MedicalCare? {
        guard var object = object(node, "a place of medical care", kind: "medical care", allowed: [
            "id", "name", "kind", "address", "phone", "hours",
        ]) else { return nil }
        let id = id(of: &object, kind: "medical care")
        let name = required(object, "name").flatMap { string($0, field: "name") }
        let kind = required(object, "kind").flatMap(readCareKind)
        let address = required(object, "address").flatMap { string($0, field: "address") }
        let phone = required(object, "phone").flatMap { string($0, field: "phone") }
        let hours = required(object, "hours").flatMap(readHours)
        guard let id, let name, let kind, let address, let phone, let hours else { return nil }
        return MedicalCare(id: id, name: name, kind: kind, address: address, phone: phone, hours: hours)
    }

    func readCareKind(_ node: Node) -> MedicalCareKind? {
        guard let word = string(node, field: "kind") else { return nil }
        guard let kind = MedicalCareKind(rawValue: word) else {
            problem(node, "'kind' should be \(MedicalCareKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(word)'")
            return nil
        }
        return kind
    }

    func readLanguages(_ node: Node) -> [String]? {
        guard let items = list(node, field: "languages") else { return nil }
        let read = items.map { string($0, field: "languages") }
        if items.isEmpty { problem(node, "'languages' lists no language") }
        return read.contains(where: { $0 == nil }) || items.isEmpty ? nil : read.compactMap { $0 }
    }

    // MARK: safety.yaml: the care an outcome names

    /// `care: {intro: ..., kinds: [urgent_care], closed_intro: ..., closed_kinds: [emergency_department]}`.
    func readCareToName(_ node: Node, outcome: String) -> CareToName? {
        guard let object = object(node, "the care of outcome '\(outcome)'",
                                  allowed: ["intro", "kinds", "closed_intro", "closed_kinds"]) else { return nil }
        let intro = required(object, "intro").flatMap { text($0, field: "intro") }
        func kinds(_ field: String) -> [MedicalCareKind]? {
            guard let node = object[field] else { return [] }
            guard let items = list(node, field: field) else { return nil }
            let read = items.map(readCareKind)
            for (item, kind) in zip(items, read) {
                if let kind { careReferences.append((kind, file, line(item))) }
            }
            return read.contains(where: { $0 == nil }) ? nil : read.compactMap { $0 }
        }
        let named = kinds("kinds")
        if object["kinds"] == nil { problem(object.node, "\(object.name) is missing 'kinds'") }
        else if named?.isEmpty == true { problem(object["kinds"], "'kinds' lists no kind of care") }
        let closedKinds = kinds("closed_kinds")
        var closedIntro: LocalizedText?
        var closedOK = true
        if let node = object["closed_intro"] { closedIntro = text(node, field: "closed_intro"); closedOK = closedIntro != nil }
        if closedKinds?.isEmpty == false, object["closed_intro"] == nil {
            problem(object.node, "\(object.name) has 'closed_kinds' but no 'closed_intro' to say when they are named")
            closedOK = false
        }
        guard let intro, let named, !named.isEmpty, let closedKinds, closedOK else { return nil }
        return CareToName(intro: intro, kinds: named, closedIntro: closedIntro, closedKinds: closedKinds)
    }

    /// Each kind of care an outcome names must be in directory.yaml.
    func checkCareReferences() {
        guard let known = medicalCareKinds else { return }
        for (kind, file, line) in careReferences where !known.contains(kind) {
            problems.append(ContentProblem(file: file, line: line,
                                           message: "directory.yaml lists no \(kind.rawValue) to name here"))
        }
    }
}
