import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// A small, strict RFC 4180 reader, here so the export is checked by a parser
/// that is not the writer: quoted fields, doubled quotes, CRLF record ends.
/// Anything else (a bare CR or LF, a quote inside an unquoted field, text after
/// a closing quote, an unterminated quote, a missing final CRLF) is an error.
enum StrictCSV {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        let scalars = Array(text.unicodeScalars)
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var i = 0
        func endOfRecord(at j: Int) throws -> Bool {
            guard scalars[j] == "\r" || scalars[j] == "\n" else { return false }
            guard scalars[j] == "\r", j + 1 < scalars.count, scalars[j + 1] == "\n" else {
                throw Malformed(description: "bare CR or LF at \(j)")
            }
            return true
        }
        while i < scalars.count {
            if scalars[i] == "\"" {
                i += 1
                while true {
                    guard i < scalars.count else { throw Malformed(description: "unterminated quote") }
                    if scalars[i] == "\"" {
                        if i + 1 < scalars.count, scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                        i += 1
                        break
                    }
                    field.append(scalars[i]); i += 1
                }
                guard i < scalars.count else { throw Malformed(description: "missing CRLF at the end") }
                guard scalars[i] == "," || scalars[i] == "\r" else { throw Malformed(description: "text after a closing quote at \(i)") }
            } else {
                while i < scalars.count, scalars[i] != ",", scalars[i] != "\r", scalars[i] != "\n" {
                    if scalars[i] == "\"" { throw Malformed(description: "quote in an unquoted field at \(i)") }
                    field.append(scalars[i]); i += 1
                }
                guard i < scalars.count else { throw Malformed(description: "missing CRLF at the end") }
            }
            record.append(String(field)); field = String.UnicodeScalarView()
            if scalars[i] == "," {
                i += 1
                if i == scalars.count { throw Malformed(description: "missing CRLF at the end") }
            } else if try endOfRecord(at: i) {
                records.append(record); record = []; i += 2
            }
        }
        return records
    }
}

@Suite("Desk: CSV export")
struct DeskCSVTests {
    typealias F = DeskFixture

    /// Typed text, and what a spreadsheet must show for it.
    static let hostile: [(String, String)] = [
        ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'<TAB>x"),
        ("\rx", "'<CR>x"),
        ("\nx", "'<LF>x"),
        ("a,b", "a,b"),
        ("say \"hi\"", "say \"hi\""),
        ("\"", "\""),
        ("line\r\nbreak", "line<CR><LF>break"),
        ("\u{1B}[2J\u{1B}[31mred", "<ESC>[2J<ESC>[31mred"),
        ("\u{1B}]0;title\u{7}", "<ESC>]0;title<U+0007>"),
        ("c1\u{9B}31m", "c1<U+009B>31m"),
        ("del\u{7F}", "del<U+007F>"),
        ("\u{202E}evil\u{202C}", "<U+202E>evil<U+202C>"),
        ("\u{202E}=1+1", "<U+202E>=1+1"),
        ("nul\u{0}", "nul<NUL>"),
        ("a = b", "a = b"),
        ("555-0100", "555-0100"),
        ("emoji 👩🏽‍⚕️, é", "emoji 👩🏽‍⚕️, é"),
        ("", ""),
    ]

    @Test("cells: quoting and guard")
    func cells() {
        #expect(CSV.cell("plain") == "plain")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("=1+1") == "'=1+1")
        #expect(CSV.cell("=1,2") == "\"'=1,2\"")
        #expect(CSV.cell("line\r\nbreak") == "line<CR><LF>break")
        #expect(CSV.row(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
        for (typed, _) in Self.hostile {
            #expect(!CSV.cell(typed).unicodeScalars.contains(where: TextSafety.isUnsafe), "\(typed.debugDescription)")
        }
    }

    @Test("hostile cells round-trip through a strict RFC 4180 parser as guarded, visible text")
    func roundTrip() throws {
        let typed = Self.hostile.map(\.0)
        let shown = Self.hostile.map(\.1)
        let text = CSV.row(["typed"] + typed.indices.map { "c\($0)" }) + CSV.row(["x"] + typed) + CSV.row(typed.reversed())
        let records = try StrictCSV.parse(text)
        #expect(records.count == 3)
        #expect(records[1] == ["x"] + shown)
        #expect(records[2] == shown.reversed())
        try expectOnlyRowEnds(text, rows: 3)
    }

