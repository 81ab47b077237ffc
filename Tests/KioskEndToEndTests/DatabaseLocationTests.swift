import Foundation
import KioskTestSupport
@testable import KioskStore
import Testing

/// Where the database is: a mistyped URL is never taken as a path, and only the kiosk
/// itself and `db migrate` make a database where there is none.
@Suite("the database's location", .serialized)
struct DatabaseLocationTests {
    /// Everything under `folder`, as paths relative to it.
    static func contents(_ folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
    }

    /// A scratch folder that is also the working directory, home and XDG folders, so that
    /// anything the kiosk made (a `postgress:` folder, a database, a content snapshot) is seen.
    static func sandbox() -> (folder: URL, environment: [String: String]) {
        let folder = KioskBinary.scratch()
        return (folder, ["HOME": folder.path, "XDG_DATA_HOME": folder.appendingPathComponent("data").path,
                         "XDG_CACHE_HOME": folder.appendingPathComponent("cache").path, "KIOSK_DB": ""])
    }

    @Test("a mistyped URL exits 64, names the schemes that work, and creates nothing",
          arguments: ["postgress://desk@db/relief", "postgre://desk@db/relief", "sqlite:///tmp/kiosk.sqlite"])
    func mistypedURL(_ url: String) throws {
        // An event file to import, outside the sandbox.
        let event = KioskBinary.database("event.sqlite")
        try SQLiteKioskStore(path: event).close()
        let commands: [[String]] = [
            ["run"], ["run", "--no-lock"], ["desk", "list"], ["desk"], ["export", "csv"], ["export", "ics"],
            ["stats"], ["import", event], ["purge", "--older-than", "30"], ["db", "migrate"], ["staff-pin", "set"],
        ]
        for command in commands {
            for viaEnvironment in [false, true] {
                let (folder, base) = Self.sandbox()
                var environment = base
                var arguments = command
                if viaEnvironment { environment["KIOSK_DB"] = url } else { arguments += ["--db", url] }
                let result = try KioskBinary.run(arguments, input: "\n", environment: environment, directory: folder)
                let label = "\(arguments.joined(separator: " ")) (KIOSK_DB: \(viaEnvironment))"
                #expect(result.status == 64, "\(label): \(result.stderr)")
                #expect(result.stderr.contains("postgres://") && result.stderr.contains("Nothing was created"), "\(label): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(label): \(result.stderr)")
                #expect(!result.stderr.contains("desk@db"), "only the scheme is named: the rest may hold a password")
                #expect(Self.contents(folder).isEmpty, "\(label) created \(Self.contents(folder))")
            }
        }
    }

    @Test("desk, export, stats and purge on a path with no database say so, exit 66 and create nothing")
    func missingDatabase() throws {
        let (folder, environment) = Self.sandbox()
        for path in ["missing/folder/kiosk.sqlite", "kiosk.sqlite"] {
            for command in [["desk", "list"], ["desk"], ["export", "csv"], ["stats"], ["purge", "--older-than", "30"]] {
                let result = try KioskBinary.run(command + ["--db", path], environment: environment, directory: folder)
                #expect(result.status == 66, "\(command) \(path): \(result.stderr)")
                #expect(result.stderr.contains("there is no database at \(path)"), "\(result.stderr)")
                #expect(result.stderr.contains(path.contains("/") ? "there is no folder missing/folder" : "there is no such file"))
                #expect(Self.contents(folder).isEmpty, "\(command) created \(Self.contents(folder))")
            }
        }
        // Import may start a file in an existing folder (a practice's first leads), never a folder.
        let event = KioskBinary.database("event.sqlite")
        try SQLiteKioskStore(path: event).close()
        let into = try KioskBinary.run(["import", event, "--db", "missing/practice.sqlite"], environment: environment, directory: folder)
        #expect(into.status == 66 && into.stderr.contains("there is no folder missing"), "\(into.stderr)")
        #expect(Self.contents(folder).isEmpty)
        // db migrate and the kiosk make the folder and the file.
        let migrate = try KioskBinary.run(["db", "migrate", "--db", "new/kiosk.sqlite"], environment: environment, directory: folder)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new/kiosk.sqlite").path))
        let run = try KioskBinary.run(["run", "--db", "other/kiosk.sqlite"], input: "", environment: environment, directory: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("other/kiosk.sqlite").path))
        let list = try KioskBinary.run(["desk", "list", "--db", "new/kiosk.sqlite"], environment: environment, directory: folder)
        #expect(list.status == 0 && list.stdout.contains("No follow-ups."), "\(list.stderr)")
    }

    @Test("kiosk run on content with problems exits 65 and neither makes nor migrates its database")
    func badContent() throws {
        let (folder, environment) = Self.sandbox()
        let broken = folder.appendingPathComponent("content")    // a content folder with no files
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        let missing = try KioskBinary.run(["run", "--content", broken.path, "--db", "data/kiosk.sqlite"],
                                          input: "\n", environment: environment, directory: folder)
        #expect(missing.status == 65, "\(missing.stderr)")
        #expect(Self.contents(folder) == ["content"], "made \(Self.contents(folder))")
        // An older file (v8): the kiosk opens a file while it reads the content, but only a
        // current one; this one waits for content that passes.
        let older = folder.appendingPathComponent("v8.sqlite").path
        try SQLiteKioskStore.createForTesting(path: older, upTo: "v8-referrals", "SELECT 1")
        func version() throws -> UInt8 { try Data(contentsOf: URL(fileURLWithPath: older))[63] }
        #expect(try version() == 8)
        let run = try KioskBinary.run(["run", "--content", broken.path, "--db", older], input: "\n",
                                      environment: environment, directory: folder)
        #expect(run.status == 65, "\(run.stderr)")
        #expect(try version() == 8, "migrated before the content passed")
        // With good content, the same file is migrated and the kiosk starts.
        let good = try KioskBinary.run(["run", "--db", older], input: "", environment: environment, directory: folder)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try version() == UInt8(SQLiteKioskStore.schemaVersion))
    }
}
