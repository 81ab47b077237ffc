// A libFuzzer target for the kiosk's input path: bytes -> typed lines -> ClientSession.
//
// Not a SwiftPM target. Tests/Fuzz/run.sh compiles this file together with the sources
// of KioskCore into one module (so no `import KioskCore`), with -sanitize=fuzzer.
// The content is the tests' fixture built in code (Tests/KioskTestSupport/Fixture.swift, its
// `wide` form; the KioskContent module needs Yams, which is not worth building by hand here):
// every question kind, two warning screens, two languages, escalations, a question asked
// only sometimes, safety rules and the booking steps.
//
// Input format: the bytes split on "\n" are the typed lines, decoded as UTF-8 with
// invalid sequences replaced by U+FFFD (as PlainLineReader does). Two lines are special:
// a line that is exactly 0x04 is Ctrl-D (`endOfInput()`), exactly 0x05 is the idle timer
// (`idle()`). Every other line goes to `handle(_:now:)`, whatever it holds.
//
// Any broken invariant stops the fuzzer with `fatalError` and a message.
//
// With -D FUZZ_RENDERER (run.sh adds Renderer.swift from KioskTerminal, without its
// `import KioskCore`), every screen is also rendered as piped output is, and checked.
// With FUZZ_STRICT=answers, =emergency or =all in the environment, invariants are also
// checked that the current sources are known to break (see Tests/Fuzz/README.md).

import Foundation

// MARK: - Content fixture

/// The tests' shared fixture with more of each kind (`Fixture.wide` in
/// Tests/KioskTestSupport/Fixture.swift, which run.sh compiles into this module).
let fuzzContent = Fixture.wide

/// Option names, checked against emergency screens.
let fuzzOptionNames = fuzzContent.options.compactMap { $0.name.byLanguage["en"] }

private let fuzzNow = Fixture.now

/// FUZZ_STRICT=answers, emergency or all: also the invariants the current sources are
/// known to break (each can be checked on its own).
nonisolated(unsafe) private var strictAnswers = false
nonisolated(unsafe) private var strictEmergency = false
/// Whether the current session has shown an emergency outcome (strict mode).
nonisolated(unsafe) private var sawEmergency = false

// MARK: - Invariants

private func fail(_ what: String, _ session: ClientSession, _ line: String?) -> Never {
    let typed = line.map { String(reflecting: $0) } ?? "(start)"
    fatalError("INVARIANT: \(what)\n  step: \(session.step)\n  last line: \(typed.prefix(300))")
}

/// What the screen shows, as one string: blocks, prompt, and the prefilled line.
private func shownText(_ screen: Screen) -> String {
    screen.plainText + "\n" + (screen.prefill ?? "")
}

