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
