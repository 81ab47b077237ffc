import Foundation

/// A warning sign raised at the kiosk, as stored, with its acknowledgement.
public struct StoredAlert: Sendable, Hashable {
    public var id: Int64
    public var alert: Alert
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public init(id: Int64, alert: Alert, acknowledgedAt: Date?, acknowledgedBy: String?) {
        self.id = id; self.alert = alert; self.acknowledgedAt = acknowledgedAt; self.acknowledgedBy = acknowledgedBy
    }
}