    @Test("a follow-up exports as one record under the header, times in local ISO 8601")
    func followUpRow() throws {
        let appointment = F.appointment("dana", F.at(2026, 3, 9, 9))
        let f = F.followUp("ABC-DEF", status: .booked, name: "=cmd|' /C calc'!A0", phone: "+1 555 0199",
                           email: "ada@example.org", discipline: "massage_therapist", professional: "lee",
                           appointment: appointment, notes: "called twice,\r\nleft voicemail")
        let header = CSV.followUpHeader()
        let cells = CSV.followUpCells(f, clinic: F.clinic, timeZone: F.chicago)
        #expect(cells.count == header.count)
        let text = CSV.row(header) + CSV.row(cells)
        let records = try StrictCSV.parse(text)
        #expect(records.count == 2)
        let row = Dictionary(uniqueKeysWithValues: zip(records[0], records[1]))
        #expect(row["reference"] == "ABC-DEF")
        #expect(row["created"] == "2026-03-01T10:15:00-06:00")
        #expect(row["status"] == "booked")
        #expect(row["name"] == "'=cmd|' /C calc'!A0")
        #expect(row["phone"] == "'+1 555 0199")
        #expect(row["email"] == "ada@example.org")
        #expect(row["discipline"] == "massage_therapist")
        #expect(row["professional_requested"] == "Lee Park")
        #expect(row["preferred_times"] == "morning; evening")
        #expect(row["appointment_start"] == "2026-03-09T09:00:00-05:00")
        #expect(row["appointment_end"] == "2026-03-09T10:00:00-05:00")
        #expect(row["booked_professional"] == "Dana Reyes")
        #expect(row["event"] == "health-fair")
        #expect(row["language"] == "en")
        #expect(row["after_medical_clearance"] == "no")
        #expect(row["notes"] == "called twice,<CR><LF>left voicemail")
        try expectOnlyRowEnds(text, rows: 2)

        let bare = CSV.followUpCells(F.followUp(phone: nil, email: nil, professional: nil), clinic: F.clinic, timeZone: F.chicago)
        #expect(bare[4] == "" && bare[5] == "" && bare[7] == "" && bare[9] == "" && bare[11] == "")
    }

    @Test("the byte encoder writes what CSV.row(CSV.followUpCells) writes")
    func encoderMatchesRow() {
        let appointment = F.appointment("dana", F.at(2026, 3, 9, 9))
        var followUps = [
            F.followUp("ABC-DEF", status: .booked, name: "=cmd|' /C calc'!A0", phone: "+1 555 0199", email: "ada@example.org",
                       discipline: "massage_therapist", professional: "lee", appointment: appointment,
                       notes: "called twice,\r\nleft voicemail"),
            F.followUp(phone: nil, email: nil, discipline: nil, professional: "someone else"),
            F.followUp("GHJ-KMN", status: .noShow, professional: "sam",
                       appointment: F.appointment("nobody", F.at(2026, 11, 1, 1, 30)), notes: ""),
        ]
        for (i, (typed, _)) in Self.hostile.enumerated() {
            var f = F.followUp("H\(i)", name: typed, phone: typed, email: typed, discipline: typed, professional: typed, notes: typed)
            f.followUp.request.event = typed
            f.followUp.request.afterMedicalClearance = i % 2 == 0
            followUps.append(f)
        }
        for zone in ["America/Chicago", "Asia/Kolkata", "UTC"] {
            let timeZone = TimeZone(identifier: zone)!
            var encoder = FollowUpCSVEncoder(clinic: F.clinic, timeZone: timeZone)
            for f in followUps {
                let expected = CSV.row(CSV.followUpCells(f, clinic: F.clinic, timeZone: timeZone))
                var out: [UInt8] = []
                Self.withFields(f) { encoder.append($0, to: &out) }
                #expect(String(decoding: out, as: UTF8.self) == expected, "\(f.reference) in \(zone)")
            }
        }
    }

