import Foundation

/// A client who has been here before: their reference code and a second factor (the last 4
/// digits of the phone or the first 3 letters of the email given with that request) lead to
/// the scores of their last visit, and, with consent, link today's visit to that follow-up.
/// Nothing else of the earlier visit ever reaches the kiosk.
public protocol ReturningStore: AnyObject {
    /// Checks a code and its second factor at one kiosk. Locked: `.locked`, and nothing is
    /// compared. A wrong pair (a code that does not exist, a wrong factor, a purged follow-up,
    /// a code with too many wrong tries of late) counts one failure in a row at that kiosk,
    /// and the one that reaches `ReturningLock.kiosk`'s limit locks it. A right pair clears
    /// the count and gives the scores of `questions` at the client's last visit that held each.
    func checkReturning(reference: String, factor: String, kiosk: String, questions: [String],
                        now: Date) throws -> ReturnCheck
    /// Links the stored assessment `assessmentID` to the follow-up, if the pair is right
    /// (the client said yes to keeping this visit with the earlier one). False when it is not.
    func linkVisit(assessmentID: String, reference: String, factor: String, now: Date) throws -> Bool
    /// Each kiosk that has had a wrong code or factor, for the desk.
    func returnLocks() throws -> [ReturnLockState]
    /// For the desk: each follow-up's visits (its own assessment first, then those linked to
    /// it), oldest first, with the scores of `questions`; only follow-ups with a linked visit.
    func linkedVisits(references: [String], questions: [String]) throws -> [String: [Visit]]
    /// For the numbers: each returning client's first and latest visit (the latest taken
    /// within `event` and `since`, when given), scores only.
    func returningOutcomes(questions: [String], event: String?, since: Date?) throws -> [ReturnOutcome]
}

/// What checking a returning client's code and second factor found.
public enum ReturnCheck: Sendable, Equatable {
    /// The pair is right: the scores of last time, by question id (nothing else).
    case admitted(scores: [String: Int])
    /// Wrong, whatever was wrong.
    case refused
    /// Too many wrong pairs in a row at this kiosk.
    case locked(until: Date)
}

/// The wrong tries of one kiosk, as the desk sees them.
public struct ReturnLockState: Sendable, Hashable {
    public var kiosk: String
    /// Wrong pairs in a row (a right one clears it).
    public var failures: Int
    /// Wrong pairs ever.
    public var totalFailures: Int
    public var lastFailureAt: Date?
    public var lockedUntil: Date?
    public init(kiosk: String, failures: Int, totalFailures: Int, lastFailureAt: Date?, lockedUntil: Date?) {
        self.kiosk = kiosk; self.failures = failures; self.totalFailures = totalFailures
        self.lastFailureAt = lastFailureAt; self.lockedUntil = lockedUntil
    }
}

/// One visit: when, and its scores by question id.
public struct Visit: Sendable, Hashable {
    public var at: Date
    public var scores: [String: Int]
    public init(at: Date, scores: [String: Int]) { self.at = at; self.scores = scores }
}

/// A returning client's first and latest visit, scores only.
public struct ReturnOutcome: Sendable, Hashable {
    public var first: [String: Int]
    public var latest: [String: Int]
    public init(first: [String: Int], latest: [String: Int]) { self.first = first; self.latest = latest }
}

/// The limits on wrong pairs.
public enum ReturningLock {
    /// At one kiosk: the fifth wrong pair in a row locks the way back there for 10 minutes,
    /// doubling with each further one, up to 2 hours.
    public static let kiosk = TryLimit(freeTries: 5, firstLock: 10 * 60, longestLock: 2 * 60 * 60)
    /// For one code, whatever kiosk asks: the fifth wrong factor in a row refuses the code
    /// for 15 minutes (so that nobody can try every 4 digits of a code from several kiosks).
    /// The PostgreSQL store's function `kiosk_return_pair` holds the same numbers.
    public static let code = TryLimit(freeTries: 5, firstLock: 15 * 60, longestLock: 15 * 60)

    /// The kiosk's lock after `failures` in a row, from `now`.
    public static func kioskLock(afterFailures failures: Int, now: Date) -> Date? {
        kiosk.lockDuration(afterFailures: failures).map { now.addingTimeInterval($0) }
    }
}

/// The second factor: the last 4 digits of a phone number, or the first 3 letters of an email.
public enum ReturnFactor {
    /// What a client typed, as it is compared: 4 digits (spaces and dashes dropped), or 3
    /// characters in lower case. Nil for anything else (a hint, not a failure).
    public static func normalized(_ typed: String) -> String? {
        let text = TextSafety.normalized(typed.trimmedWhitespace, maxLength: 20)
        let digits = text.filter { $0 != " " && $0 != "-" }
        if digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return digits }
        let letters = text.lowercased()
        if letters.count == 3, !letters.contains(where: \.isWhitespace) { return letters }
        return nil
    }

    /// Whether a normalized factor matches the contact given with the request.
    public static func matches(_ factor: String, phone: String?, email: String?) -> Bool {
        if factor.count == 4, let phone {
            let digits = phone.filter { $0.isASCII && $0.isNumber }
            if digits.count >= 4, String(digits.suffix(4)) == factor { return true }
        }
        if factor.count == 3, let email, email.count >= 3, String(email.prefix(3)).lowercased() == factor { return true }
        return false
    }
}

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
