import Foundation

/// The SQL of least privilege (`kiosk db roles`): a kiosk role that can add what a client
/// confirms but not read anyone's name or contact, and a desk role that can do what the
/// front desk does. Plain text: it needs no PostgreSQL library.
public enum PostgresRoles {
    public static let defaultKioskRole = "relief_kiosk"
    public static let defaultDeskRole = "relief_desk"

    /// A role name the SQL can hold without quoting: lower-case letters, digits and '_'.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first == "_" || first.isLowercase, name.count <= 63 else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    /// The kiosk role's column-level view of `follow_up`: the reference (a code is free or
    /// not) and what the free slots need. No name, phone, email, note or request details.
    public static let kioskFollowUpColumns = ["reference", "status", "booked_professional", "booked_start", "booked_end"]

    /// The columns of `assessment` the kiosk writes: not `follow_up`, the link of a returning
    /// client's visit, which only `kiosk_link_visit` sets (with the right code and factor).
    public static let kioskAssessmentColumns = ["id", "created_at", "event", "language", "answers_json", "level", "outcome",
                                                "options_shown_json", "options_left_out_json"]

    /// The functions a returning client's check goes through (migration 9).
    public static let kioskFunctions = ["kiosk_check_return(text, text)", "kiosk_return_scores(text, text, text[])",
                                        "kiosk_link_visit(text, text, text)"]

    public static func sql(kiosk: String = defaultKioskRole, desk: String = defaultDeskRole) -> String {
        """
        -- Relief kiosk on PostgreSQL: two roles of least privilege (printed by `kiosk db roles`).
        --
        -- 1. Start the kiosk (or run `kiosk db migrate`) once as the role that owns the
        --    database: it creates the tables. 2. Run this file as that owner:
        --        psql "postgres://OWNER@HOST:5432/DB" -v ON_ERROR_STOP=1 -f roles.sql
        -- 3. Give each role a password in psql (it asks; nothing lands on a command line):
        --        \\password \(kiosk)
        --        \\password \(desk)
        -- 4. Each machine: KIOSK_DB=postgres://\(kiosk)@HOST:5432/DB for the kiosk,
        --    postgres://\(desk)@HOST:5432/DB for the desk; the password in PGPASSWORD or
        --    ~/.pgpass (mode 0600). Run this file again after an update of the kiosk.

        DO $$ BEGIN CREATE ROLE \(kiosk) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN CREATE ROLE \(desk) LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO \(kiosk), \(desk)', current_database());
        END $$;
        GRANT USAGE ON SCHEMA public TO \(kiosk), \(desk);
        REVOKE ALL ON kiosk_migrations, assessment, session_start, alert, follow_up, follow_up_event, staff_lock,
            return_lock, return_guard FROM \(kiosk), \(desk);
        REVOKE ALL ON FUNCTION \(kioskFunctions.joined(separator: ", ")) FROM \(kiosk), \(desk);

        -- The kiosk: counts a session, saves the anonymous assessment, raises an alert, and
        -- saves a follow-up request with its first audit event. It may see which reference
        -- codes are taken and which slots are booked (the free slots), and check the staff
        -- PIN. It can read no name, phone, email, note, answer or request of anyone.
        GRANT SELECT ON kiosk_migrations TO \(kiosk);
        GRANT INSERT ON session_start, alert, follow_up, follow_up_event TO \(kiosk);
        GRANT INSERT (\(kioskAssessmentColumns.joined(separator: ", "))) ON assessment TO \(kiosk);
        GRANT SELECT (id) ON session_start TO \(kiosk);
        -- Saving the same assessment again (same id) replaces it.
        GRANT SELECT (id), UPDATE (\(kioskAssessmentColumns.joined(separator: ", "))) ON assessment TO \(kiosk);
        GRANT SELECT (\(kioskFollowUpColumns.joined(separator: ", "))) ON follow_up TO \(kiosk);
        GRANT SELECT, UPDATE (failures, locked_until) ON staff_lock TO \(kiosk);
        -- A client who has been here before: the kiosk checks a code and its second factor only
        -- through kiosk_check_return (yes or no); a right pair opens the scores of their last
        -- visit and the link of today's visit, nothing else. It counts its own wrong tries.
        GRANT EXECUTE ON FUNCTION \(kioskFunctions.joined(separator: ", ")) TO \(kiosk);
        GRANT SELECT, INSERT, UPDATE ON return_lock TO \(kiosk);

        -- The desk: lists, finds and shows requests with their answers and history, books
        -- and moves them, acknowledges alerts, exports, counts (stats), purges contact
        -- details, imports an event's file, sets the staff PIN. It deletes nothing and
        -- cannot change the schema.
        GRANT SELECT ON kiosk_migrations TO \(desk);
        GRANT SELECT, INSERT, UPDATE ON assessment, session_start, alert, follow_up, follow_up_event, staff_lock
            TO \(desk);
        -- The wrong tries of each kiosk at the returning clients' check.
        GRANT SELECT ON return_lock TO \(desk);

        """
    }
}
