import Foundation
import KioskTestSupport
import Testing

/// Reads the QR codes on a screen as a camera would: the screen's text is painted as a
/// terminal paints it (half blocks in the foreground colour over the background, the
/// colours set by `ESC[30m`, `ESC[47m` and `ESC[0m`), one pixel a module (a cell is one
/// pixel wide and two high), scaled up, with the terminal's own background around it,
/// then decoded by zbarimg (Debian's zbar-tools).
enum QRScanning {
    /// The terminal's own colours: light text on dark (the usual kiosk), or dark on light.
    enum Terminal: String, CustomTestStringConvertible, Sendable {
        case darkBackground, lightBackground
        var testDescription: String { self == .darkBackground ? "a dark terminal" : "a light terminal" }
        /// Whether the default foreground and background are dark.
        var foregroundIsDark: Bool { self == .lightBackground }
        var backgroundIsDark: Bool { self == .darkBackground }
    }

    static var zbarimg: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"]).map { $0 + "/zbarimg" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Run when zbarimg is here, and always under CI (where its absence is a failure).
    static var runs: Bool { zbarimg != nil || inCI }

    static let howToRun = "QR decoding tests skipped: zbarimg is not installed "
        + "(apt-get install zbar-tools; .ci/run installs it)."

    /// Dark (true) or light pixels, a row per half line, as the terminal shows `lines`.
    static func picture(_ lines: [String], on terminal: Terminal) -> [[Bool]] {
        var rows: [[Bool]] = []
        for line in lines {
            var foreground = terminal.foregroundIsDark, background = terminal.backgroundIsDark
            var top: [Bool] = [], bottom: [Bool] = []
            var scalars = Array(line.unicodeScalars)[...]
            while let scalar = scalars.popFirst() {
                if scalar == "\u{1B}" {
                    // CSI: ESC [ parameters final; only SGR (final m) changes colours.
                    guard scalars.first == "[" else { _ = scalars.popFirst(); continue }
                    scalars = scalars.dropFirst()
                    var parameters = ""
                    while let next = scalars.popFirst() {
                        if (0x40...0x7E).contains(next.value) {
                            if next == "m" {
                                for code in parameters.split(separator: ";", omittingEmptySubsequences: false) {
                                    switch Int(code) ?? 0 {
                                    case 0: foreground = terminal.foregroundIsDark; background = terminal.backgroundIsDark
                                    case 30: foreground = true
                                    case 37, 97: foreground = false
                                    case 39: foreground = terminal.foregroundIsDark
                                    case 40: background = true
                                    case 47, 107: background = false
                                    case 49: background = terminal.backgroundIsDark
                                    default: break
                                    }
                                }
                            }
                            break
                        }
                        parameters.unicodeScalars.append(next)
                    }
                    continue
                }
                if scalar.value < 0x20 { continue }
                switch scalar {
                case "█": top.append(foreground); bottom.append(foreground)
                case "▀": top.append(foreground); bottom.append(background)
                case "▄": top.append(background); bottom.append(foreground)
                default: top.append(background); bottom.append(background)   // a space, or a letter's cell
                }
            }
            rows += [top, bottom]
        }
        let width = rows.map(\.count).max() ?? 0
        return rows.map { $0 + Array(repeating: terminal.backgroundIsDark, count: width - $0.count) }
    }

    /// `picture` as a plain PBM (1 is black), each pixel `scale` x `scale`, with `border`
    /// pixels of the terminal's background around it.
    static func pbm(_ picture: [[Bool]], scale: Int, border: Int, background: Bool) -> String {
        let width = (picture.first?.count ?? 0) * scale + 2 * border
        let height = picture.count * scale + 2 * border
        let edge = background ? "1" : "0"
        var out = "P1\n\(width) \(height)\n"
        let blankRow = String(repeating: edge, count: width) + "\n"
        for _ in 0..<border { out += blankRow }
        for row in picture {
            var line = String(repeating: edge, count: border)
            for dark in row { line += String(repeating: dark ? "1" : "0", count: scale) }
            line += String(repeating: edge, count: border) + "\n"
            for _ in 0..<scale { out += line }
        }
        for _ in 0..<border { out += blankRow }
        return out
    }

    /// What zbarimg reads in `lines` shown on `terminal` (only its standard output: it also
    /// warns on standard error where no system bus runs). `inverted` also tries light-on-dark.
    static func decode(_ lines: [String], on terminal: Terminal, scale: Int = 6,
                       inverted: Bool = false) throws -> [String] {
        guard let zbarimg else {
            Issue.record("zbarimg is missing under CI: apt-get install zbar-tools")
            return []
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-qr-\(UUID().uuidString).pbm")
        defer { try? FileManager.default.removeItem(at: file) }
        try pbm(picture(lines, on: terminal), scale: scale, border: 3 * scale, background: terminal.backgroundIsDark)
            .write(to: file, atomically: true, encoding: .ascii)
        return try outputLines(zbarimg, ["--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable"]
            + (inverted ? ["-Stest-inverted"] : []) + [file.path])
    }

    /// The lines a tool prints on standard output (its standard error is dropped).
    static func outputLines(_ tool: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The lines of the last screen in a terminal's raw output: what follows the last
    /// clear-screen sequence, with line ends and cursor codes other than colours dropped.
    static func lastScreen(_ raw: [UInt8]) -> [String] {
        var text = String(decoding: raw, as: UTF8.self)
        if let clear = text.range(of: "\u{1B}[H\u{1B}[2J\u{1B}[3J", options: .backwards) {
            text = String(text[clear.upperBound...])
        }
        return text.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }
}
