// kiosk-bench: measures the kiosk. Run: swift run -c release kiosk-bench [soak] [--sessions N]
//
//   soak   N whole scripted sessions (each booking a follow-up, committed durably)
//          through one ClientSession loop and one SQLite store, in one process;
//          prints resident memory after the first 100 sessions and at the end.
import Foundation
import KioskContent
import KioskCore
import KioskStore

func residentKB() -> (rss: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

/// Typed lines of one whole session that books (an old car accident, neck pain for years).
let script = ["", "none", "none", "none", "none", "neck", "2, 1", "4", "5", "4", "1", "4", "2", "none", "1",
              "1", "1", "1, 2", "Sam Lee", "555-010-0199", "1", ""]

func soak(sessions: Int, contentDir: String) throws {
    let content = try ContentLoader.load(directory: contentDir).get()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(UUID().uuidString)")
    let store = try SQLiteKioskStore(path: dir.appendingPathComponent("soak.sqlite").path)
    defer { try? FileManager.default.removeItem(at: dir) }
    var generator = SystemRandomNumberGenerator()
    var afterFirst100 = (rss: 0, peak: 0)
    let start = Date()
    var booked = 0
    for n in 1...sessions {
        var session = ClientSession(content: content, id: UUID().uuidString)
        _ = session.start()
        for line in script {
            let transition = session.handle(line, now: Date())
            for effect in transition.effects {
                switch effect {
                case let .saveAssessment(record): try store.saveAssessment(record)
                case let .raiseAlert(alert): try store.raiseAlert(alert)
                case let .saveFollowUp(request):
                    let code = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
                    _ = session.followUpSaved(reference: code)
                    booked += 1
                case .endSession, .staffExit: break
                }
            }
        }
        if n == min(100, sessions) { afterFirst100 = residentKB() }
    }
    let seconds = Date().timeIntervalSince(start)
    let end = residentKB()
    print(String(format: "soak: %d sessions (%d bookings committed) in %.1f s (%.0f sessions/s)",
                 sessions, booked, seconds, Double(sessions) / seconds))
    print("resident memory after 100 sessions: \(afterFirst100.rss) kB; after \(sessions): \(end.rss) kB; "
          + "growth \(end.rss - afterFirst100.rss) kB; peak \(end.peak) kB")
}

var arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first.map { $0.hasPrefix("-") ? "soak" : $0 } ?? "soak"
var sessions = 10_000
if let i = arguments.firstIndex(of: "--sessions"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
    sessions = n
}
let contentDir = ProcessInfo.processInfo.environment["KIOSK_CONTENT"] ?? "Content"
do {
    switch mode {
    case "soak": try soak(sessions: sessions, contentDir: contentDir)
    default:
        FileHandle.standardError.write(Data("kiosk-bench: unknown mode \(mode) (try: soak)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("kiosk-bench: \(error)\n".utf8))
    exit(74)
}
