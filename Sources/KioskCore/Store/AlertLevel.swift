import Foundation

public enum AlertLevel: String, Sendable, Hashable, Codable {
    case urgent, soon
}
