import Foundation

/// The second factor: the last 4 digits of a phone number, or the first 3 letters of an email.
public enum ReturnFactor {
    /// What a client typed, as it is compared: 4 digits (spaces and dashes dropped), or 3
    /// characters in lower case. Nil for anything else (a hint, not a failure).
    public static func normalized(_ typed: String) -> String? {
        let text = TextSafety.normalized(typed.trimmedWhitespace, maxLength: 20)
        let digits = text.filter { $0 != " " && $0 != "-" }
        if digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return digits }
        let letters = text.lowercased()
        if letters.count == 3, !letters.contains(where: \.isWhitespace) { return letters }
        return nil
    }

    /// Whether a normalized factor matches the contact given with the request.
    public static func matches(_ factor: String, phone: String?, email: String?) -> Bool {
        if factor.count == 4, let phone {
            let digits = phone.filter { $0.isASCII && $0.isNumber }
            if digits.count >= 4, String(digits.suffix(4)) == factor { return true }
        }
        if factor.count == 3, let email, email.count >= 3, String(email.prefix(3)).lowercased() == factor { return true }
        return false
    }
}
