import Foundation
import KioskCore

/// Values as every kiosk store writes and reads them, whatever the database (SQLite here,
/// PostgreSQL in KioskPostgres): records as JSON text, audit statuses checked on the way back.
public enum StoredValues {
    /// A record as JSON text: sorted keys, slashes as they are, so equal records store equal text.
    public static func json<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.io(reason: "cannot encode a record: \(error)")
        }
    }

    /// A status from the audit trail of `reference`; nil for none (the `from` of a new request).
    public static func historyStatus(_ text: String?, of reference: String) throws(StoreError) -> FollowUpStatus? {
        guard let text else { return nil }
        guard let status = FollowUpStatus(rawValue: text) else {
            throw StoreError.io(reason: "follow-up \(reference) has an unknown status '\(text)' in its history")
        }
        return status
    }

    /// The status an audit event of `reference` moved to, which every event has.
    public static func historyTarget(_ text: String?, of reference: String) throws(StoreError) -> FollowUpStatus {
        guard let to = try historyStatus(text, of: reference) else {
            throw StoreError.io(reason: "follow-up \(reference) has an event without a status")
        }
        return to
    }
}
