import KioskCore
import Yams

extension ContentReader {
    /// The longest link allowed: a longer one makes a QR code too big for most screens.
    static let maxLinkLength = 300

    /// clinic.yaml's optional `link` (the page the take-home QR code opens), `printer` (the
    /// CUPS queue for take-home slips) and `printer_columns`. Nil when one is wrong.
    func readTakeHome(_ clinic: Object) -> (link: String?, printer: String?, columns: Int)? {
        var ok = true
        var link: String?
        if let node = clinic["link"], !isNull(node), let value = string(node, field: "link") {
            if let why = Self.linkProblem(value) { problem(node, "'link' \(why)"); ok = false } else { link = value }
        }
        var printer: String?
        if let node = clinic["printer"], !isNull(node), let value = string(node, field: "printer") {
            if let why = Self.queueProblem(value) { problem(node, "'printer' \(why)"); ok = false } else { printer = value }
        }
        var columns = 42
        if let node = clinic["printer_columns"], let value = int(node, field: "printer_columns") {
            if (20...120).contains(value) { columns = value } else {
                problem(node, "'printer_columns' should be from 20 to 120 characters, not \(value)")
                ok = false
            }
        }
        return ok ? (link, printer, columns) : nil
    }

    /// Why `link` cannot go into a QR code, or nil: a web address (http or https) in printable
    /// ASCII without spaces, whose only placeholder is `{reference}`.
    static func linkProblem(_ link: String) -> String? {
        let lower = link.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), link.count > "https://".count else {
            return "should be a web address starting with https:// (or http://), not '\(link)'"
        }
        if link.count > maxLinkLength {
            return "is \(link.count) characters long; at most \(maxLinkLength) fit a QR code on a screen"
        }
        if let bad = link.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F }) {
            let what = bad.value == 0x20 ? "a space" : "U+\(String(bad.value, radix: 16, uppercase: true))"
            return "holds \(what): write it with %-codes (a space is %20)"
        }
        let rest = link.replacingOccurrences(of: "{reference}", with: "")
        if rest.contains("{") || rest.contains("}") {
            return "may hold only the placeholder {reference}"
        }
        return nil
    }

    /// Why `name` cannot be a CUPS queue's name, or nil. CUPS allows up to 127 printable
    /// characters other than space, tab, `/`, `\`, `'`, `"` and `#`; a leading `-` would read
    /// as an option to lp.
    static func queueProblem(_ name: String) -> String? {
        if name.utf8.count > 127 { return "is longer than a CUPS queue name may be (127 characters)" }
        if name.hasPrefix("-") { return "should be a CUPS queue name (as lpstat -p lists it), not '\(name)'" }
        let bad = name.unicodeScalars.first { $0.value <= 0x20 || $0.value >= 0x7F || "/\\'\"#".unicodeScalars.contains($0) }
        if bad != nil {
            return "should be a CUPS queue name (as lpstat -p lists it): letters, digits, '-', '_' or '.', not '\(name)'"
        }
        return nil
    }
}
