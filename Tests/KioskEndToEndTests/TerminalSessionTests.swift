import Foundation
import KioskTestSupport
import KioskStore
import Testing

@Suite("kiosk run in a real terminal", .serialized)
struct TerminalSessionTests {
    func start(_ db: String) throws -> PTYProcess { try KioskBinary.terminal(db) }

    @Test("one full session in a terminal, to a stored request, then a clean welcome")
    func fullSession() throws {
        let db = KioskBinary.database()
        let kiosk = try start(db)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Press Enter to start")
        kiosk.send("\r")
        _ = try kiosk.waitFor("Do you have any of these right now?")
        for _ in 0..<4 {
            kiosk.send("none\r")
        }
        _ = try kiosk.waitFor("Where does it hurt most?")
        // TAB completes the current choices: "Ne" + TAB -> "Neck".
        kiosk.send("Ne\t")
        _ = try kiosk.waitFor("Neck")
        kiosk.send("\r")
        _ = try kiosk.waitFor("How does the pain feel?")
        // back: the previous question, with the earlier answer on the line
        kiosk.send("back\r")
        _ = try kiosk.waitFor("Where does it hurt most?")
        _ = try kiosk.waitFor("1")
        kiosk.send("\r")
        _ = try kiosk.waitFor("How does the pain feel?")
        for answer in Script.questionnaire.dropFirst(6) {
            kiosk.send(answer + "\r")
        }
        _ = try kiosk.waitFor("to ask for a visit")
        for answer in Script.booking.dropLast() {
            kiosk.send(answer + "\r")
        }
        let saved = try kiosk.waitFor("Please keep it", timeout: 10)
        kiosk.send("\r")
        _ = try kiosk.waitFor("Press Enter to start")

        let store = try SQLiteKioskStore(path: db)
        let requests = try store.followUps(status: nil, limit: 10)
        #expect(requests.count == 1)
        let reference = try #require(requests.first?.reference)
        #expect(saved.contains(reference))
        #expect(requests.first?.request.name == "Ana María Pérez")
    }

    @Test("TAB never completes file names")
    func tabCompletesOnlyChoices() throws {
        let dir = KioskBinary.scratch()
        let kiosk = try start(dir.appendingPathComponent("kiosk.sqlite").path)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Press Enter to start")
        kiosk.send("\r")
        _ = try kiosk.waitFor("Do you have any of these right now?")
        // "Pack" would complete to Package.swift in the working folder if file names were offered.
        kiosk.send("Pack\t\t")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!kiosk.output.contains("Package.swift"))
        kiosk.send("\r")
        _ = try kiosk.waitFor("Please type a number")
    }

    @Test("a whole Spanish session in a terminal, from the welcome to a stored request")
    func spanishSession() throws {
        let db = KioskBinary.database()
        let kiosk = try start(db)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Español")
        kiosk.send("2\r")                                   // one keystroke: Spanish
        _ = try kiosk.waitFor("¿Tiene alguno de estos ahora mismo?")
        for _ in 0..<4 { kiosk.send("ninguno\r") }
        _ = try kiosk.waitFor("¿Dónde le duele más?")
        // Typed answers in Spanish words; "atrás" goes back, answers kept.
        kiosk.send("cuello\r")
        kiosk.send("atrás\r")
        _ = try kiosk.waitFor("¿Dónde le duele más?")
        kiosk.send("\r")                                    // the earlier answer is on the line
        for answer in Script.questionnaire.dropFirst(6) { kiosk.send(answer + "\r") }
        _ = try kiosk.waitFor("cita para pedir una visita")
        for answer in ["sí", "1", "1, 2", "María José Núñez", "555-010-0142"] { kiosk.send(answer + "\r") }
        kiosk.send("1\r")
        let saved = try kiosk.waitFor("Por favor, guárdelo", timeout: 10)
        let store = try SQLiteKioskStore(path: db)
        let request = try #require(try store.followUps(status: nil, limit: 5).first)
        #expect(saved.contains(request.reference))
        #expect(request.request.language == "es")
        #expect(request.request.name == "María José Núñez")
        #expect(try store.assessment(id: request.request.assessmentID)?.answers["area"] == .choices(["neck"]))
        kiosk.send("\r")
        // The next person starts clean, in the clinic's first language, with the choice offered again.
        _ = try kiosk.waitFor("Press Enter to start", timeout: 5)
    }

    @Test("a warning sign in Spanish: emergency instructions in Spanish, an urgent alert, no options")
    func spanishWarningSign() throws {
        let db = KioskBinary.database()
        let kiosk = try start(db)
        defer { kiosk.terminate(); _ = kiosk.waitExit() }
        _ = try kiosk.waitFor("Español")
        kiosk.send("2\r")
        _ = try kiosk.waitFor("¿Tiene alguno de estos ahora mismo?")
        _ = try kiosk.waitFor(":")
        kiosk.send("1\r")                                   // chest pain
        let outcome = try kiosk.waitFor("Busque atención de emergencia ahora")
        _ = try kiosk.waitFor("911")
        #expect(!outcome.contains("Masaje"))
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try SQLiteKioskStore(path: db).unacknowledgedAlerts().map(\.level) == [.urgent])
    }
}
