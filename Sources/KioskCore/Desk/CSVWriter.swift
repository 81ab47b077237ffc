import Foundation

/// CSV for spreadsheets (RFC 4180), safe to open in Excel, LibreOffice or Sheets.
///
/// Control characters: every cell first goes through `TextSafety.display`, the one
/// sanitiser, so C0 and C1 controls, DEL and bidi controls become visible markers
/// (`<ESC>`, `<U+202E>`), and so do TAB, CR and LF inside a cell (`<TAB>`, `<CR>`,
/// `<LF>`). A cell therefore never holds a line break: the only raw control
/// characters in an export are the CRLF row ends. Nothing is removed; the desk
/// sees what was typed.
///
/// Formula injection (OWASP "CSV Injection"): a cell whose text starts with `=`,
/// `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so a spreadsheet shows it as
/// text. This includes phone numbers like `+1 555` and `-2`: that is the rule.
/// The leading tab/CR/LF is checked on the typed text (after sanitising it reads
/// `<TAB>...`, harmless, but the rule is kept as written).
public enum CSV {
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@"]
    static let controlStarts: Set<Unicode.Scalar> = ["\t", "\r", "\n"]

    /// One field: sanitised, guarded against formulas, then quoted when it holds
    /// a comma, a quote, CR or LF (inner quotes doubled).
    public static func cell(_ text: String) -> String {
        var shown = TextSafety.display(text)
        let startsWithControl = text.unicodeScalars.first.map(controlStarts.contains) ?? false
        if startsWithControl || shown.first.map(formulaStarts.contains) == true {
            shown = "'" + shown
        }
        // Scalars, not Characters: "\r\n" is one Character in Swift.
        guard shown.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return shown
        }
        return "\"" + shown.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record from raw texts (each goes through `cell`), ended by CRLF.
    /// Pass typed text, not the output of `cell`, which would be quoted twice.
    public static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// Column names of a follow-up export, in the order of `followUpCells`.
    public static func followUpHeader() -> [String] {
        ["reference", "created", "status", "name", "phone", "email", "discipline", "professional_requested",
         "preferred_times", "appointment_start", "appointment_end", "booked_professional", "event", "language",
         "after_medical_clearance", "notes"]
    }

    /// One follow-up as raw texts for `row`: times are ISO 8601 local time with
    /// the offset (`2026-03-09T09:00:00-05:00`) in `timeZone`; professionals by
    /// name when the clinic knows them, else by id; preferred times as choice
    /// ids joined by "; "; empty cells for what is not there.
    public static func followUpCells(_ f: DeskFollowUp, clinic: Clinic, timeZone: TimeZone) -> [String] {
        let request = f.followUp.request
        func professionalName(_ id: String?) -> String {
            guard let id else { return "" }
            return clinic.professionals.first { $0.id == id }?.name ?? id
        }
        return [
            f.reference,
            DeskTime.iso8601(request.createdAt, timeZone),
            f.status.rawValue,
            request.name,
            request.phone ?? "",
            request.email ?? "",
            request.discipline ?? "",
            professionalName(request.professional),
            request.preferredTimes.joined(separator: "; "),
            f.appointment.map { DeskTime.iso8601($0.start, timeZone) } ?? "",
            f.appointment.map { DeskTime.iso8601($0.end, timeZone) } ?? "",
            professionalName(f.appointment?.professional),
            request.event ?? "",
            request.language,
            request.afterMedicalClearance ? "yes" : "no",
            f.notes ?? "",
        ]
    }
}