    /// A follow-up's fields as bytes, as a store would hand them over.
    static func withFields(_ f: DeskFollowUp, _ body: (StoredFollowUpFields) -> Void) {
        let r = f.followUp.request
        func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }
        func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
        let texts: [[UInt8]?] = [bytes(f.reference), bytes(r.name), bytes(r.phone), bytes(r.email), bytes(r.discipline),
                                 bytes(r.professional), bytes(r.preferredTimes.joined(separator: "; ")),
                                 bytes(f.appointment?.professional), bytes(r.event), bytes(r.language), bytes(f.notes)]
        // Copies that stay put while the buffers are used.
        let storage = texts.map { $0.map { bytes -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
            _ = buffer.initialize(from: bytes)
            return UnsafeMutableBufferPointer(rebasing: buffer[0..<bytes.count])
        } }
        defer { storage.forEach { $0.map { UnsafeMutableBufferPointer(start: $0.baseAddress, count: 1).deallocate() } } }
        let b = storage.map { $0.map { UnsafeBufferPointer($0) } }
        body(StoredFollowUpFields(
            reference: b[0]!, createdAt: seconds(r.createdAt), status: f.status, name: b[1]!, phone: b[2], email: b[3],
            discipline: b[4], professional: b[5], preferredTimes: b[6]!,
            appointment: f.appointment.map { (b[7]!, seconds($0.start), seconds($0.end)) },
            event: b[8], language: b[9]!, afterMedicalClearance: r.afterMedicalClearance, notes: b[10]))
    }

    /// No raw control character except exactly one CRLF per record, at its end.
    func expectOnlyRowEnds(_ text: String, rows: Int) throws {
        #expect(text.hasSuffix("\r\n"))
        let scalars = Array(text.unicodeScalars)
        var crlf = 0
        for (i, scalar) in scalars.enumerated() where TextSafety.isUnsafe(scalar) {
            if scalar == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { crlf += 1; continue }
            if scalar == "\n", i > 0, scalars[i - 1] == "\r" { continue }
            Issue.record("raw control U+\(String(scalar.value, radix: 16)) at \(i)")
        }
        #expect(crlf == rows)
    }
}

@Suite("Desk: iCalendar export")
struct DeskICalendarTests {
    typealias F = DeskFixture
    static let now = Date(timeIntervalSince1970: 1_772_000_000) // 2026-02-25 06:13:20 UTC

    static let hostileName = "Ada \"Eve\" O'Neil, Jr.;\\\r\nDESCRIPTION:pwned\u{1B}[2J \u{202E}"
    static let booked = F.followUp("ABC-DEF", status: .booked, name: hostileName, phone: "+1 555 0199",
                                   email: "ada@example.org", appointment: F.appointment("dana", F.at(2026, 3, 9, 9)),
                                   notes: "said the clot medication makes her bruise")
    static let moved = F.followUp("GHJ-KMN", status: .completed, name: "Bo", phone: nil, email: "bo@example.org",
                                  appointment: F.appointment("dana", F.at(2026, 3, 6, 16, 30), minutes: 90))
    static let waiting = F.followUp("PQR-STU", status: .requested)
    static let cancelled = F.followUp("VWX-YZ2", status: .cancelled, appointment: F.appointment("dana", F.at(2026, 3, 3, 9)))
    static let longProfessional = "Dr. Ångström-Øverli Σωκράτης 山田太郎 👩🏽‍⚕️, Physical Therapist; Manual Therapy \\ Sports"

    static func calendar(includeContact: Bool) -> String {
        var text = ICalendar.header(clinic: F.clinic, now: now)
        for f in [booked, moved, waiting, cancelled] {
            let name = f.reference == "ABC-DEF" ? longProfessional : "Dana Reyes"
            if let event = ICalendar.event(f, clinic: F.clinic, professionalName: name, includeContact: includeContact, now: now) {
                text += event
            }
        }
        return text + ICalendar.footer
    }

