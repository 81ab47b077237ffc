import Foundation

/// Everything `kiosk import` copies from an event's file, read in one snapshot.
public struct ImportSource: Sendable {
    /// The file's name, without its folder.
    public var file: String
    public var version: Int
    public var assessments: [ImportRow]
    public var sessions: [ImportRow]
    public var followUps: [ImportRow]
    /// Audit events by the reference of their follow-up (as in the file).
    public var events: [String: [ImportRow]]
    /// Audit events whose follow-up is not in the file.
    public var orphanEvents: [ImportRow]
    public var alerts: [ImportRow]

    public init(file: String, version: Int, assessments: [ImportRow], sessions: [ImportRow], followUps: [ImportRow],
                events: [String: [ImportRow]], orphanEvents: [ImportRow], alerts: [ImportRow]) {
        self.file = file; self.version = version
        self.assessments = assessments; self.sessions = sessions; self.followUps = followUps
        self.events = events; self.orphanEvents = orphanEvents; self.alerts = alerts
    }
}
