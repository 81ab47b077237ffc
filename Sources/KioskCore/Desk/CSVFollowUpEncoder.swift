import Foundation

/// A follow-up's exported fields as a store holds them, as bytes, for writing a large
/// CSV export without a `String` per cell (`FollowUpCSVEncoder`). The buffers belong to
/// the store and are valid only during the call they are passed to. Text is UTF-8 (an
/// invalid sequence is read as U+FFFD, as `String(decoding:as:)` does).
public struct StoredFollowUpFields {
    public var reference: UnsafeBufferPointer<UInt8>
    /// Whole seconds since 1970-01-01 UTC.
    public var createdAt: Int64
    public var status: FollowUpStatus
    public var name: UnsafeBufferPointer<UInt8>
    public var phone: UnsafeBufferPointer<UInt8>?
    public var email: UnsafeBufferPointer<UInt8>?
    public var discipline: UnsafeBufferPointer<UInt8>?
    /// The professional asked for (an id).
    public var professional: UnsafeBufferPointer<UInt8>?
    /// The preferred times' choice ids joined by "; ", as `CSV.followUpCells` shows them.
    public var preferredTimes: UnsafeBufferPointer<UInt8>
    /// The booked professional (an id), with start and end in whole seconds since 1970.
    public var appointment: (professional: UnsafeBufferPointer<UInt8>, start: Int64, end: Int64)?
    public var event: UnsafeBufferPointer<UInt8>?
    public var language: UnsafeBufferPointer<UInt8>
    public var afterMedicalClearance: Bool
    public var notes: UnsafeBufferPointer<UInt8>?
    /// A referral: `professional` is a partner outside the practice (the partner column).
    public var referral: Bool

    public init(reference: UnsafeBufferPointer<UInt8>, createdAt: Int64, status: FollowUpStatus,
                name: UnsafeBufferPointer<UInt8>, phone: UnsafeBufferPointer<UInt8>?, email: UnsafeBufferPointer<UInt8>?,
                discipline: UnsafeBufferPointer<UInt8>?, professional: UnsafeBufferPointer<UInt8>?,
                preferredTimes: UnsafeBufferPointer<UInt8>,
                appointment: (professional: UnsafeBufferPointer<UInt8>, start: Int64, end: Int64)?,
                event: UnsafeBufferPointer<UInt8>?, language: UnsafeBufferPointer<UInt8>,
                afterMedicalClearance: Bool, notes: UnsafeBufferPointer<UInt8>?, referral: Bool = false) {
        self.reference = reference; self.createdAt = createdAt; self.status = status; self.name = name
        self.phone = phone; self.email = email; self.discipline = discipline; self.professional = professional
        self.preferredTimes = preferredTimes; self.appointment = appointment; self.event = event
        self.language = language; self.afterMedicalClearance = afterMedicalClearance; self.notes = notes
        self.referral = referral
    }
}

/// Writes follow-ups as CSV records straight into a byte buffer: the same bytes as
/// `CSV.row(CSV.followUpCells(...))` (the tests compare them), without building a
/// `String` per cell. A cell of printable ASCII (the usual case) is copied with the
/// formula guard and quoting of `CSV.cell`; any other cell goes through `CSV.cell`
/// itself, so sanitising has one definition.
public struct FollowUpCSVEncoder {
    private let timeZone: TimeZone
    private let clinic: Clinic
    /// Each professional's (and partner's) id and the cell of their name, when every id is printable
    /// ASCII (then a byte comparison is the same as `String`'s `==`); else nil.
    private let professionals: [(id: [UInt8], cell: [UInt8])]?
    /// Spans [from, until) of seconds in which the zone's offset does not change.
    private var spans: [(from: Int64, until: Int64, offset: Int)] = []

    public init(clinic: Clinic, timeZone: TimeZone) {
        self.clinic = clinic
        self.timeZone = timeZone
        let people = clinic.professionals.map { ($0.id, $0.name) } + clinic.partners.map { ($0.id, $0.name) }
        if people.allSatisfy({ $0.0.utf8.allSatisfy(Self.isPlain) }) {
            professionals = people.map { (Array($0.0.utf8), Array(CSV.cell($0.1).utf8)) }
        } else {
            professionals = nil
        }
    }

