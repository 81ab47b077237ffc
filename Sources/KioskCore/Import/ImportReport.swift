import Foundation

/// What `importDatabase` did, row by row, for the person who ran it.
public struct ImportReport: Sendable, Equatable {
    /// Rows of one kind: added here, skipped (already here) and refused (with a line in `refusals`).
    public struct Counts: Sendable, Equatable {
        public var added = 0
        public var skipped = 0
        public var refused = 0
        public init(added: Int = 0, skipped: Int = 0, refused: Int = 0) {
            self.added = added; self.skipped = skipped; self.refused = refused
        }
    }

    /// The imported file's name (without its folder) and its schema version.
    public var source: String
    public var sourceSchemaVersion: Int
    public var assessments = Counts()
    public var sessions = Counts()
    public var followUps = Counts()
    /// Audit-trail rows (`follow_up_event`) of the imported follow-ups.
    public var events = Counts()
    public var alerts = Counts()
    /// One line per refused row: what and why ("follow-up ABC-DEF: has no name, phone or email").
    public var refusals: [String] = []
    /// Follow-ups whose code was already taken here by another request: "OLD -> NEW".
    public var renamed: [String] = []
    /// References (as stored here) of imported follow-ups flagged for the desk, e.g. the
    /// phone of an existing follow-up; the reason is the follow-up's `flag`.
    public var flagged: [String] = []

    public init(source: String, sourceSchemaVersion: Int) {
        self.source = source; self.sourceSchemaVersion = sourceSchemaVersion
    }

    /// Rows added, all kinds together.
    public var added: Int {
        assessments.added + sessions.added + followUps.added + events.added + alerts.added
    }

    /// One follow-up imported (under `reference`, `old` in the other file), with its audit rows.
    public mutating func followUpImported(old: String, as reference: String, flagged: Bool,
                                          eventsAdded: Int, eventsSkipped: Int, shown: (String) -> String) {
        followUps.added += 1
        events.added += eventsAdded
        events.skipped += eventsSkipped
        if reference != old { renamed.append("\(shown(old)) -> \(reference)") }
        if flagged { self.flagged.append(reference) }
    }

    /// Audit events in the other file whose follow-up is not there: refused, one line each.
    public mutating func orphanEventsRefused(references: [String?], shown: (String) -> String) {
        for reference in references {
            events.refused += 1
            refusals.append("audit event of \(shown(reference ?? "(no reference)")): its follow-up is not in the file")
        }
    }

    /// The audit note on a follow-up whose code was taken here and drawn anew.
    public static func renameNote(file: String, old: String, new: String) -> String {
        "imported from \(file) as \(new), was \(old) there"
    }
}
