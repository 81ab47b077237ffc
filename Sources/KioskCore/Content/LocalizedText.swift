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
        guard !values.isEmpty else { return self }
        // One pass over the UTF-8 bytes ("{" and "}" are ASCII, never inside another
        // character): "{name}" becomes its value; unknown names stay as written.
        let bytes = utf8
        guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return self }
        var out = "", from = bytes.startIndex
        while true {
            guard let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) else { break }
            let nameStart = bytes.index(after: open)
            out += self[from..<open]
            let name = String(self[nameStart..<close])
            out += values[name] ?? String(self[open...close])
            from = bytes.index(after: close)
            guard let next = bytes[from...].firstIndex(of: UInt8(ascii: "{")) else { break }
            open = next
        }
        return out + self[from...]
    }
}
