import Foundation
import KioskCore
@testable import KioskStore
import KioskTestSupport
import Testing

@Suite("Returning clients on an older database")
struct ReturningUpgradeTests {
    @Test("a database at v8 upgrades to v9: a client who booked before the update can come back with their code")
    func upgradeFromV8() throws {
        let db = try TempDatabase("v8.sqlite")
        try SQLiteKioskStore.createForTesting(path: db.path, upTo: "v8-referrals", """
            INSERT INTO assessment (id, created_at, language, answers_json, level) VALUES
                ('a1', '2025-01-01T10:00:00.000Z', 'en', '{"pain_now":{"scale":{"_0":6}}}', 'self_care');
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, consent) VALUES
                ('AAA-AAA', 'a1', '2025-01-01T10:00:00.000Z', 'en', 'Client 1', '555-010-0142', NULL, 1);
            """)
        let store = try SQLiteKioskStore(path: db.path)
        #expect(try store.connectionSettings().schemaVersion == 9)
        #expect(try store.checkReturning(reference: "AAA-AAA", factor: "0142", kiosk: "k", questions: ["pain_now"], now: Date())
            == .admitted(scores: ["pain_now": 6]), "the answers an older kiosk stored are read the same")
        try store.close()
    }
}
