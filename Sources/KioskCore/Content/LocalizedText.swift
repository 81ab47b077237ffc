/// A client-facing text in every language the practice provides, keyed by a
/// language code ("en", "es"). Content decides the words; code only picks one.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var byLanguage: [String: String]

    public init(_ byLanguage: [String: String]) { self.byLanguage = byLanguage }
    public init(en: String) { self.byLanguage = ["en": en] }

    /// The text in `language`, else in `fallback`, else any text there is.
    public func resolve(_ language: String, fallback: String = "en") -> String {
        byLanguage[language] ?? byLanguage[fallback] ?? byLanguage.values.sorted().first ?? ""
    }

    public var isEmpty: Bool { byLanguage.values.allSatisfy { $0.isEmpty } }
}

extension String {
    /// Fills `{name}` placeholders of a content template.
    public func filling(_ values: [String: String]) -> String {
        var out = self
        for (key, value) in values { out = out.replacingOccurrences(of: "{\(key)}", with: value) }
        return out
    }
}
