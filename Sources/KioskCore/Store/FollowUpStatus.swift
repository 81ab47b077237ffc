import Foundation

public enum FollowUpStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case requested, contacted, booked, completed, cancelled
    case noShow = "no_show"
}
