import Foundation

/// Dates are stored as ISO-8601 UTC text with milliseconds, fixed width so that text
/// order is time order: "2025-03-01T09:30:00.000Z".
public enum StoredDate {
    public static func text(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, ms) = floorDivMod(millis, 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2)
            + "T" + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2)
            + "." + pad(Int32(ms), 3) + "Z"
    }

    /// Reads "YYYY-MM-DDTHH:MM:SS[.fff]Z" (a space for "T" is accepted too).
    public static func date(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 20,
              let year = number(0, 4), chars[4] == UInt8(ascii: "-"),
              let month = number(5, 2), chars[7] == UInt8(ascii: "-"),
              let day = number(8, 2), chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "),
              let hour = number(11, 2), chars[13] == UInt8(ascii: ":"),
              let minute = number(14, 2), chars[16] == UInt8(ascii: ":"),
              let second = number(17, 2) else { return nil }
        var index = 19
        var millis = 0
        if chars[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                millis += Int(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index == chars.count - 1, chars[index] == UInt8(ascii: "Z") else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900); parts.tm_mon = Int32(month - 1); parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour); parts.tm_min = Int32(minute); parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(millis)) / 1000)
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}