    /// Lines split at CRLF, scalar by scalar: Swift's Character-level string
    /// functions would glue "\r\n" or a space to a following combining mark.
    static func physicalLines(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                lines.append(String(line)); line = String.UnicodeScalarView(); i += 2; continue
            }
            line.append(scalars[i]); i += 1
        }
        #expect(line.isEmpty, "text after the last CRLF")
        return lines
    }

    /// RFC 5545 unfolding: a line that starts with a space continues the one before.
    static func unfold(_ text: String) -> [String] {
        var logical: [String] = []
        for line in physicalLines(text) {
            if line.unicodeScalars.first == " ", !logical.isEmpty {
                logical[logical.count - 1].unicodeScalars.append(contentsOf: line.unicodeScalars.dropFirst())
            } else {
                logical.append(line)
            }
        }
        return logical
    }

    /// The whole text unfolded, lines joined by CRLF, for searching.
    static func unfolded(_ text: String) -> String {
        unfold(text).map { $0 + "\r\n" }.joined()
    }

    @Test("every line ends in CRLF, holds at most 75 octets of valid UTF-8, continuations start with a space",
          arguments: [false, true])
    func lines(includeContact: Bool) throws {
        let text = Self.calendar(includeContact: includeContact)
        #expect(text.hasSuffix("\r\n"))
        // No lone CR or LF anywhere, and no other raw control character.
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() where TextSafety.isUnsafe(s) {
            let ok = (s == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n") || (s == "\n" && i > 0 && scalars[i - 1] == "\r")
            #expect(ok, "raw control U+\(String(s.value, radix: 16)) at \(i)")
        }
        // Byte-wise, so a split inside a character would show as invalid UTF-8.
        var line: [UInt8] = []
        var physical: [[UInt8]] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { physical.append(line); line = []; i += 2; continue }
            line.append(bytes[i]); i += 1
        }
        #expect(line.isEmpty)
        var folded = 0
        for bytes in physical {
            #expect(bytes.count <= 75)
            #expect(String(validating: bytes, as: UTF8.self) != nil, "a character split across lines")
            if bytes.first == 32 { folded += 1 }
        }
        #expect(folded > 0, "the long professional name should have been folded")
        // A logical line never starts with a space, so a leading space only means folding.
        #expect(Self.unfold(text).allSatisfy { !$0.hasPrefix(" ") && !$0.isEmpty })
    }

    @Test("fold: 75 octets, whole characters, one leading space; unfolding restores the original",
          arguments: [String(repeating: "abcdefghij", count: 30), String(repeating: "é", count: 100),
                      String(repeating: "山", count: 80), String(repeating: "👩🏽‍⚕️", count: 20),
                      "DESCRIPTION:" + String(repeating: "x", count: 63), "SUMMARY:short", String(repeating: "a", count: 76),
                      "X:" + String(repeating: "e\u{301}", count: 60)])
    func fold(_ line: String) {
        let folded = ICalendar.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        let physical = Self.physicalLines(folded)
        for (index, piece) in physical.enumerated() {
            #expect(piece.utf8.count <= 75)
            if index > 0 {
                let scalars = Array(piece.unicodeScalars)
                #expect(scalars.count > 1 && scalars[0] == " " && scalars[1] != " ")
                // Whole characters: a continuation never starts with a combining scalar.
                #expect(!scalars[1].properties.isGraphemeExtend && scalars[1] != "\u{200D}"
                        && !scalars[1].properties.isEmojiModifier)
            }
            // Full lines, not needlessly short ones: the next character would not have fitted.
            if index < physical.count - 1, let next = physical[index + 1].dropFirst().first {
                #expect(piece.utf8.count + next.utf8.count > 75)
            }
        }
        #expect((physical.count == 1) == (line.utf8.count <= 75))
        #expect(Self.unfold(folded).count == 1)
        #expect(Self.unfold(folded).first?.unicodeScalars.elementsEqual(line.unicodeScalars) == true)
    }

    @Test("fold: a character longer than a line is cut between its scalars, never inside one")
    func foldGiantCharacter() {
        let line = "SUMMARY:Z" + String(repeating: "\u{301}", count: 60) + "end"
        #expect(line.count == 12)
        let folded = ICalendar.fold(line)
        let physical = Self.physicalLines(folded)
        #expect(physical.count == 2)
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(Self.unfold(folded).first?.unicodeScalars.elementsEqual(line.unicodeScalars) == true)
    }

    @Test("TEXT escaping of backslash, semicolon, comma and line breaks; other controls visible")
    func escaping() {
        #expect(ICalendar.escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf")
        #expect(ICalendar.escape("x\u{1B}[1my\rz\u{202E}") == "x<ESC>[1my<CR>z<U+202E>")
        #expect(ICalendar.escape("plain: text") == "plain: text")
        #expect(ICalendar.escape("\\n") == "\\\\n")
    }

    @Test("required properties and structure")
    func properties() throws {
        let lines = Self.unfold(Self.calendar(includeContact: false))
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.last == "END:VCALENDAR")
        for required in ["VERSION:2.0", "CALSCALE:GREGORIAN"] { #expect(lines.contains(required)) }
        #expect(lines.contains { $0.hasPrefix("PRODID:") })
        // Balanced components.
        var stack: [String] = []
        var events: [[String]] = []
        for line in lines {
            if line.hasPrefix("BEGIN:") {
                stack.append(String(line.dropFirst(6)))
                if line == "BEGIN:VEVENT" { events.append([]) }
            } else if line.hasPrefix("END:") {
                #expect(stack.popLast() == String(line.dropFirst(4)))
            } else if stack.last == "VEVENT" {
                events[events.count - 1].append(line)
            }
        }
        #expect(stack.isEmpty)
        #expect(events.count == 2, "booked and completed; not the requested one nor the cancelled one")
        for event in events {
            for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"] {
                #expect(event.filter { $0.hasPrefix(name + ":") || $0.hasPrefix(name + ";") }.count == 1, "\(name)")
            }
            #expect(event.contains("DTSTAMP:20260225T061320Z"))
        }
        #expect(events[0].contains("UID:ABC-DEF@test-clinic.relief-kiosk"))
        #expect(events[0].contains("DTSTART;TZID=America/Chicago:20260309T090000"))
        #expect(events[0].contains("DTEND;TZID=America/Chicago:20260309T100000"))
        #expect(events[1].contains("DTSTART;TZID=America/Chicago:20260306T163000"))
        #expect(events[1].contains("DTEND;TZID=America/Chicago:20260306T180000"))
        #expect(events[1].contains("SUMMARY:Follow-up GHJ-KMN with Dana Reyes"))
        #expect(events[0].contains("SUMMARY:Follow-up ABC-DEF with " + ICalendar.escape(Self.longProfessional)))
        #expect(events[1].contains("DESCRIPTION:Reference: GHJ-KMN\\nProfessional: Dana Reyes"))
        #expect(ICalendar.event(Self.waiting, clinic: F.clinic, professionalName: "x", includeContact: true, now: Self.now) == nil)
        #expect(ICalendar.event(Self.cancelled, clinic: F.clinic, professionalName: "x", includeContact: true, now: Self.now) == nil)
    }

    @Test("no name, phone or email unless asked; never notes or health details")
    func privacy() {
        let without = Self.unfolded(Self.calendar(includeContact: false))
        for secret in ["Ada", "Eve", "O'Neil", "555 0199", "ada@example.org", "bo@example.org", "Bo\\n", "Name:", "Phone:", "Email:"] {
            #expect(!without.contains(secret), "\(secret)")
        }
        let with = Self.unfolded(Self.calendar(includeContact: true))
        #expect(with.contains("\\nName: Ada \"Eve\" O'Neil\\, Jr.\\;\\\\<CR><LF>DESCRIPTION:pwned<ESC>[2J <U+202E>\\nPhone: +1 555 0199\\nEmail: ada@example.org\r\n"))
        #expect(with.contains("\\nName: Bo\\nEmail: bo@example.org\r\n"))
        for text in [without, with] {
            let lines = Self.unfold(text)
            #expect(!lines.contains { $0.hasPrefix("DESCRIPTION:pwned") })
            #expect(lines.filter { $0.hasPrefix("DESCRIPTION:") }.count == 2)
            for health in ["clot", "bruise", "medication", "assessment-1", "clearance", "massage_therapist", "health-fair", "morning"] {
                #expect(!text.contains(health), "\(health)")
            }
        }
    }

    @Test("VTIMEZONE: yearly rules for Chicago and Berlin, a single standard time for Tokyo")
    func timeZones() {
        let chicago = Self.unfold(ICalendar.header(clinic: F.clinic, now: Self.now))
        #expect(chicago.contains("TZID:America/Chicago"))
        #expect(chicago.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"))
        #expect(chicago.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"))
        #expect(chicago.contains("BEGIN:DAYLIGHT") && chicago.contains("BEGIN:STANDARD"))
        let daylight = chicago.drop { $0 != "BEGIN:DAYLIGHT" }.prefix { $0 != "END:DAYLIGHT" }
        #expect(daylight.contains("TZOFFSETFROM:-0600") && daylight.contains("TZOFFSETTO:-0500"))
        #expect(daylight.contains { $0.hasPrefix("DTSTART:") && $0.hasSuffix("T020000") })

        func header(_ zone: String) -> [String] {
            var clinic = F.clinic
            clinic.timeZone = zone
            return Self.unfold(ICalendar.header(clinic: clinic, now: Self.now))
        }
        let berlin = header("Europe/Berlin")
        #expect(berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
        #expect(berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
        let tokyo = header("Asia/Tokyo")
        #expect(tokyo.contains("BEGIN:STANDARD") && !tokyo.contains("BEGIN:DAYLIGHT"))
        #expect(tokyo.contains("TZOFFSETFROM:+0900") && tokyo.contains("TZOFFSETTO:+0900"))

        // An unknown zone: UTC times and no VTIMEZONE, rather than a TZID nobody can resolve.
        var broken = F.clinic
        broken.timeZone = "Not/AZone"
        let lines = Self.unfold(ICalendar.header(clinic: broken, now: Self.now)
            + (ICalendar.event(Self.booked, clinic: broken, professionalName: "Dana", includeContact: false, now: Self.now) ?? ""))
        #expect(!lines.contains("BEGIN:VTIMEZONE"))
        #expect(lines.contains("DTSTART:20260309T140000Z"))
    }
}