    /// Appends one record, ended by CRLF.
    public mutating func append(_ f: StoredFollowUpFields, to out: inout [UInt8]) {
        Self.appendCell(f.reference, to: &out); out.append(0x2C)
        appendTime(f.createdAt, to: &out); out.append(0x2C)
        out.append(contentsOf: f.status.rawValue.utf8); out.append(0x2C)
        Self.appendCell(f.name, to: &out); out.append(0x2C)
        Self.appendCell(f.phone, to: &out); out.append(0x2C)
        Self.appendCell(f.email, to: &out); out.append(0x2C)
        Self.appendCell(f.discipline, to: &out); out.append(0x2C)
        appendProfessional(f.professional, to: &out); out.append(0x2C)
        Self.appendCell(f.preferredTimes, to: &out); out.append(0x2C)
        if let appointment = f.appointment {
            appendTime(appointment.start, to: &out); out.append(0x2C)
            appendTime(appointment.end, to: &out); out.append(0x2C)
            appendProfessional(appointment.professional, to: &out); out.append(0x2C)
        } else {
            out.append(0x2C); out.append(0x2C); out.append(0x2C)
        }
        Self.appendCell(f.event, to: &out); out.append(0x2C)
        Self.appendCell(f.language, to: &out); out.append(0x2C)
        if f.afterMedicalClearance { out.append(0x79); out.append(0x65); out.append(0x73) } else { out.append(0x6E); out.append(0x6F) }
        out.append(0x2C)
        Self.appendCell(f.notes, to: &out); out.append(0x2C)
        if f.referral { appendProfessional(f.professional, to: &out) }
        out.append(0x0D); out.append(0x0A)
    }

    /// A printable ASCII byte: never changed by `TextSafety.display`.
    @inline(__always) static func isPlain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte <= 0x7E }

    /// `CSV.cell` of the text, appended (nothing for nil).
    public static func appendCell(_ text: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
        guard let text, !text.isEmpty else { return }
        var needsQuotes = false
        for byte in text {
            guard isPlain(byte) else {
                out.append(contentsOf: CSV.cell(String(decoding: text, as: UTF8.self)).utf8)
                return
            }
            if byte == 0x2C || byte == 0x22 { needsQuotes = true }
        }
        // The formula guard: a leading =, +, - or @ (tab, CR and LF are not plain).
        let guarded: Bool
        switch text[0] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"): guarded = true
        default: guarded = false
        }
        guard needsQuotes else {
            if guarded { out.append(0x27) }
            out.append(contentsOf: text)
            return
        }
        out.append(0x22)
        if guarded { out.append(0x27) }
        for byte in text {
            out.append(byte)
            if byte == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    /// A professional's name when the clinic knows the id, else the id (as `CSV.followUpCells`).
    private func appendProfessional(_ id: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
        guard let id else { return }
        if let professionals, id.allSatisfy(Self.isPlain) {
            if let known = professionals.first(where: { $0.id.elementsEqual(id) }) {
                out.append(contentsOf: known.cell)
            } else {
                Self.appendCell(id, to: &out)
            }
            return
        }
        let text = String(decoding: id, as: UTF8.self)
        out.append(contentsOf: CSV.cell(clinic.personName(text) ?? text).utf8)
    }

    /// Local ISO 8601 time with offset (`DeskTime.iso8601`).
    private mutating func appendTime(_ seconds: Int64, to out: inout [UInt8]) {
        DeskTime.appendISO8601(seconds: seconds, offset: offset(at: seconds), to: &out)
    }

    /// The zone's offset at that instant, remembered with the span around it in which the
    /// zone has no transition (rows come oldest first, so the next row's time is usually in
    /// the same span; appointment times in a few others).
    private mutating func offset(at seconds: Int64) -> Int {
        for span in spans where seconds >= span.from && seconds < span.until { return span.offset }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        // From the last transition at or before it (looking back 400 days at most) to the
        // next one; when that cannot be told, the span is this second alone.
        var from = seconds - 400 * 86_400, until: Int64?
        var cursor = Date(timeIntervalSince1970: Double(from))
        for _ in 0..<64 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: cursor) else { until = .max; break }
            let at = Int64(next.timeIntervalSince1970.rounded(.down))
            if at > seconds { until = at; break }
            guard next > cursor else { break }
            from = at
            cursor = next
        }
        if until == nil { from = seconds; until = seconds + 1 }
        if spans.count >= 16 { spans.removeFirst() }
        spans.append((from, until!, offset))
        return offset
    }
}
