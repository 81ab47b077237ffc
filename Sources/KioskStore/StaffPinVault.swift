import Crypto
import _CryptoExtras
import Foundation
import GRDB
import KioskCore

/// The staff PIN, kept only as a salted PBKDF2-SHA256 hash, and its lock after
/// wrong tries (StaffLockPolicy), in the same database as the kiosk's data so
/// a restart does not reset the count.
extension SQLiteKioskStore: StaffPinStore {
    static let pinRounds = StaffPinHash.rounds

    public func hasStaffPin() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staff_lock)") ?? false }
    }

    /// Sets (or replaces) the PIN. Refuses one that is not 4 to 12 digits.
    public func setStaffPin(_ pin: String) throws {
        guard StaffLockPolicy.isAcceptable(pin) else { throw StoreError.io(reason: "a PIN is 4 to 12 digits") }
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let hash = try Self.derive(pin, salt: salt, rounds: Self.pinRounds)
        try write { db in
            try db.execute(sql: """
                INSERT INTO staff_lock (id, salt, hash, rounds, failures, locked_until) VALUES (1, ?, ?, ?, 0, NULL)
                ON CONFLICT(id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash,
                    rounds = excluded.rounds, failures = 0, locked_until = NULL
                """, arguments: [Data(salt), Data(hash), Self.pinRounds])
        }
    }

    /// Checks a typed PIN; counts a wrong one and locks after too many.
    public func checkStaffPin(_ pin: String, now: Date) throws -> StaffPinCheck {
        let row = try read { db in try Row.fetchOne(db, sql: "SELECT * FROM staff_lock WHERE id = 1") }
        guard let row else { return .notSet }
        let failures: Int = row["failures"]
        if let text: String = row["locked_until"], let until = StoredDate.date(text), until > now {
            return .locked(until: until)
        }
        let salt: Data = row["salt"], stored: Data = row["hash"], rounds: Int = row["rounds"]
        let typed = try Self.derive(pin, salt: Array(salt), rounds: rounds)
        if Self.constantTimeEqual(typed, Array(stored)) {
            try write { db in try db.execute(sql: "UPDATE staff_lock SET failures = 0, locked_until = NULL WHERE id = 1") }
            return .accepted
        }
        let count = failures + 1
        let until = StaffLockPolicy.lockDuration(afterFailures: count).map { now.addingTimeInterval($0) }
        try write { db in
            try db.execute(sql: "UPDATE staff_lock SET failures = ?, locked_until = ? WHERE id = 1",
                           arguments: [count, until.map(StoredDate.text)])
        }
        if let until { return .locked(until: until) }
        return .wrong(triesLeft: StaffLockPolicy.freeTries - count)
    }

    static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        try StaffPinHash.derive(pin, salt: salt, rounds: rounds)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        StaffPinHash.constantTimeEqual(a, b)
    }
}

/// The staff PIN's salted PBKDF2-SHA256 hash, shared by every kind of store.
public enum StaffPinHash {
    public static let rounds = 210_000

    /// A new random 16-byte salt.
    public static func salt() -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &generator) }
        return salt
    }

    public static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: salt, using: .sha256,
                                                   outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }

    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
