import Foundation
import KioskStore
import KioskTestSupport

/// The built `kiosk` executable and scratch folders for end-to-end tests.
enum KioskBinary {
    static let repo = Repository.root

    /// The debug binary next to the test bundle (swift build --build-tests builds it).
    static var path: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiosk").path,
            repo.appendingPathComponent(".build/debug/kiosk").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    static var content: String { repo.appendingPathComponent("Content").path }

    static func scratch() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A database path in a new scratch folder, for a test that needs no other file there.
    static func database(_ name: String = "kiosk.sqlite") -> String {
        scratch().appendingPathComponent(name).path
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The kiosk in a pseudo-terminal, without a staff PIN unless `lock`.
    static func terminal(_ db: String, idle: Int? = nil, lock: Bool = false, columns: UInt16 = 100,
                         rows: UInt16 = 40, content: String? = nil,
                         environment: [String: String] = [:]) throws -> PTYProcess {
        var env = PTYProcess.inheritedEnvironment()
        env["KIOSK_CONTENT"] = content
        env["TERM"] = "xterm"
        env["NO_COLOR"] = nil
        for (k, v) in environment { env[k] = v }
        var args = ["run", "--db", db]
        if let content { args += ["--content", content] }
        if !lock { args.append("--no-lock") }
        if let idle { args += ["--idle-timeout", String(idle)] }
        return try PTYProcess(path, arguments: args, environment: env, columns: columns, rows: rows)
    }

    /// A copy of the bundled Content whose clinic.yaml ends with `clinicLines` (a practice's
    /// `link:` or `printer:`, say), in a new scratch folder.
    static func content(addingToClinic clinicLines: String) throws -> String {
        let folder = scratch().appendingPathComponent("Content")
        try FileManager.default.copyItem(atPath: content, toPath: folder.path)
        let clinic = folder.appendingPathComponent("clinic.yaml")
        let text = try String(contentsOf: clinic, encoding: .utf8)
        try (text + "\n" + clinicLines + "\n").write(to: clinic, atomically: true, encoding: .utf8)
        return folder.path
    }

    /// Runs the binary with `arguments`, `input` piped to standard input (a timed run
    /// that kills a binary that hangs: see `run(_:inputData:timeout:environment:)`).
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:],
                    directory: URL? = nil) throws -> Result {
        let result = try run(arguments, inputData: Data(input.utf8), timeout: 60, environment: environment,
                             directory: directory)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// A whole self-care session and a booking, as typed lines: no warning sign,
/// neck pain for years after an old car accident, then a booking.
enum Script {
    static let questionnaire = ["", "none", "none", "none", "none",
                                "neck", "2, 1", "4", "5", "4", "1", "4", "2", "none", "1"]
    static let booking = ["yes", "1", "1, 2", "Ana María Pérez", "555-010-0199", "1", ""]
    /// Both, as a pipe hands them to `kiosk run`.
    static let piped = pipe(questionnaire + booking)

    /// Typed lines as a pipe hands them to `kiosk run`: each ends in a newline.
    static func pipe(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }
}
