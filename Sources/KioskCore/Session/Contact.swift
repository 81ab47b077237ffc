/// A phone number or an email address, as a client typed it; either is enough.
public struct Contact: Sendable, Hashable {
    public var phone: String?
    public var email: String?

    /// Accepts what looks like an email (one `@`, a dot in the domain, no spaces)
    /// or a phone number (7 to 15 digits, with spaces, `+`, `-`, `(`, `)` or `.`).
    public static func parse(_ raw: String) -> Contact? {
        let text = TextSafety.normalized(raw.trimmedWhitespace,
                                         maxLength: ClientSession.maxContactLength + 1)
        guard !text.isEmpty, text.count <= ClientSession.maxContactLength else { return nil }
        if text.contains("@") {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return nil }
            let domain = parts[1]
            guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix(".") else { return nil }
            return Contact(phone: nil, email: text)
        }
        let allowed = Set("0123456789 +-().")
        guard text.allSatisfy(allowed.contains) else { return nil }
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        guard (7...15).contains(digits) else { return nil }
        return Contact(phone: text, email: nil)
    }

    public var display: String { phone ?? email ?? "" }
}

import Foundation
