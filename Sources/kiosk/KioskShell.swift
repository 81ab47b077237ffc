import Foundation
import KioskCore
import KioskTerminal

/// The imperative shell around `ClientSession`: reads a line, feeds it to the
/// session, runs the effects it asks for (durably, in order), and shows the result.
struct KioskShell {
    let content: KioskContent
    let store: KioskStore
    let reader: LineReader
    let event: String?
    let interactive: Bool
    private var generator = SystemRandomNumberGenerator()

    init(content: KioskContent, store: KioskStore, reader: LineReader, event: String?, interactive: Bool) {
        self.content = content; self.store = store; self.reader = reader
        self.event = event; self.interactive = interactive
    }

    private func newSession() -> ClientSession {
        ClientSession(content: content, id: UUID().uuidString.lowercased(), event: event)
    }

    mutating func run() {
        var session = newSession()
        var screen = session.start().screen
        show(screen)
        while true {
            let prompt = screen.prompt.isEmpty || screen.prompt.hasSuffix(" ") ? screen.prompt : screen.prompt + " "
            let result = reader.readLine(prompt: prompt, completions: screen.completions,
                                         prefill: screen.prefill, sensitive: screen.sensitive)
            let transition: Transition
            switch result {
            case let .line(text):
                transition = perform(session.handle(text, now: Date()), session: &session)
            case .endOfInput:
                // Piped input ends the program. At a terminal, Ctrl-D never hands a
                // stranger the shell: it starts over (and does nothing on the welcome).
                if !interactive { return }
                if session.step == .welcome { continue }
                transition = perform(Transition(screen: screen, effects: [.endSession]), session: &session)
            case .interrupted:
                continue
            case .idle:
                transition = perform(Transition(screen: screen, effects: [.endSession]), session: &session)
            }
            screen = transition.screen
            show(screen)
        }
    }

    /// Runs the effects in order; a booking is acknowledged only after its commit returned.
    private mutating func perform(_ transition: Transition, session: inout ClientSession) -> Transition {
        var result = transition
        for effect in transition.effects {
            switch effect {
            case let .saveAssessment(record):
                do { try store.saveAssessment(record) } catch { log("could not save an assessment: \(error)") }
            case let .raiseAlert(alert):
                do { try store.raiseAlert(alert) } catch { log("could not raise an alert: \(error)") }
            case let .saveFollowUp(request):
                do {
                    let code = try store.saveFollowUp(request) { ReferenceCode.make(using: &generator) }
                    result = session.followUpSaved(reference: code)
                } catch {
                    log("could not save a follow-up request: \(error)")
                    result = session.followUpFailed()
                }
            case .endSession:
                reader.resetForNextClient()
                session = newSession()
                result = session.start()
            }
        }
        return result
    }

    private func show(_ screen: Screen) {
        let renderer = interactive ? Renderer.terminalDefaults() : Renderer(width: 80, color: false, clearSequence: false)
        FileHandle.standardOutput.write(Data(renderer.render(screen).utf8))
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data(("kiosk: " + message + "\n").utf8))
    }
}
