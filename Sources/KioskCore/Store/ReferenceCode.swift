import Foundation

/// Short codes a client can read out on the phone: no 0/O, 1/I/L.
public enum ReferenceCode {
    public static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let chars = (0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<3]) + "-" + String(chars[3..<6])
    }

    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.count == 3 && $0.allSatisfy(alphabet.contains) }
    }
}
