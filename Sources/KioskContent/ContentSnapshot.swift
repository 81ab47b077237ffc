import Foundation
import KioskCore

/// Checked content, kept between runs so that the kiosk starts without parsing YAML
/// and grading every text again (issue 9: the check was most of the start-up time).
///
/// A snapshot holds the exact bytes of the content files it was made from and
/// the identity of the program that checked them. It is used only when both still
/// match byte for byte; anything else (an edit, a new build, a damaged or foreign
/// file) means the content is read and checked again, as if there were no snapshot.
/// `kiosk content check` never uses it.
public enum ContentSnapshot {
    /// Bump when the layout below or the model changes.
    static let format: UInt32 = 6
    static let magic: [UInt8] = Array("relief-kiosk content snapshot".utf8)

    /// The content of `directory`: from a matching snapshot in `cacheDirectory`, else
    /// read and checked (and, when valid, saved there for the next start).
    public static func load(directory: String, cacheDirectory: String?) -> Result<PracticeContent, ContentFailure> {
        guard let cacheDirectory, let files = readFiles(directory) else {
            return ContentLoader.load(directory: directory)
        }
        let file = snapshotPath(cacheDirectory: cacheDirectory, contentDirectory: directory)
        let program = programIdentity()
        if let bytes = readTrusted(file), let content = decode(bytes, files: files, program: program) {
            return .success(content)
        }
        let result = ContentLoader.load(directory: directory)
        if case let .success(content) = result,
           let again = readFiles(directory), again == files { // unchanged while it was checked
            save(encode(content, files: files, program: program), to: file, in: cacheDirectory)
        }
        return result
    }

    /// `$XDG_CACHE_HOME/relief-kiosk`, else `~/.cache/relief-kiosk`.
    /// `variable` reads one environment variable.
    public static func defaultCacheDirectory(variable: (String) -> String?) -> String? {
        if let xdg = variable("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return xdg + "/relief-kiosk" }
        guard let home = variable("HOME"), home.hasPrefix("/") else { return nil }
        return home + "/.cache/relief-kiosk"
    }

    static func snapshotPath(cacheDirectory: String, contentDirectory: String) -> String {
        // One snapshot per content folder (a laptop may switch between two).
        var absolute = contentDirectory
        if !absolute.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                absolute = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + absolute
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in absolute.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return cacheDirectory + "/content-" + String(hash, radix: 16) + ".snapshot"
    }

    // MARK: - Files and identity

    /// The content files' bytes, in the loader's order; nil when one cannot be read.
    static func readFiles(_ directory: String) -> [[UInt8]]? {
        var files: [[UInt8]] = []
        for name in ContentLoader.fileNames {
            guard let bytes = readAll(directory + "/" + name) else { return nil }
            files.append(bytes)
        }
        return files
    }

    /// The running program: a rebuilt kiosk may read or check content differently.
    static func programIdentity() -> [UInt8] {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return [] }
        let parts = [UInt64(info.st_dev), UInt64(info.st_ino), UInt64(info.st_size),
                     UInt64(info.st_mtim.tv_sec), UInt64(info.st_mtim.tv_nsec)]
        return parts.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    }

    static func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd: fd)
    }

    private static func readAll(fd: Int32) -> [UInt8]? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        // Sized by fstat, read in one go; a file that grows meanwhile is read to its end.
        var out = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            filled += n
        }
        out.removeLast(out.count - filled)
        return out
    }

    /// The snapshot's bytes, only from a regular file this user owns that nobody else may write.
    static func readTrusted(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & (S_IWGRP | S_IWOTH) == 0 else { return nil }
        return readAll(fd: fd)
    }

    /// Written whole under a temporary name, then renamed: a reader never sees half a file.
    static func save(_ bytes: [UInt8], to path: String, in directory: String) {
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { return }
        var info = stat()
        guard lstat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid(),
              info.st_mode & (S_IWGRP | S_IWOTH) == 0 else { return }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 { if errno == EINTR { continue }; break }
            written += n
        }
        close(fd)
        if written != bytes.count || rename(temporary, path) != 0 { unlink(temporary) }
    }

    // MARK: - Encoding

    static func encode(_ content: PracticeContent, files: [[UInt8]], program: [UInt8]) -> [UInt8] {
        var out = SnapshotWriter()
        out.bytes(magic)
        out.uint(UInt64(format))
        out.bytes(program)
        out.uint(UInt64(files.count))
        for file in files { out.bytes(file) }
        out.content(content)
        return out.buffer
    }

    /// The content, or nil unless the snapshot is whole and made by this program from these files.
    static func decode(_ bytes: [UInt8], files: [[UInt8]], program: [UInt8]) -> PracticeContent? {
        var input = SnapshotReader(bytes)
        do {
            guard try input.bytes() == magic, try input.uint() == UInt64(format), try input.bytes() == program,
                  try input.uint() == UInt64(files.count) else { return nil }
            for file in files where try input.bytes() != file { return nil }
            let content = try input.content()
            return input.atEnd ? content : nil
        } catch {
            return nil
        }
    }
}

