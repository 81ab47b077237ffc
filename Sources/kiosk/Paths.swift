import Foundation

/// Where the kiosk finds its content and keeps its data (DESIGN.md, "Defaults").
enum Paths {
    /// One environment variable. Read alone: `ProcessInfo`'s environment builds a dictionary of
    /// every variable at each call, which took a tenth of a millisecond a time at every start.
    static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// --content, else KIOSK_CONTENT, else ./Content, else Content next to the executable.
    static func content(_ flag: String?) -> String {
        if let flag { return flag }
        if let env = variable("KIOSK_CONTENT"), !env.isEmpty { return env }
        let local = FileManager.default.currentDirectoryPath + "/Content"
        if FileManager.default.fileExists(atPath: local) { return "Content" }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("Content").path
    }

    /// --db, else KIOSK_DB, else $XDG_DATA_HOME/relief-kiosk/kiosk.sqlite (or ~/.local/share/...).
    static func database(_ flag: String?) -> String {
        if let flag { return flag }
        if let env = variable("KIOSK_DB"), !env.isEmpty { return env }
        let base: String
        if let xdg = variable("XDG_DATA_HOME"), !xdg.isEmpty {
            base = xdg
        } else {
            base = (variable("HOME") ?? NSHomeDirectory()) + "/.local/share"
        }
        return base + "/relief-kiosk/kiosk.sqlite"
    }

    /// This kiosk's name where its wrong tries at the returning clients' check are counted
    /// (and locked): the machine's host name, so that a restart keeps the count.
    static var kioskName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "kiosk" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "kiosk" : name
    }
}