private func checkScreen(_ transition: Transition, _ session: ClientSession, _ line: String?) {
    let screen = transition.screen
    let shown = shownText(screen)
    // 1. Nothing on a screen moves the cursor or reorders text: typed input shown back
    //    goes through TextSafety.display, and the content has no controls.
    if TextSafety.containsUnsafe(shown.replacingOccurrences(of: "\n", with: "")) {
        fail("an unsafe scalar on the screen: \(String(reflecting: shown).prefix(400))", session, line)
    }
    for word in screen.completions where TextSafety.containsUnsafe(word) {
        fail("an unsafe completion \(String(reflecting: word))", session, line)
    }
    // 2. Screens stay small, whatever was typed.
    if shown.utf8.count > 64 * 1024 { fail("a screen of \(shown.utf8.count) bytes", session, line) }

    // 3. An emergency never shows an option, nor a way to book.
    if session.step == .outcome, session.assessment?.level == .emergency {
        for block in screen.blocks { if case .item = block { fail("a numbered choice on an emergency screen", session, line) } }
        for name in fuzzOptionNames where shown.contains(name) {
            fail("option \(name) on an emergency screen", session, line)
        }
        if shown.contains("Yes, book") || shown.contains("Sí, reservar") { fail("booking offered after an emergency", session, line) }
    }
    // 4. The options screen only after no warning sign, and never an option a safety rule excludes.
    if session.step == .results, case .heading = screen.blocks.first ?? .blank {
        if let outcome = Recommender.triage(session.answers, content: fuzzContent) {
            fail("results shown although the answers lead to \(outcome.id)", session, line)
        }
        guard let assessment = session.assessment else { fail("results without an assessment", session, line) }
        if assessment.level != .selfCare { fail("results at level \(assessment.level)", session, line) }
        for suggestion in assessment.recommendation.suggested {
            let excluded = fuzzContent.leaveOut.filter { $0.option == suggestion.option.id && $0.when.holds(for: session.answers) }
            if !excluded.isEmpty { fail("option \(suggestion.option.id) suggested though excluded by \(excluded.map(\.id))", session, line) }
        }
    }
    // 5. What the client typed as a name is kept NFC, capped, without controls.
    checkName(session.booking.name, session, line)

    #if FUZZ_RENDERER
    checkRendered(screen, session, line)
    #endif

    if session.step == .outcome, session.assessment?.level == .emergency { sawEmergency = true }
    // Strict 1: an answer is kept only for a question the client was (still) asked:
    // after `back` and a new answer, a question that is no longer asked keeps no answer.
    if strictAnswers, session.step == .results {
        for question in fuzzContent.questions where session.answers[question.id] != nil {
            if let condition = question.askIf, !condition.holds(for: session.answers) {
                fail("STRICT: an answer kept for \(question.id), which was not asked", session, line)
            }
        }
    }
}

#if FUZZ_RENDERER
private let fuzzRenderer = Renderer(width: 80, color: false, clearSequence: false)

/// Screens already rendered and checked: most screens are content only and repeat,
/// and rendering is slow under ASan.
nonisolated(unsafe) private var renderedScreens = Set<Screen.Fingerprint>()

extension Screen {
    struct Fingerprint: Hashable { let text: String; let clear: Bool }
}

/// Piped output: no control but "\n", and no line wider than the width.
private func checkRendered(_ screen: Screen, _ session: ClientSession, _ line: String?) {
    let fingerprint = Screen.Fingerprint(text: screen.plainText, clear: screen.clear)
    if renderedScreens.contains(fingerprint) { return }
    if renderedScreens.count > 50_000 { renderedScreens.removeAll() }
    renderedScreens.insert(fingerprint)
    let text = fuzzRenderer.render(screen)
    if TextSafety.containsUnsafe(text.replacingOccurrences(of: "\n", with: "")) {
        fail("an unsafe scalar in rendered output: \(String(reflecting: text).prefix(400))", session, line)
    }
    for row in text.split(separator: "\n", omittingEmptySubsequences: false) where Renderer.displayWidth(row) > 80 {
        fail("a rendered line of \(Renderer.displayWidth(row)) columns: \(String(reflecting: row).prefix(200))", session, line)
    }
}
#endif

private func checkName(_ name: String, _ session: ClientSession, _ line: String?) {
    if name.count > ClientSession.maxNameLength { fail("a name of \(name.count) characters", session, line) }
    if TextSafety.containsUnsafe(name) { fail("a name with controls \(String(reflecting: name))", session, line) }
    if name != name.precomposedStringWithCanonicalMapping { fail("a name not in NFC", session, line) }
}

private func checkRequest(_ request: FollowUpRequest, _ session: ClientSession, _ line: String?) {
    if request.name.isEmpty { fail("a request without a name", session, line) }
    checkName(request.name, session, line)
    if request.phone == nil && request.email == nil { fail("a request without phone or email", session, line) }
    for contact in [request.phone, request.email].compactMap({ $0 }) {
        if contact.count > ClientSession.maxContactLength || contact.isEmpty { fail("a contact of \(contact.count) characters", session, line) }
        if TextSafety.containsUnsafe(contact) { fail("a contact with controls", session, line) }
        if contact != contact.precomposedStringWithCanonicalMapping { fail("a contact not in NFC", session, line) }
    }
    if !request.consent { fail("a request without consent", session, line) }
    if session.assessment?.level == .emergency || Recommender.triage(session.answers, content: fuzzContent)?.level == .emergency {
        fail("a booking after an emergency", session, line)
    }
    if request.preferredTimes.isEmpty { fail("a request without times", session, line) }
    // Strict 2: once a session showed "get emergency care now", it books nothing
    // (today `back` leads from the emergency screen to the warning question again).
    if strictEmergency && sawEmergency { fail("STRICT: a booking in a session that showed an emergency outcome", session, line) }
    if (session.assessment?.level == .doctorSoon) != request.afterMedicalClearance {
        fail("afterMedicalClearance \(request.afterMedicalClearance) at level \(String(describing: session.assessment?.level))", session, line)
    }
}

