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

    /// One field: sanitised, guarded against formulas, then quoted when it holds
    /// a comma, a quote, CR or LF (inner quotes doubled). `FollowUpCSVEncoder.appendCell`
    /// does the same for printable ASCII, as bytes (a large export): change both together
    /// (the tests compare them).
    public static func cell(_ text: String) -> String {
        // Bytes, not Characters: an export formats millions of cells, and every byte
        // tested here is ASCII (UTF-8 never uses them inside a multi-byte character).
        var shown = TextSafety.display(text)
        let typedFirst = text.utf8.first
        let startsWithControl = typedFirst == 0x09 || typedFirst == 0x0D || typedFirst == 0x0A
        switch shown.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"): shown = "'" + shown
        default: if startsWithControl { shown = "'" + shown }
        }
        guard shown.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
            return shown
        }
        var quoted = [UInt8]()
        quoted.reserveCapacity(shown.utf8.count + 4)
        quoted.append(0x22)
        for byte in shown.utf8 {
            quoted.append(byte)
            if byte == 0x22 { quoted.append(0x22) }
        }
        quoted.append(0x22)
        return String(decoding: quoted, as: UTF8.self)
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
         "after_medical_clearance", "notes", "partner"]
    }

    /// One follow-up as raw texts for `row`: times are ISO 8601 local time with
    /// the offset (`2026-03-09T09:00:00-05:00`) in `timeZone`; professionals (and
    /// partners) by name when the clinic knows them, else by id; preferred times as choice
    /// ids joined by "; "; the partner of a referral in the last column; empty cells for
    /// what is not there.
    public static func followUpCells(_ f: DeskFollowUp, clinic: Clinic, timeZone: TimeZone) -> [String] {
        let request = f.followUp.request
        func professionalName(_ id: String?) -> String {
            guard let id else { return "" }
            return clinic.personName(id) ?? id
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
            request.referral ? professionalName(request.professional) : "",
        ]
    }
}
