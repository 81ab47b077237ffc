import Foundation

/// The rules `kiosk import` applies to another file's rows, whatever database it imports into.
public enum ImportRules {
    /// Text shown of a value that came from the other file: safe for a terminal, short.
    public static func shown(_ text: String) -> String {
        let safe = TextSafety.display(text)
        return safe.count > 60 ? String(safe.prefix(60)) + "..." : safe
    }

    public static func isDate(_ text: String?) -> Bool { text.flatMap(StoredDate.date) != nil }

    public static func decodes<T: Decodable>(_ type: T.Type, _ text: String?) -> Bool {
        guard let text else { return false }
        return (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) != nil
    }

    // MARK: Rows refused, and why: the same whatever database the file goes into

    public static func assessmentProblem(_ row: ImportRow) -> String? {
        if (row.text("id") ?? "").isEmpty { return "has no id" }
        if !isDate(row.text("created_at")) { return "has an unreadable date" }
        guard let level = row.text("level"), TriageLevel(rawValue: level) != nil else {
            return "has an unknown triage level '\(shown(row.text("level") ?? ""))'"
        }
        guard decodes(Answers.self, row.text("answers_json")),
              decodes([String].self, row.text("options_shown_json")),
              decodes([String].self, row.text("options_left_out_json")) else {
            return "has unreadable answers or options"
        }
        return nil
    }

    public static func sessionProblem(_ row: ImportRow) -> String? {
        if (row.text("id") ?? "").isEmpty { return "has no id" }
        if !isDate(row.text("started_at")) { return "has an unreadable date" }
        return nil
    }

    public static func alertProblem(_ row: ImportRow) -> String? {
        guard isDate(row.text("created_at")) else { return "has an unreadable date" }
        guard let level = row.text("level"), AlertLevel(rawValue: level) != nil else {
            return "has an unknown level '\(shown(row.text("level") ?? ""))'"
        }
        if let acknowledged = row.text("acknowledged_at"), !isDate(acknowledged) {
            return "has an unreadable acknowledgement date"
        }
        return nil
    }

    /// A follow-up the file holds, checked: what importing it needs.
    public struct CheckedFollowUp: Sendable {
        public var assessment: String
        public var createdAt: String
        public var status: FollowUpStatus
    }

    public static func checkFollowUp(_ row: ImportRow) -> Result<CheckedFollowUp, RowProblem> {
        if (row.text("reference") ?? "").isEmpty { return .failure("has no reference code") }
        guard let assessment = row.text("assessment_id"), !assessment.isEmpty else { return .failure("has no assessment") }
        guard let createdAt = row.text("created_at"), isDate(createdAt) else { return .failure("has an unreadable date") }
        guard let statusText = row.text("status"), let status = FollowUpStatus(rawValue: statusText) else {
            return .failure(RowProblem("has an unknown status '\(shown(row.text("status") ?? ""))'"))
        }
        let blank = { (column: String, space: CharacterSet) in (row.text(column) ?? "").trimmingCharacters(in: space).isEmpty }
        if blank("name", .whitespacesAndNewlines) && blank("phone", .whitespaces) && blank("email", .whitespaces) {
            return .failure("has no name, phone or email (nothing to follow up)")
        }
        guard decodes([String].self, row.text("preferred_times_json")) else { return .failure("has unreadable preferred times") }
        // A referral is passed on to a partner outside the practice only with the client's OK.
        if row.number("referral") == 1, row.number("pass_on_consent") != 1 {
            return .failure("is a referral to a partner without consent to pass the contact on")
        }
        if let bad = ["booked_start", "booked_end"].first(where: { row.text($0).map { !isDate($0) } ?? false }) {
            return .failure(RowProblem("has an unreadable \(bad.replacingOccurrences(of: "_", with: " "))"))
        }
        return .success(CheckedFollowUp(assessment: assessment, createdAt: createdAt, status: status))
    }

    /// Why a row is refused, as the import report says it.
    public struct RowProblem: Error, Sendable, ExpressibleByStringLiteral {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public init(stringLiteral reason: String) { self.reason = reason }
    }

    /// Phone numbers compare by their digits alone ("+41 79 123 45 67" = "41791234567");
    /// fewer than 5 digits is not a number worth matching.
    public static func phoneKey(_ phone: String?) -> String? {
        guard let phone else { return nil }
        let digits = String(phone.unicodeScalars.filter { $0.isASCII && CharacterSet.decimalDigits.contains($0) })
        return digits.count >= 5 ? digits : nil
    }

    public static func emailKey(_ email: String?) -> String? {
        guard let email else { return nil }
        let key = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return key.isEmpty ? nil : key
    }
}