private func checkSanitiser(_ line: String) {
    let once = TextSafety.display(line)
    if TextSafety.containsUnsafe(once) { fatalError("INVARIANT: display left an unsafe scalar in \(String(reflecting: line).prefix(300))") }
    if TextSafety.display(once) != once { fatalError("INVARIANT: display is not idempotent on \(String(reflecting: line).prefix(300))") }
    // Contact.parse on its own accepts controls in an email ("a\u{13}@b.co"): the session
    // refuses them before (InputParsing.screen), so that is checked on the request instead.
    _ = Contact.parse(line)
}

// MARK: - The shell's part

/// Runs the effects as KioskShell does: a save may fail (then the client sees the
/// failure and may try again), else the reference code is shown.
private func perform(_ transition: Transition, _ session: inout ClientSession, _ line: String?,
                     saves: inout Int, failEvery: Int) -> Transition {
    var result = transition
    for effect in transition.effects {
        switch effect {
        case let .saveAssessment(record):
            if record.level == .emergency && !record.optionsShown.isEmpty {
                fail("an emergency assessment with options \(record.optionsShown)", session, line)
            }
        case let .saveFollowUp(request):
            checkRequest(request, session, line)
            saves += 1
            if failEvery > 0 && saves % failEvery == 0 {
                result = session.followUpFailed()
            } else {
                result = session.followUpSaved(reference: "ABC-234")
                if !result.screen.plainText.contains("ABC-234") { fail("the saved screen has no reference code", session, line) }
            }
        case .endSession:
            session = ClientSession(content: fuzzContent, id: "fuzz-\(saves)")
            sawEmergency = false
            result = session.start()
        case .staffExit:
            // As when the staff PIN is refused: the welcome again.
            result = session.start()
        default:
            // Alerts, session counts and anything newer: nothing to show.
            break
        }
    }
    return result
}

// MARK: - Entry points

/// Builds the content once, before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzContent.questions.count
    let strict = (ProcessInfo.processInfo.environment["FUZZ_STRICT"] ?? "").split(separator: ",")
    strictAnswers = strict.contains("answers") || strict.contains("all")
    strictEmergency = strict.contains("emergency") || strict.contains("all")
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .prefix(2000)
        .map { String(decoding: $0, as: UTF8.self) }
    // Which saves fail: none, every second, or every one (from the input, so it replays).
    let failEvery = [0, 0, 2, 1][size % 4]
    var saves = 0
    var session = ClientSession(content: fuzzContent, id: "fuzz")
    sawEmergency = false
    checkScreen(session.start(), session, nil)
    for line in lines {
        checkSanitiser(line)
        let stepBefore = session.step
        let transition: Transition?
        switch line {
        case "\u{04}": transition = session.endOfInput()
        case "\u{05}": transition = session.idle()
        default: transition = session.handle(line, now: fuzzNow)
        }
        guard let transition else { continue }
        // A refused line (control characters) never moves the session and never stores anything.
        if line != "\u{04}" && line != "\u{05}" && TextSafety.containsUnsafe(line) {
            if !transition.effects.isEmpty { fail("effects \(transition.effects) after a line with controls", session, line) }
            guard case .hint? = transition.screen.blocks.last else { fail("no hint after a line with controls", session, line) }
            if session.step != stepBefore { fail("a line with controls moved the session from \(stepBefore)", session, line) }
        }
        let shown = perform(transition, &session, line, saves: &saves, failEvery: failEvery)
        checkScreen(shown, session, line == "\u{04}" || line == "\u{05}" ? nil : line)
    }
    return 0
}