// MARK: - The layout: lengths as variable-length integers, strings as UTF-8.

struct SnapshotWriter {
    var buffer: [UInt8] = []

    mutating func uint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { buffer.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        buffer.append(UInt8(v))
    }
    mutating func int(_ value: Int) { uint(UInt64(bitPattern: Int64(value))) }
    mutating func bool(_ value: Bool) { buffer.append(value ? 1 : 0) }
    mutating func bytes(_ value: [UInt8]) { uint(UInt64(value.count)); buffer.append(contentsOf: value) }
    mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in uint(UInt64(utf8.count)); buffer.append(contentsOf: utf8) }
    }
    mutating func optional<T>(_ value: T?, _ write: (inout SnapshotWriter, T) -> Void) {
        if let value { bool(true); write(&self, value) } else { bool(false) }
    }
    mutating func array<T>(_ values: [T], _ write: (inout SnapshotWriter, T) -> Void) {
        uint(UInt64(values.count))
        for value in values { write(&self, value) }
    }
    mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }
    mutating func dictionary<T>(_ values: [String: T], _ write: (inout SnapshotWriter, T) -> Void) {
        uint(UInt64(values.count))
        for key in values.keys.sorted() { string(key); write(&self, values[key]!) }
    }

    mutating func text(_ value: LocalizedText) { dictionary(value.byLanguage) { $0.string($1) } }

    mutating func condition(_ value: Condition) {
        switch value {
        case let .chose(question, anyOf):
            uint(0); string(question); strings(anyOf)
        case let .scale(question, min, max):
            uint(1); string(question); optional(min) { $0.int($1) }; optional(max) { $0.int($1) }
        case let .all(conditions): uint(2); array(conditions) { $0.condition($1) }
        case let .any(conditions): uint(3); array(conditions) { $0.condition($1) }
        case let .not(condition): uint(4); self.condition(condition)
        }
    }

    mutating func choice(_ value: Choice) {
        string(value.id); text(value.label); array(value.aliases) { $0.text($1) }; bool(value.exclusive)
        optional(value.ages) { $0.range($1) }; optional(value.days) { $0.range($1) }
    }

    mutating func range(_ value: ValueRange) {
        int(value.lower); optional(value.upper) { $0.int($1) }
    }

    mutating func rule(_ value: SafetyRule) {
        string(value.id); string(value.option); condition(value.when); text(value.text); strings(value.evidence)
    }

    mutating func content(_ c: PracticeContent) {
        let clinic = c.clinic
        string(clinic.name); string(clinic.address); string(clinic.phone); string(clinic.timeZone)
        strings(clinic.languages)
        array(clinic.disciplines) { w, d in w.string(d.id); w.text(d.label); w.array(d.aliases) { $0.text($1) } }
        array(clinic.professionals) { w, p in
            w.string(p.id); w.string(p.name); w.string(p.discipline); w.strings(p.languages)
            w.dictionary(p.hours) { $0.strings($1) }
            w.bool(p.newClients); w.optional(p.note) { $0.text($1) }
        }
        int(clinic.slotMinutes)
        array(clinic.partners) { w, p in
            w.string(p.id); w.string(p.name); w.string(p.discipline); w.strings(p.languages)
            w.string(p.address); w.string(p.phone); w.dictionary(p.hours) { $0.strings($1) }
            w.bool(p.newClients); w.optional(p.note) { $0.text($1) }
        }
        array(clinic.medicalCare) { w, m in
            w.string(m.id); w.string(m.name); w.string(m.kind.rawValue); w.string(m.address); w.string(m.phone)
            w.dictionary(m.hours) { $0.strings($1) }
        }
        optional(clinic.link) { $0.string($1) }; optional(clinic.printer) { $0.string($1) }
        int(clinic.printerColumns)
        int(clinic.reminderMinutes)
        dictionary(c.messages.texts) { $0.text($1) }
        array(c.warningScreens) { w, s in
            w.string(s.id); w.text(s.prompt); w.text(s.why)
            w.array(s.signs) { w, g in w.string(g.id); w.text(g.text); w.string(g.outcome); w.array(g.aliases) { $0.text($1) } }
        }
        array(c.outcomes) { w, o in
            w.string(o.id); w.string(o.level.rawValue); w.text(o.title); w.text(o.instructions); w.text(o.reason)
            w.optional(o.meanwhile) { $0.text($1) }
            w.optional(o.care) { w, care in
                w.text(care.intro); w.strings(care.kinds.map(\.rawValue))
                w.optional(care.closedIntro) { $0.text($1) }; w.strings(care.closedKinds.map(\.rawValue))
            }
        }
        array(c.escalations) { w, e in w.string(e.id); w.condition(e.when); w.string(e.outcome) }
        array(c.questions) { w, q in
            w.string(q.id)
            switch q.kind {
            case .single: w.uint(0)
            case .multiple: w.uint(1)
            case let .scale(min, max): w.uint(2); w.int(min); w.int(max)
            }
            w.text(q.prompt); w.text(q.why); w.optional(q.scaleHint) { $0.text($1) }
            w.array(q.choices) { $0.choice($1) }
            w.optional(q.askIf) { $0.condition($1) }
        }
        array(c.options) { w, o in
            w.string(o.id); w.text(o.name); w.text(o.summary)
            w.array(o.fits) { $0.condition($1.when); $0.int($1.weight); $0.text($1.reason) }
            w.text(o.homeCare); w.text(o.watchFor); w.strings(o.evidence); w.optional(o.discipline) { $0.string($1) }
        }
        array(c.leaveOut) { $0.rule($1) }
        array(c.precautions) { $0.rule($1) }
        array(c.evidence) { w, e in
            w.string(e.id); w.string(e.citation); w.int(e.year)
            w.optional(e.doi) { $0.string($1) }; w.optional(e.url) { $0.string($1) }
            w.text(e.kind); w.text(e.finding); w.text(e.strength); w.optional(e.funding) { $0.text($1) }
            w.optional(e.short) { $0.text($1) }
        }
        array(c.bookingTimes) { $0.choice($1) }
        dictionary(c.bookingTimeHours) { w, hours in w.dictionary(hours) { $0.strings($1) } }
        optional(c.progress) { w, p in
            w.array(p.measures) { w, m in w.string(m.question); w.text(m.label) }
            w.int(p.points); w.int(p.outOf); w.int(p.percent); w.strings(p.evidence)
        }
    }
}

