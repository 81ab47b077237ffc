import ArgumentParser
import Foundation
import KioskCore
import KioskStore

/// `kiosk import PATH`: an event laptop's (or another kiosk's) database brought into
/// this one, once. The file is only read; importing it again adds nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring an event laptop's (or another kiosk's) database into this one, once.",
        discussion: """
            The file is only read, never changed. Everything is copied in one transaction: \
            all or nothing. Importing the same file again adds nothing. A request whose code \
            is taken here gets a new code; one with the phone or email of a request already \
            here is flagged for the desk, never merged.
            """)

    @Argument(help: "The kiosk database file to import (only read).") var path: String
    @Option(help: "The database to import into: a SQLite file or postgres://USER@HOST:PORT/DB (default: KIOSK_DB or ~/.local/share/relief-kiosk/kiosk.sqlite).")
    var db: String?

    func run() throws {
        let target = Paths.database(db)
        try StoreOpening.check(target)
        let shownPath = TextSafety.display(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Exit.fail("cannot import \(shownPath): the file does not exist.", Exit.noInput)
        }
        guard !isFolder.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            let why = isFolder.boolValue ? "it is a folder, not a database file" : "it cannot be read (permission denied)"
            throw Exit.fail("cannot import \(shownPath): \(why).", Exit.noInput)
        }
        // The file is checked before the practice database is even opened (or created).
        do {
            try SQLiteKioskStore.checkImportSource(path: path)
        } catch {
            throw Exit.fail(Self.sourceMessage(error, path: shownPath), Exit.badData)
        }

        if Self.sameFile(path, target) {
            throw Exit.fail("cannot import \(shownPath): it is the database it would be imported into.", Exit.usage)
        }
        let store = try StoreOpening.open(target, create: .fileOnly)
        let report: ImportReport
        do {
            report = try store.importDatabase(from: path, now: Date(), makeCode: nil)
        } catch let error as StoreError {
            if case .newerSchema = error { throw Exit.fail(Self.sourceMessage(error, path: shownPath), Exit.badData) }
            throw Exit.fail("nothing was imported: \(error.description)", Exit.code(for: error))
        } catch {
            throw Exit.fail("nothing was imported: \(error)", Exit.ioError)
        }
        print(Self.render(report, into: TextSafety.display(store.location), store: store), terminator: "")
    }

    static func sourceMessage(_ error: StoreError, path: String) -> String {
        switch error {
        case let .io(reason):
            return "cannot import: \(TextSafety.display(reason)). Nothing was imported."
        case let .newerSchema(found, known):
            return "cannot import \(path): a newer kiosk wrote it (schema \(found), this kiosk knows up to \(known)); "
                + "update this kiosk first. Nothing was imported."
        default:
            return "cannot import \(path): \(error.description). Nothing was imported."
        }
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    static func render(_ report: ImportReport, into target: String, store: any PracticeStore) -> String {
        func line(_ label: String, _ counts: ImportReport.Counts) -> String {
            var text = TextWidth.padded(label, to: 14)
                + "\(counts.added) added, \(counts.skipped) skipped (already here)"
            if counts.refused > 0 { text += ", \(counts.refused) refused" }
            return "  " + text + "\n"
        }
        var out = "Imported \(TextSafety.display(report.source)) (kiosk schema \(report.sourceSchemaVersion)) into \(target):\n"
        out += line("Follow-ups:", report.followUps)
        out += line("Audit events:", report.events)
        out += line("Assessments:", report.assessments)
        out += line("Sessions:", report.sessions)
        out += line("Alerts:", report.alerts)
        if report.added == 0 && report.refusals.isEmpty {
            out += "Nothing new: everything in this file is already here.\n"
        }
        if !report.renamed.isEmpty {
            out += "Renamed (the code was taken here by another request; a client who calls with the old code is under the new one):\n"
            for entry in report.renamed { out += "  \(entry)\n" }
        }
        if !report.flagged.isEmpty {
            out += "Flagged for the desk (check before contacting; nothing was merged):\n"
            for reference in report.flagged {
                let flag: String? = (try? store.deskFollowUp(reference: reference))?.flag
                out += "  \(reference)" + (flag.map { ": " + TextSafety.display($0) } ?? "") + "\n"
            }
        }
        if !report.refusals.isEmpty {
            out += "Refused (not imported):\n"
            for refusal in report.refusals { out += "  \(refusal)\n" }
        }
        return out
    }
}
