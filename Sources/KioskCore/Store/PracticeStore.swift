import Foundation

/// Everything the `kiosk` program needs of a practice's database, the same on SQLite
/// (one file) and PostgreSQL (several machines): the kiosk's and the desk's protocols,
/// the staff PIN, returning clients, the numbers, `kiosk import`, and closing.
public protocol PracticeStore: DeskStore, StaffPinStore, ReturningStore {
    /// Where the data is, for messages: a file path, or a URL (never with a password).
    var location: String { get }
    /// The practice's numbers from anonymous rows only (see `PracticeStats`).
    func practiceStats(event: String?, since: Date?) throws -> PracticeStats
    /// Brings the kiosk database file at `path` (an event laptop's SQLite file) into this
    /// one in one transaction: all or nothing; importing it again adds nothing.
    /// `makeCode` draws a reference code for a follow-up whose code is taken here.
    func importDatabase(from path: String, now: Date, makeCode: (() -> String)?) throws -> ImportReport
    /// Closes the connections; later calls throw.
    func close() throws
}
