import Foundation

extension ReferenceCode {
    /// A code as a client may type it ("k7m2qx", "K7M 2QX", "k7m-2qx") in the kiosk's form
    /// ("K7M-2QX"), or nil when it cannot be one.
    public static func normalized(_ typed: String) -> String? {
        let compact = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard compact.count == 6 else { return nil }
        let code = String(compact.prefix(3)) + "-" + String(compact.suffix(3))
        return isValid(code) ? code : nil
    }
}