struct SnapshotReader {
    struct Damaged: Error {}
    private let buffer: [UInt8]
    private var position = 0
    init(_ buffer: [UInt8]) { self.buffer = buffer }

    var atEnd: Bool { position == buffer.count }

    mutating func uint() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < buffer.count, shift < 64 else { throw Damaged() }
            let byte = buffer[position]; position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
    mutating func int() throws -> Int { Int(truncatingIfNeeded: Int64(bitPattern: try uint())) }
    mutating func count() throws -> Int {
        let n = try uint()
        guard n <= UInt64(buffer.count - position) else { throw Damaged() } // each item takes a byte at least
        return Int(n)
    }
    mutating func bool() throws -> Bool {
        guard position < buffer.count, buffer[position] <= 1 else { throw Damaged() }
        position += 1
        return buffer[position - 1] == 1
    }
    mutating func bytes() throws -> [UInt8] {
        let n = try count()
        defer { position += n }
        return Array(buffer[position..<position + n])
    }
    mutating func string() throws -> String {
        let n = try count()
        defer { position += n }
        return buffer.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[position..<position + n]), as: UTF8.self)
        }
    }
    mutating func optional<T>(_ read: (inout SnapshotReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
    mutating func array<T>(_ read: (inout SnapshotReader) throws -> T) throws -> [T] {
        let n = try count()
        var values: [T] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try read(&self)) }
        return values
    }
    mutating func strings() throws -> [String] { try array { try $0.string() } }
    mutating func dictionary<T>(_ read: (inout SnapshotReader) throws -> T) throws -> [String: T] {
        let n = try count()
        var values: [String: T] = [:]
        values.reserveCapacity(n)
        for _ in 0..<n { let key = try string(); values[key] = try read(&self) }
        return values
    }

    mutating func text() throws -> LocalizedText { LocalizedText(try dictionary { try $0.string() }) }

    mutating func condition(depth: Int = 0) throws -> Condition {
        guard depth < 64 else { throw Damaged() }
        switch try uint() {
        case 0: return .chose(question: try string(), anyOf: try strings())
        case 1: return .scale(question: try string(), min: try optional { try $0.int() }, max: try optional { try $0.int() })
        case 2: return .all(try array { try $0.condition(depth: depth + 1) })
        case 3: return .any(try array { try $0.condition(depth: depth + 1) })
        case 4: return .not(try condition(depth: depth + 1))
        default: throw Damaged()
        }
    }

    mutating func choice() throws -> Choice {
        Choice(id: try string(), label: try text(), aliases: try array { try $0.text() }, exclusive: try bool(),
               ages: try optional { try $0.range() }, days: try optional { try $0.range() })
    }

    mutating func range() throws -> ValueRange {
        ValueRange(try int(), try optional { try $0.int() })
    }

    mutating func rule() throws -> SafetyRule {
        SafetyRule(id: try string(), option: try string(), when: try condition(), text: try text(), evidence: try strings())
    }

    mutating func content() throws -> PracticeContent {
        let clinic = Clinic(
            name: try string(), address: try string(), phone: try string(), timeZone: try string(),
            languages: try strings(),
            disciplines: try array { Discipline(id: try $0.string(), label: try $0.text(), aliases: try $0.array { try $0.text() }) },
            professionals: try array { r in
                Professional(id: try r.string(), name: try r.string(), discipline: try r.string(),
                             languages: try r.strings(), hours: try r.dictionary { try $0.strings() },
                             newClients: try r.bool(), note: try r.optional { try $0.text() })
            },
            slotMinutes: try int(),
            partners: try array { r in
                Partner(id: try r.string(), name: try r.string(), discipline: try r.string(), languages: try r.strings(),
                        address: try r.string(), phone: try r.string(), hours: try r.dictionary { try $0.strings() },
                        newClients: try r.bool(), note: try r.optional { try $0.text() })
            },
            medicalCare: try array { r in
                let id = try r.string(), name = try r.string()
                guard let kind = MedicalCareKind(rawValue: try r.string()) else { throw Damaged() }
                return MedicalCare(id: id, name: name, kind: kind, address: try r.string(), phone: try r.string(),
                                   hours: try r.dictionary { try $0.strings() })
            },
            link: try optional { try $0.string() }, printer: try optional { try $0.string() },
            printerColumns: try int(), reminderMinutes: try int())
        let messages = Messages(try dictionary { try $0.text() })
        let warningScreens = try array { r in
            WarningScreen(id: try r.string(), prompt: try r.text(), why: try r.text(), signs: try r.array { s in
                WarningSign(id: try s.string(), text: try s.text(), outcome: try s.string(), aliases: try s.array { try $0.text() })
            })
        }
        let outcomes = try array { r in
            let id = try r.string()
            guard let level = TriageLevel(rawValue: try r.string()) else { throw Damaged() }
            return TriageOutcome(id: id, level: level, title: try r.text(), instructions: try r.text(),
                                 reason: try r.text(), meanwhile: try r.optional { try $0.text() },
                                 care: try r.optional { r in
                                     func kinds(_ r: inout SnapshotReader) throws -> [MedicalCareKind] {
                                         try r.strings().map { try MedicalCareKind(rawValue: $0) ?? { throw Damaged() }() }
                                     }
                                     return CareToName(intro: try r.text(), kinds: try kinds(&r),
                                                       closedIntro: try r.optional { try $0.text() },
                                                       closedKinds: try kinds(&r))
                                 })
        }
        let escalations = try array { r in Escalation(id: try r.string(), when: try r.condition(), outcome: try r.string()) }
        let questions = try array { r in
            let id = try r.string()
            let kind: Question.Kind
            switch try r.uint() {
            case 0: kind = .single
            case 1: kind = .multiple
            case 2: kind = .scale(min: try r.int(), max: try r.int())
            default: throw Damaged()
            }
            return Question(id: id, kind: kind, prompt: try r.text(), why: try r.text(),
                            scaleHint: try r.optional { try $0.text() }, choices: try r.array { try $0.choice() },
                            askIf: try r.optional { try $0.condition() })
        }
        let options = try array { r in
            CareOption(id: try r.string(), name: try r.text(), summary: try r.text(),
                       fits: try r.array { FitRule(when: try $0.condition(), weight: try $0.int(), reason: try $0.text()) },
                       homeCare: try r.text(), watchFor: try r.text(), evidence: try r.strings(),
                       discipline: try r.optional { try $0.string() })
        }
        let leaveOut = try array { try $0.rule() }
        let precautions = try array { try $0.rule() }
        let evidence = try array { r in
            Evidence(id: try r.string(), citation: try r.string(), year: try r.int(),
                     doi: try r.optional { try $0.string() }, url: try r.optional { try $0.string() },
                     kind: try r.text(), finding: try r.text(), strength: try r.text(),
                     funding: try r.optional { try $0.text() }, short: try r.optional { try $0.text() })
        }
        let bookingTimes = try array { try $0.choice() }
        let bookingTimeHours = try dictionary { r in try r.dictionary { try $0.strings() } }
        let progress = try optional { r in
            ProgressRule(measures: try r.array { ProgressRule.Measure(question: try $0.string(), label: try $0.text()) },
                         points: try r.int(), outOf: try r.int(), percent: try r.int(), evidence: try r.strings())
        }
        return PracticeContent(clinic: clinic, messages: messages, warningScreens: warningScreens, outcomes: outcomes,
                            escalations: escalations, questions: questions, options: options, leaveOut: leaveOut,
                            precautions: precautions, evidence: evidence, bookingTimes: bookingTimes,
                            bookingTimeHours: bookingTimeHours, progress: progress)
    }
}
