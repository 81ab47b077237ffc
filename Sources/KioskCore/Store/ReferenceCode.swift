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

extension ReferenceCode {
    /// How many codes a store draws for one follow-up before giving up.
    public static let maxAttempts = 20

    /// No free code came in `attempts` draws (`makeCode` kept returning codes in use).
    /// The stores report it as `StoreError.noFreeReference`.
    public struct NoFreeCode: Error, Equatable, Sendable {
        public var attempts: Int
        public init(attempts: Int) { self.attempts = attempts }
    }

    /// Draws codes until `claim` takes one, at most `maxAttempts` times. An empty code, and
    /// one in `avoiding`, is passed over without asking. `claim` says whether the code is
    /// free here (and, for a store that inserts as it asks, takes it).
    /// - Throws: `NoFreeCode` when none was taken; what `claim` throws.
    public static func drawFree(_ draw: () -> String, avoiding: Set<String> = [],
                                claim: (String) throws -> Bool) throws -> String {
        for _ in 0..<maxAttempts {
            let candidate = draw()
            guard !candidate.isEmpty, !avoiding.contains(candidate) else { continue }
            if try claim(candidate) { return candidate }
        }
        throw NoFreeCode(attempts: maxAttempts)
    }
}
