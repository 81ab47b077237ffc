import Foundation
import KioskTestSupport
@testable import KioskContent
import KioskCore
import Testing

/// The snapshot that lets the kiosk start without reading and checking its YAML again:
/// it must give exactly the checked content, and never stand in for content that changed.
@Suite("Content snapshot")
struct ContentSnapshotTests {
    static let bundled = Repository.content

    func newCacheFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-cache-\(UUID().uuidString)").path
    }

    func loaded(_ result: Result<PracticeContent, ContentFailure>) -> PracticeContent? {
        if case let .success(content) = result { return content }
        return nil
    }

    func problems(_ result: Result<PracticeContent, ContentFailure>) -> [ContentProblem] {
        if case let .failure(failure) = result { return failure.problems }
        return []
    }

    @Test("the bundled content comes back from its snapshot exactly as checked")
    func roundTrip() throws {
        let checked = try #require(loaded(ContentLoader.load(directory: Self.bundled)))
        let files = try #require(ContentSnapshot.readFiles(Self.bundled))
        let program = ContentSnapshot.programIdentity()
        let bytes = ContentSnapshot.encode(checked, files: files, program: program)
        #expect(ContentSnapshot.decode(bytes, files: files, program: program) == checked)
    }

    @Test("the take-home link and printer come back from the snapshot: a cached start still prints and links")
    func takeHomeRoundTrip() throws {
        let folder = try ContentFixture.write(["clinic.yaml": ContentFixture.clinic
            + "link: \"https://clinic.example/b?ref={reference}\"\nprinter: Slip\nprinter_columns: 32\n"])
        defer { ContentFixture.remove(folder) }
        let checked = try #require(loaded(ContentLoader.load(directory: folder)))
        let files = try #require(ContentSnapshot.readFiles(folder))
        let program = ContentSnapshot.programIdentity()
        let back = try #require(ContentSnapshot.decode(ContentSnapshot.encode(checked, files: files, program: program),
                                                       files: files, program: program))
        #expect(back.clinic.link == "https://clinic.example/b?ref={reference}")
        #expect(back.clinic.printer == "Slip")
        #expect(back.clinic.printerColumns == 32)
    }

    @Test("a start saves a snapshot; the next start uses it and gets the same content")
    func savedThenUsed() throws {
        let cache = newCacheFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let first = try #require(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)))
        let file = ContentSnapshot.snapshotPath(cacheDirectory: cache, contentDirectory: Self.bundled)
        #expect(FileManager.default.fileExists(atPath: file))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try #require(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)))
        #expect(second == first)
    }

    @Test("an edit after the snapshot is read and checked again: a new problem is reported, not hidden")
    func editedContentIsCheckedAgain() throws {
        let folder = try ContentFixture.write()
        let cache = newCacheFolder()
        defer { ContentFixture.remove(folder); try? FileManager.default.removeItem(atPath: cache) }
        let before = try #require(loaded(ContentSnapshot.load(directory: folder, cacheDirectory: cache)))
        #expect(before.clinic.phone == "555-0100")

        // A valid edit: the new words show at once.
        let clinic = folder + "/clinic.yaml"
        try ContentFixture.clinic.replacingOccurrences(of: "555-0100", with: "555-0199")
            .write(toFile: clinic, atomically: true, encoding: .utf8)
        let after = try #require(loaded(ContentSnapshot.load(directory: folder, cacheDirectory: cache)))
        #expect(after.clinic.phone == "555-0199")

        // A broken edit: the kiosk refuses it, whatever snapshot there is.
        try ContentFixture.clinic.replacingOccurrences(of: "discipline: massage", with: "discipline: yoga")
            .write(toFile: clinic, atomically: true, encoding: .utf8)
        let found = problems(ContentSnapshot.load(directory: folder, cacheDirectory: cache))
        #expect(found.contains { $0.file.hasSuffix("clinic.yaml") && $0.message.contains("yoga") })
    }

    @Test("a damaged or foreign snapshot is ignored and replaced")
    func damagedSnapshot() throws {
        let cache = newCacheFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let expected = try #require(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)))
        let file = ContentSnapshot.snapshotPath(cacheDirectory: cache, contentDirectory: Self.bundled)
        let whole = try #require(FileManager.default.contents(atPath: file))
        for damaged in [Data(), Data("not a snapshot".utf8), whole.prefix(whole.count / 2), whole + Data([0])] {
            try damaged.write(to: URL(fileURLWithPath: file))
            #expect(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)) == expected)
            #expect(FileManager.default.contents(atPath: file) == whole)
        }
        // Another build's snapshot (a different program identity) is not used either.
        let files = try #require(ContentSnapshot.readFiles(Self.bundled))
        let bytes = ContentSnapshot.encode(expected, files: files, program: [1, 2, 3])
        #expect(ContentSnapshot.decode(bytes, files: files, program: ContentSnapshot.programIdentity()) == nil)
    }

    @Test("a snapshot others may write is not trusted")
    func writableByOthers() throws {
        let cache = newCacheFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let checked = try #require(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)))
        let file = ContentSnapshot.snapshotPath(cacheDirectory: cache, contentDirectory: Self.bundled)
        #expect(ContentSnapshot.readTrusted(file) != nil)
        chmod(file, 0o666)
        #expect(ContentSnapshot.readTrusted(file) == nil)
        // Still loads (from the YAML), and puts back a private snapshot.
        #expect(loaded(ContentSnapshot.load(directory: Self.bundled, cacheDirectory: cache)) == checked)
        #expect(ContentSnapshot.readTrusted(file) != nil)
    }
}
