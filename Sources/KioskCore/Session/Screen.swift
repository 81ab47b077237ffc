/// What the terminal shows after one step: blocks of text, then a prompt.
/// Rendering (wrapping, colour, markers) is the terminal's job.
public struct Screen: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case heading(String)
        case text(String)
        /// A numbered choice: its number and its words.
        case item(Int, String)
        case bullet(String)
        /// A detail under the bullet above it (a source, its strength).
        case detail(String)
        /// Something the client must not miss (a warning sign's instructions).
        case notice(String)
        /// A one-line hint after bad input.
        case hint(String)
        case blank
        /// A QR code of `payload` (a link, never a name, contact or answer), with `caption`
        /// beside it saying the same in words; `tooSmall` is the line shown instead of the
        /// code on a terminal too small for it (the caption is shown either way).
        case qrCode(payload: String, caption: String, tooSmall: String)
    }

    /// Clear the screen (and scrollback) first: a new client, or a new part.
    public var clear: Bool
    public var blocks: [Block]
    public var prompt: String
    /// Words TAB may complete: the current choices and the commands.
    public var completions: [String]
    /// The earlier answer, put on the line for editing after `back`.
    public var prefill: String?
    /// The line holds contact details: keep it out of history.
    public var sensitive: Bool
    /// Said under a part of a screen too tall for the terminal ("Press Enter to see more.").
    public var more: String

    public init(clear: Bool = false, blocks: [Block], prompt: String, completions: [String] = [],
                prefill: String? = nil, sensitive: Bool = false, more: String = "") {
        self.clear = clear; self.blocks = blocks; self.prompt = prompt
        self.completions = completions; self.prefill = prefill; self.sensitive = sensitive
        self.more = more
    }

    /// All the words on the screen, for tests and plain output.
    public var plainText: String {
        var lines: [String] = []
        for block in blocks {
            switch block {
            case let .heading(s), let .text(s), let .notice(s), let .hint(s): lines.append(s)
            case let .item(n, s): lines.append("\(n). \(s)")
            case let .bullet(s): lines.append("- \(s)")
            case let .detail(s): lines.append("  \(s)")
            case .blank: lines.append("")
            case let .qrCode(_, caption, _): lines.append(caption)
            }
        }
        lines.append(prompt)
        return lines.joined(separator: "\n")
    }
}

/// Work the shell does for the session, in order, feeding results back.
public enum Effect: Sendable, Equatable {
    /// A client left the welcome: count the session (nothing about them is kept).
    case sessionStarted(id: String, event: String?, language: String)
    /// Upsert the anonymous assessment (same id: replaces).
    case saveAssessment(AssessmentRecord)
    case raiseAlert(Alert)
    /// Commit, then call `followUpSaved(reference:)`, or `followUpFailed()`.
    case saveFollowUp(FollowUpRequest)
    /// The session is over: forget it and start a clean one.
    case endSession
    /// Staff typed the staff word at the welcome: ask for the PIN.
    case staffExit
    /// The client asked for the take-home slip: print `slip` (plain text blocks, no name,
    /// contact or answer) on the CUPS queue `queue`, then call `slipPrinted()` or
    /// `slipNotReady()`.
    case printSlip(slip: [Screen.Block], queue: String)
    /// A returning client typed a code and a second factor: check the pair (`ReturningStore`),
    /// then call `returningChecked(_:)`, or `returningCheckFailed()`.
    case checkReturning(reference: String, factor: String, questions: [String])
    /// After the assessment is saved: link it to the follow-up (the client agreed).
    case linkVisit(assessmentID: String, reference: String, factor: String)
}

public struct Transition: Sendable, Equatable {
    public var screen: Screen
    public var effects: [Effect]
    public init(screen: Screen, effects: [Effect] = []) { self.screen = screen; self.effects = effects }
}
