import Foundation
import KioskCore
import KioskTerminal

/// Prints take-home slips through CUPS's own commands: `lpstat -p QUEUE` first, then
/// `lp -d QUEUE` with the slip's text on standard input.
///
/// The check comes first because a stopped queue (`cupsdisable`) still accepts a job
/// (`lp` exits 0) and holds it: the client would be told "printing" and the slip would come
/// out later for whoever stands there. A missing queue makes both commands fail.
struct SlipPrinter {
    /// Seconds either command may take before the kiosk gives up on the printer.
    var timeout: TimeInterval = 10

    enum Failure: Error, CustomStringConvertible {
        case noCUPS(String)
        case notReady(String)
        case refused(String)

        var description: String {
            switch self {
            case let .noCUPS(command): return "\(command) is not installed (Debian's cups-client)"
            case let .notReady(said): return "the queue is not ready (lpstat: \(said))"
            case let .refused(said): return "lp refused the slip (\(said))"
            }
        }
    }

    /// The slip as plain text for paper `columns` wide: no colour, ASCII rules, blank lines
    /// at the end so that a receipt printer's cutter misses the last line.
    static func text(_ slip: [Screen.Block], columns: Int) -> String {
        Renderer(width: columns, color: false, clearSequence: false, asciiOnly: true)
            .render(Screen(blocks: slip, prompt: "")) + "\n\n\n"
    }

    func print(_ text: String, queue: String) -> Result<Void, Failure> {
        guard let lpstat = Self.executable("lpstat") else { return .failure(.noCUPS("lpstat")) }
        guard let lp = Self.executable("lp") else { return .failure(.noCUPS("lp")) }
        guard let status = run(lpstat, ["-p", queue], input: nil) else { return .failure(.notReady("no answer")) }
        // "printer Slip is idle.  enabled since ..." or "printer Slip disabled since ...";
        // LC_ALL=C keeps these words English whatever the machine's language.
        let said = status.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status.code == 0, said.hasPrefix("printer \(queue) "), !said.contains("disabled") else {
            return .failure(.notReady(Self.firstLine(said)))
        }
        guard let job = run(lp, ["-d", queue, "-t", "take-home slip"], input: Data(text.utf8)) else {
            return .failure(.refused("no answer"))
        }
        guard job.code == 0 else { return .failure(.refused(Self.firstLine(job.output))) }
        return .success(())
    }

    /// Runs `path` with `arguments`, standard output and error read together; nil when it
    /// cannot start or takes longer than `timeout` (it is then stopped).
    private func run(_ path: String, _ arguments: [String], input: Data?) -> (code: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch { return nil }
        if let input {
            // A slip is a few kilobytes: well within a pipe's buffer, so this does not block.
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "no output").trimmingCharacters(in: .whitespaces)
    }

    /// `name` on PATH, else in /usr/bin (a service's PATH may be short).
    static func executable(_ name: String) -> String? {
        let path = Paths.variable("PATH") ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
