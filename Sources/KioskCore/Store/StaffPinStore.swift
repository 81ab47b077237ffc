import Foundation

/// Where the staff PIN's hash and its wrong tries are kept.
public protocol StaffPinStore: AnyObject {
    func hasStaffPin() throws -> Bool
    func setStaffPin(_ pin: String) throws
    func checkStaffPin(_ pin: String, now: Date) throws -> StaffPinCheck
}
