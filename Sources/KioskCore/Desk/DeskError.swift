import Foundation

/// Why the desk's store refused a change; nothing was changed.
public enum DeskError: Error, Sendable, Hashable {
    case unknownReference(String)
    case illegalMove(from: FollowUpStatus, to: FollowUpStatus)
    /// Another follow-up holds this professional at this time.
    case slotTaken(professional: String, start: Date)
    case unknownAlert(Int64)
}
