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
        guard !values.isEmpty, contains("{") else { return self }
        // One pass, in plain Swift: "{name}" becomes its value; unknown names stay as written.
        var out = "", rest = self[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
