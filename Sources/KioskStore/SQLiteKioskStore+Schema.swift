import Foundation
import GRDB
import KioskCore

/// The SQLite schema: one function per version, registered in order, and bringing a file up
/// to date. A migration's SQL never changes once released (existing files must still
/// upgrade); a change is a new version.
extension SQLiteKioskStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1Records)
        migrator.registerMigration("v2-staff-lock", migrate: v2StaffLock)
        migrator.registerMigration("v3-desk", migrate: v3Desk)
        migrator.registerMigration("v4-events", migrate: v4Events)
        migrator.registerMigration("v5-search", migrate: v5Search)
        migrator.registerMigration("v6-words", migrate: v6Words)
        migrator.registerMigration("v7-folded-search", migrate: v7FoldedSearch)
        migrator.registerMigration("v8-referrals", migrate: v8Referrals)
        migrator.registerMigration("v9-returning", migrate: v9Returning)
        return migrator
    }

    private static func v1Records(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE assessment (
                id TEXT PRIMARY KEY NOT NULL,
                created_at TEXT NOT NULL,
                event TEXT,
                language TEXT NOT NULL,
                answers_json TEXT NOT NULL,
                level TEXT NOT NULL,
                outcome TEXT,
                options_shown_json TEXT NOT NULL DEFAULT '[]',
                options_left_out_json TEXT NOT NULL DEFAULT '[]'
            );
            CREATE INDEX assessment_created_at ON assessment(created_at);

            CREATE TABLE follow_up (
                reference TEXT PRIMARY KEY NOT NULL,
                assessment_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                event TEXT,
                language TEXT NOT NULL,
                name TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                discipline TEXT,
                professional TEXT,
                preferred_times_json TEXT NOT NULL DEFAULT '[]',
                consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
                after_clearance INTEGER NOT NULL DEFAULT 0 CHECK (after_clearance IN (0, 1)),
                status TEXT NOT NULL DEFAULT 'requested'
                    CHECK (status IN ('requested', 'contacted', 'booked', 'completed', 'cancelled', 'no_show')),
                booked_at TEXT,
                booked_professional TEXT,
                notes TEXT
            );
            CREATE INDEX follow_up_created_at ON follow_up(created_at);
            CREATE INDEX follow_up_status ON follow_up(status, created_at);

            CREATE TABLE follow_up_event (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL REFERENCES follow_up(reference) ON UPDATE CASCADE,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                note TEXT
            );
            CREATE INDEX follow_up_event_reference ON follow_up_event(reference, at);

            CREATE TABLE alert (
                id INTEGER PRIMARY KEY,
                assessment_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                level TEXT NOT NULL,
                outcome TEXT NOT NULL,
                event TEXT,
                acknowledged_at TEXT,
                acknowledged_by TEXT
            );
            CREATE INDEX alert_open ON alert(acknowledged_at, created_at);

            PRAGMA user_version = 1;
            """)
    }

    /// One row: the staff PIN as a salted PBKDF2 hash, and the wrong tries against it.
    private static func v2StaffLock(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE staff_lock (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                salt BLOB NOT NULL,
                hash BLOB NOT NULL,
                rounds INTEGER NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT
            );
            PRAGMA user_version = 2;
            """)
    }

    /// The booked slot: booked_professional (from v1) with booked_start/booked_end
    /// (StoredDate text, end exclusive). booked_at (v1) stays unused: the time a
    /// booking was made is in follow_up_event. The columns are kept after the
    /// follow-up is completed, cancelled or marked no-show (what was booked); only
    /// status 'booked' holds the slot.
    ///
    /// No two booked follow-ups may hold one professional at overlapping times.
    /// `book` checks the overlap inside its BEGIN IMMEDIATE transaction (slots may
    /// differ in length); the partial UNIQUE index is the database's last word for
    /// the usual case of fixed-length, aligned slots (same professional, same start).
    private static func v3Desk(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE follow_up ADD COLUMN booked_start TEXT;
            ALTER TABLE follow_up ADD COLUMN booked_end TEXT
                CHECK (booked_end IS NULL OR booked_end > booked_start);
            CREATE UNIQUE INDEX follow_up_booked_slot ON follow_up(booked_professional, booked_start)
                WHERE booked_start IS NOT NULL AND status = 'booked';
            CREATE INDEX follow_up_by_event ON follow_up(event, created_at);
            CREATE INDEX follow_up_professional ON follow_up(professional, created_at);
            CREATE INDEX follow_up_booked_professional ON follow_up(booked_professional, created_at);
            PRAGMA user_version = 3;
            """)
    }

    /// Every session a client starts (anonymous: when, where, which language), for
    /// the practice's numbers; and a flag the desk sees on an imported request.
    private static func v4Events(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE session_start (
                id TEXT PRIMARY KEY NOT NULL,
                started_at TEXT NOT NULL,
                event TEXT,
                language TEXT NOT NULL
            );
            CREATE INDEX session_start_at ON session_start(started_at);
            CREATE INDEX assessment_event ON assessment(event, created_at);
            ALTER TABLE follow_up ADD COLUMN flag TEXT;
            PRAGMA user_version = 4;
            """)
    }

    /// The desk's `find` looks for any part of a name, phone, email or reference:
    /// a trigram full-text index answers that without reading every row, so a
    /// search costs about the same at a thousand follow-ups as at a million.
    private static func v5Search(_ db: Database) throws {
        let digits = SQLiteKioskStore.strippedPhoneSQL
        try db.execute(sql: """
            ALTER TABLE follow_up ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (\(digits)) VIRTUAL;
            CREATE VIRTUAL TABLE follow_up_search USING fts5(
                reference, name, phone, email, phone_digits,
                content = 'follow_up', content_rowid = 'rowid', tokenize = 'trigram');
            INSERT INTO follow_up_search(follow_up_search) VALUES ('rebuild');
            CREATE TRIGGER follow_up_search_insert AFTER INSERT ON follow_up BEGIN
                INSERT INTO follow_up_search(rowid, reference, name, phone, email, phone_digits)
                VALUES (new.rowid, new.reference, new.name, new.phone, new.email, new.phone_digits);
            END;
            CREATE TRIGGER follow_up_search_delete AFTER DELETE ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, reference, name, phone, email, phone_digits)
                VALUES ('delete', old.rowid, old.reference, old.name, old.phone, old.email, old.phone_digits);
            END;
            CREATE TRIGGER follow_up_search_update AFTER UPDATE OF reference, name, phone, email ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, reference, name, phone, email, phone_digits)
                VALUES ('delete', old.rowid, old.reference, old.name, old.phone, old.email, old.phone_digits);
                INSERT INTO follow_up_search(rowid, reference, name, phone, email, phone_digits)
                VALUES (new.rowid, new.reference, new.name, new.phone, new.email, new.phone_digits);
            END;
            PRAGMA user_version = 5;
            """)
    }

    /// The trigram index (v5) finds any part of a field, but a phrase of trigrams
    /// is an AND of their row lists: for a surname made of common trigrams it steps
    /// through thousands of rows that have the trigrams but not the name, so a page
    /// of 50 hits costs ever more as the follow-ups grow. Here the same fields are
    /// also split into words: each distinct word once (follow_up_word), its own
    /// trigram index (a word list is small), and the follow-ups that hold it
    /// (follow_up_word_row, newest first by index order). Text without a word
    /// separator lies inside one word, so the follow-ups holding the words that
    /// contain it are exactly the ones the trigram index would find.
    ///
    /// Words shorter than three characters or of digits only are left out: `find`
    /// only asks for text of three or more characters with a non-digit in it here.
    /// A word stays in follow_up_word when its last follow-up changes (harmless:
    /// it finds no rows); follow_up_word_row follows every insert, update and delete.
    private static func v6Words(_ db: Database) throws {
        let rowWords = { (row: String) in SQLiteKioskStore.wordsSQL(of: row) }
        let keep = SQLiteKioskStore.keptWordSQL
        try db.execute(sql: """
            CREATE TABLE follow_up_word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
            CREATE TABLE follow_up_word_row (
                word_id INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (word_id, row)
            ) WITHOUT ROWID;
            CREATE VIRTUAL TABLE follow_up_word_search USING fts5(
                word, content = 'follow_up_word', content_rowid = 'id', tokenize = 'trigram');
            INSERT OR IGNORE INTO follow_up_word (word)
                SELECT w.value FROM follow_up, \(rowWords("follow_up")) AS w WHERE \(keep("w.value"));
            INSERT OR IGNORE INTO follow_up_word_row (word_id, row)
                SELECT follow_up_word.id, follow_up.rowid
                FROM follow_up, \(rowWords("follow_up")) AS w JOIN follow_up_word ON follow_up_word.word = w.value
                WHERE \(keep("w.value"));
            INSERT INTO follow_up_word_search(follow_up_word_search) VALUES ('rebuild');
            INSERT INTO follow_up_word_search(follow_up_word_search) VALUES ('optimize');
            CREATE TRIGGER follow_up_word_insert AFTER INSERT ON follow_up_word BEGIN
                INSERT INTO follow_up_word_search(rowid, word) VALUES (new.id, new.word);
            END;
            \(wordTriggersSQL(updateOf: "reference, name, phone, email", rowWords))
            PRAGMA user_version = 6;
            """)
    }

    /// `find nunez` finds "Núñez": the indexes (v5, v6) hold a name and an email folded
    /// (accents removed, lower case: TextSafety.folded) by the kiosk when it writes them,
    /// in name_key and email_key. A key is NULL for text of ASCII alone, which the
    /// trigram indexes already match in any case: then the text itself is indexed, as
    /// before. Rows written before (or by another program) are folded here; only those
    /// with other characters change, through the triggers, which take out what v5 and v6
    /// indexed for them and put in their keys. A change to TextSafety.folded needs a
    /// migration that folds every key again. (FTS5's 'rebuild' of follow_up_search would
    /// read the raw columns, not the keys: after v7, rebuild it from these triggers' fields.)
    private static func v7FoldedSearch(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE follow_up ADD COLUMN name_key TEXT;
            ALTER TABLE follow_up ADD COLUMN email_key TEXT;
            DROP TRIGGER follow_up_search_insert;
            DROP TRIGGER follow_up_search_delete;
            DROP TRIGGER follow_up_search_update;
            DROP TRIGGER follow_up_words_insert;
            DROP TRIGGER follow_up_words_delete;
            DROP TRIGGER follow_up_words_update;
            \(SQLiteKioskStore.searchTriggersSQL)
            """)
        // Never lowered: a later migration (v8) may have run first on a file from a branch
        // developed beside this one; GRDB runs a missing earlier migration after it.
        if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < 7 { try db.execute(sql: "PRAGMA user_version = 7") }
        let rows = try Row.fetchAll(db, sql: """
            SELECT rowid, name, email FROM follow_up WHERE name GLOB '*[^ -~]*' OR email GLOB '*[^ -~]*'
            """)
        let update = try db.makeStatement(sql: "UPDATE follow_up SET name_key = ?, email_key = ? WHERE rowid = ?")
        for row in rows {
            let name: String? = row["name"], email: String? = row["email"]
            try update.execute(arguments: [name.flatMap(searchKey), email.flatMap(searchKey), row["rowid"] as Int64])
        }
    }

    /// A referral is a follow-up whose professional is a partner outside the practice
    /// (directory.yaml), with the client's consent to pass their contact on to them.
    private static func v8Referrals(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE follow_up ADD COLUMN referral INTEGER NOT NULL DEFAULT 0 CHECK (referral IN (0, 1));
            ALTER TABLE follow_up ADD COLUMN pass_on_consent INTEGER NOT NULL DEFAULT 0
                CHECK (pass_on_consent IN (0, 1));
            CREATE INDEX follow_up_referral ON follow_up(referral, status, created_at);
            PRAGMA user_version = 8;
            """)
    }

    /// A returning client's later visit is linked to the follow-up it belongs to
    /// (assessment.follow_up, its reference), only with the client's consent; the
    /// follow-up's own assessment is its first visit. Purge removes the links.
    /// return_lock: the wrong code-and-factor pairs of each kiosk, as staff_lock keeps
    /// the PIN's (ReturningLock.kiosk). return_guard: the wrong factors in a row of each
    /// code, whatever kiosk asked (ReturningLock.code).
    private static func v9Returning(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE assessment ADD COLUMN follow_up TEXT;
            CREATE INDEX assessment_follow_up ON assessment(follow_up, created_at) WHERE follow_up IS NOT NULL;
            CREATE TABLE return_lock (
                kiosk TEXT PRIMARY KEY NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                total_failures INTEGER NOT NULL DEFAULT 0,
                last_failure_at TEXT,
                locked_until TEXT
            );
            CREATE TABLE return_guard (
                reference TEXT PRIMARY KEY NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT
            );
            PRAGMA user_version = 9;
            """)
    }

    /// The fields the search indexes hold for a row (`new`, `old` or a table), keys first.
    static func searchedFields(of row: String) -> [String] {
        ["\(row).reference", "coalesce(\(row).name_key, \(row).name)", "\(row).phone",
         "coalesce(\(row).email_key, \(row).email)", "\(row).phone_digits"]
    }

    /// The triggers that keep the trigram index (v5) and the word index (v6) in step with
    /// follow_up, on the searched fields (v7).
    static var searchTriggersSQL: String {
        func fields(_ row: String) -> String { searchedFields(of: row).joined(separator: ", ") }
        let columns = "reference, name, phone, email, phone_digits"
        let changed = "reference, name, phone, email, name_key, email_key"
        return """
            CREATE TRIGGER follow_up_search_insert AFTER INSERT ON follow_up BEGIN
                INSERT INTO follow_up_search(rowid, \(columns)) VALUES (new.rowid, \(fields("new")));
            END;
            CREATE TRIGGER follow_up_search_delete AFTER DELETE ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, \(columns)) VALUES ('delete', old.rowid, \(fields("old")));
            END;
            CREATE TRIGGER follow_up_search_update AFTER UPDATE OF \(changed) ON follow_up BEGIN
                INSERT INTO follow_up_search(follow_up_search, rowid, \(columns)) VALUES ('delete', old.rowid, \(fields("old")));
                INSERT INTO follow_up_search(rowid, \(columns)) VALUES (new.rowid, \(fields("new")));
            END;
            \(wordTriggersSQL(updateOf: changed) { wordsSQL(fields: searchedFields(of: $0)) })
            """
    }

    /// The triggers that keep the word index (v6, and v7 on the searched fields) in step with
    /// follow_up: a follow-up's words added for its new values, removed for its old ones.
    /// `rowWords` gives the words of `new` or `old`; `changed`, the columns whose update counts.
    static func wordTriggersSQL(updateOf changed: String, _ rowWords: (String) -> String) -> String {
        let keep = SQLiteKioskStore.keptWordSQL
        let addNewWords = """
                INSERT OR IGNORE INTO follow_up_word (word)
                    SELECT value FROM \(rowWords("new")) WHERE \(keep("value"));
                INSERT OR IGNORE INTO follow_up_word_row (word_id, row)
                    SELECT id, new.rowid FROM follow_up_word
                    WHERE word IN (SELECT value FROM \(rowWords("new")) WHERE \(keep("value")));
            """
        let removeOldWords = """
                DELETE FROM follow_up_word_row WHERE row = old.rowid AND word_id IN (
                    SELECT id FROM follow_up_word WHERE word IN (SELECT value FROM \(rowWords("old"))));
            """
        return """
            CREATE TRIGGER follow_up_words_insert AFTER INSERT ON follow_up BEGIN
            \(addNewWords)
            END;
            CREATE TRIGGER follow_up_words_delete AFTER DELETE ON follow_up BEGIN
            \(removeOldWords)
            END;
            CREATE TRIGGER follow_up_words_update AFTER UPDATE OF \(changed) ON follow_up BEGIN
            \(removeOldWords)
            \(addNewWords)
            END;
            """
    }

    /// The characters that end a word for the word index (v6). A comma comes first: the
    /// others are replaced by `","`, which holds one. None of them is a letter or digit,
    /// nor part of an escape that json_quote writes (`\"`, `\\`, `\n`, `\u0001`).
    /// The v6 triggers hold this list as it was then: changing it needs a new migration.
    public static let wordSeparators: [Character] = [",", " ", ".", "@", "-", "+", "(", ")", "/", ";", ":", "_", "'"]

    /// The words of a follow-up's reference, name, phone, email and phone digits (`row` is
    /// a table name, or `new`/`old` in a trigger) as a table-valued json_each: the fields,
    /// joined by spaces, as one JSON string whose separators become `","`.
    static func wordsSQL(of row: String) -> String {
        wordsSQL(fields: ["reference", "name", "phone", "email", "phone_digits"].map { "\(row).\($0)" })
    }

    /// The words of these SQL expressions, as `wordsSQL(of:)` gives them.
    static func wordsSQL(fields expressions: [String]) -> String {
        let fields = expressions
            .map { "coalesce(CAST(\($0) AS TEXT), '')" }.joined(separator: " || ' ' || ")
        let list = wordSeparators.reduce("json_quote(\(fields))") { sql, separator in
            "replace(\(sql), '\(separator == "'" ? "''" : String(separator))', '\",\"')"
        }
        return "json_each('[' || \(list) || ']')"
    }

    /// Which words the word index keeps: three characters or more, not only digits.
    static func keptWordSQL(_ value: String) -> String {
        "length(\(value)) >= 3 AND \(value) GLOB '*[^0-9]*'"
    }

    /// Brings the schema up to date; throws `StoreError.newerSchema` for a newer file,
    /// and lets GRDB's errors through for the caller to map or retry.
    /// True when every migration this build knows has run, and no other.
    static func isUpToDate(_ db: Database) throws -> Bool {
        guard try Int.fetchOne(db, sql: "PRAGMA user_version") == schemaVersion,
              try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'") == true
        else { return false }
        return try migrator.hasCompletedMigrations(db) && !migrator.hasBeenSuperseded(db)
    }

    static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = Self.migrator
        let (version, superseded, applied) = try writer.read { db in
            let exists = try db.tableExists("grdb_migrations")
            return (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    exists ? try migrator.hasBeenSuperseded(db) : false,
                    exists ? try migrator.appliedIdentifiers(db).count : 0)
        }
        if version > schemaVersion || superseded {
            throw StoreError.newerSchema(found: max(version, applied), known: schemaVersion)
        }
        // Another program (the front desk) may be migrating the same new file at this
        // moment: a migration of ours then fails ("table already exists", "locked").
        // Migrating again picks up where that program got to, so retry for a while.
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                let done = (try? writer.read { try migrator.hasCompletedMigrations($0) }) ?? false
                if done { return }
                attempt += 1
                if attempt >= 50 { throw error }
                usleep(100_000)
            }
        }
    }
}
