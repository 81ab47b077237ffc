import Foundation
import KioskCore

/// The imperative shell around `ClientSession`: reads a line, feeds it to the
/// session, runs the effects it asks for (durably, in order), and shows the result.
///
/// What only the executable can do comes in from outside: printing a slip (`lp`), the
/// kiosk's name; where screens and log lines go (standard output and error by default).
/// SIGTERM and SIGHUP are seen through `Termination`, which the executable installs.
public struct KioskShell {
    /// Prints a take-home slip on a CUPS queue; a failure is told to the client, never fatal.
    public typealias SlipPrinting = (_ slip: [Screen.Block], _ queue: String) -> Result<Void, any Error>

    let content: PracticeContent
    let store: SessionStore & StaffPinStore & ReturningStore
    let reader: LineReader
    let event: String?
    let interactive: Bool
    /// Without a staff PIN (--no-lock, or piped input): the staff word alone ends the kiosk.
    let unlocked: Bool
    let idleSeconds: Int
    /// This kiosk's name, for the returning clients' lock (wrong codes are counted per kiosk).
    let kioskName: String
    let printSlip: SlipPrinting
    let write: (String) -> Void
    let logLine: (String) -> Void
    private var generator = SystemRandomNumberGenerator()

    /// - Parameters:
    ///   - write: where screens go (standard output by default).
    ///   - log: where problems go, one line each (standard error by default, after "kiosk: ").
    public init(content: PracticeContent, store: SessionStore & StaffPinStore & ReturningStore, reader: LineReader,
                event: String?, interactive: Bool, unlocked: Bool, idleSeconds: Int, kioskName: String,
                printSlip: @escaping SlipPrinting,
                write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(("kiosk: " + $0 + "\n").utf8)) }) {
        self.content = content; self.store = store; self.reader = reader
        self.event = event; self.interactive = interactive; self.unlocked = unlocked
        self.idleSeconds = idleSeconds; self.kioskName = kioskName; self.printSlip = printSlip
        self.write = write; self.logLine = log
    }

    /// The idle time for the line asked at `step`: the "still there?" question waits a
    /// short while (a sixth of it, 5 to 30 seconds), then the kiosk starts over.
    public static func idleSeconds(at step: ClientSession.Step, idleSeconds: Int) -> Int {
        step == .stillThere ? min(30, max(5, idleSeconds / 6)) : idleSeconds
    }

    private func newSession() -> ClientSession {
        ClientSession(content: content, id: UUID().uuidString.lowercased(), event: event,
                      unlocked: unlocked && interactive)
    }

    /// Runs sessions until staff leave, input ends (piped) or SIGTERM/SIGHUP.
    public mutating func run() {
        var session = newSession()
        var screen = session.start().screen
        var typedWhilePaging = show(screen)
        while !Termination.requested {
            reader.idleSeconds = Self.idleSeconds(at: session.step, idleSeconds: idleSeconds)
            let result: LineReadResult
            if let typed = typedWhilePaging {
                result = typed
                typedWhilePaging = nil
            } else {
                result = reader.readLine(prompt: promptLine(screen.prompt), completions: screen.completions,
                                         prefill: screen.prefill, sensitive: screen.sensitive)
            }
            let transition: Transition?
            switch result {
            case let .line(text):
                transition = session.handle(text, now: Date())
            case .endOfInput:
                // Piped input ends the program. At a terminal, Ctrl-D never hands a
                // stranger the shell: it asks whether to start over.
                if !interactive { return }
                transition = session.endOfInput()
            case .idle:
                transition = session.idle()
            case .interrupted:
                transition = nil
            case .terminated:
                return
            }
            guard let transition else { continue }
            guard let next = perform(transition, session: &session) else { return }
            screen = next.screen
            typedWhilePaging = show(screen)
        }
    }

    /// The prompt's last line, for the line reader, after its other lines are written: a
    /// prompt wider than the terminal wraps at a word, not where the terminal cuts it.
    private func promptLine(_ prompt: String) -> String {
        let spaced = prompt.isEmpty || prompt.hasSuffix(" ") ? prompt : prompt + " "
        guard interactive else { return spaced }
        let lines = Renderer.terminalDefaults().wrap(spaced, first: "", rest: "")
        guard lines.count > 1 else { return spaced }
        write(lines.dropLast().map { $0 + "\n" }.joined())
        return lines[lines.count - 1] + " "
    }

    /// Runs the effects in order; a booking is acknowledged only after its commit
    /// returned. Nil when staff have ended the kiosk.
    private mutating func perform(_ transition: Transition, session: inout ClientSession) -> Transition? {
        var result = transition
        for effect in transition.effects {
            switch effect {
            case let .sessionStarted(id, event, language):
                do { try store.recordSessionStart(id: id, at: Date(), event: event, language: language) } catch {
                    log("could not count a session: \(error)")
                }
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
            case .staffExit:
                if staffMayLeave() { return nil }
                result = session.start()
            case let .printSlip(slip, queue):
                // Never a failure of the session: the client is told, and it goes on.
                switch printSlip(slip, queue) {
                case .success: result = session.slipPrinted()
                case let .failure(failure):
                    log("could not print a take-home slip on \(queue): \(failure)")
                    result = session.slipNotReady()
                }
            case let .checkReturning(reference, factor, questions):
                do {
                    let check = try store.checkReturning(reference: reference, factor: factor, kiosk: kioskName,
                                                         questions: questions, now: Date())
                    result = session.returningChecked(check)
                } catch {
                    log("could not check a returning client's code: \(error)")
                    result = session.returningCheckFailed()
                }
            case let .linkVisit(assessmentID, reference, factor):
                do {
                    if try !store.linkVisit(assessmentID: assessmentID, reference: reference, factor: factor, now: Date()) {
                        log("a returning client's visit was not linked (the code or its contact changed)")
                    }
                } catch {
                    log("could not link a returning client's visit: \(error)")
                }
            }
        }
        return result
    }

    /// Asks for the staff PIN (without echo) unless the kiosk runs unlocked.
    private func staffMayLeave() -> Bool {
        if unlocked || !interactive { return true }
        let pin = readSecret(prompt: "Staff PIN: ") ?? ""
        do {
            switch try store.checkStaffPin(pin, now: Date()) {
            case .accepted, .notSet:
                return true
            case let .wrong(left):
                say("Wrong PIN. \(left) more tries before the PIN locks.")
            case let .locked(until):
                let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
                say("Too many wrong tries: the PIN is locked for \(minutes) minute\(minutes == 1 ? "" : "s").")
            }
        } catch {
            log("could not check the staff PIN: \(error)")
        }
        Thread.sleep(forTimeInterval: 2)
        return false
    }

    /// Shows a screen. At a terminal, a screen taller than it goes a page at a time: Enter
    /// shows the next; anything else typed there is the answer (returned), so `back`, `book`
    /// or an option's number work from any page. Piped, the screen prints whole.
    private func show(_ screen: Screen) -> LineReadResult? {
        guard interactive else {
            let renderer = Renderer(width: 80, color: false, clearSequence: false)
            write(renderer.render(screen))
            return nil
        }
        // The terminal's size is read for every screen: a resized window gets pages of its size.
        let pages = Renderer.terminalDefaults().pages(screen, rows: terminalRows())
        for (index, page) in pages.enumerated() {
            write(page)
            guard index < pages.count - 1 else { break }
            let result = reader.readLine(prompt: promptLine(screen.more), completions: screen.completions,
                                         prefill: nil, sensitive: false)
            if case let .line(text) = result, text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            return result
        }
        return nil
    }

    private func say(_ line: String) { write(line + "\n") }

    private func log(_ message: String) { logLine(message) }
}
