import Foundation

/// The directory as the desk lists it (`kiosk directory`): the practice's own
/// professionals, the partners outside it, and local medical care, filtered.
public struct DirectoryListing: Sendable, Equatable {
    public var own: [Professional]
    public var partners: [Partner]
    /// Left out when a discipline is asked for (medical care has none).
    public var medicalCare: [MedicalCare]

    /// Why a filter was not taken: the text that was given and what it could be.
    public enum Problem: Error, Sendable, Equatable {
        case unknownDiscipline(String, known: [String])
        case unknownLanguage(String, known: [String])
    }

    /// - Parameters:
    ///   - discipline: a discipline's id or its label in any language (any case); nil for all.
    ///   - language: a language code ("es") or its own name ("Español"); nil for all. Medical
    ///     care lists no languages and is kept.
    ///   - languageNames: each code's own name, for reading `language`.
    public static func make(_ clinic: Clinic, discipline: String? = nil, language: String? = nil,
                            languageNames: [String: String] = [:]) -> Result<DirectoryListing, Problem> {
        var disciplineID: String?
        if let discipline {
            let key = TextSafety.folded(discipline)
            guard let found = clinic.disciplines.first(where: { item in
                item.id == discipline || item.label.byLanguage.values.contains { TextSafety.folded($0) == key }
            }) else {
                return .failure(.unknownDiscipline(discipline, known: clinic.disciplines.map(\.id)))
            }
            disciplineID = found.id
        }
        var code: String?
        if let language {
            let key = TextSafety.folded(language)
            let known = Array(Set(clinic.languages + clinic.professionals.flatMap(\.languages)
                + clinic.partners.flatMap(\.languages))).sorted()
            guard let found = known.first(where: { $0 == language.lowercased()
                || TextSafety.folded(languageNames[$0] ?? $0) == key }) else {
                return .failure(.unknownLanguage(language, known: known))
            }
            code = found
        }
        func keep(_ discipline: String, _ languages: [String]) -> Bool {
            (disciplineID == nil || discipline == disciplineID) && (code.map(languages.contains) ?? true)
        }
        return .success(DirectoryListing(
            own: clinic.professionals.filter { keep($0.discipline, $0.languages) },
            partners: clinic.partners.filter { keep($0.discipline, $0.languages) },
            medicalCare: disciplineID == nil ? clinic.medicalCare : []))
    }
}
