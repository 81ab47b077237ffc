import Foundation
import Testing
import KioskCore
@testable import KioskStore
import KioskTestSupport

private let syllables = ["ka", "Lo", "mü", "REN", "dor", "vas", "ß", "bel", "O'", "san", "ro", "fen"]
private func made(_ n: Int, _ parts: Int) -> String {
    var n = n, out = ""
    for _ in 0..<parts { out += syllables[n % syllables.count]; n /= syllables.count }
    return out
}

@Suite("Word index (v6)")
struct WordIndexTests {
    @Test("text inside one word: the word index finds what the trigram index finds, through inserts, updates and deletes")
    func sameAsTrigrams() throws {
        let store = try SQLiteKioskStore.inMemory()
        var codes: [String] = []
        for n in 0..<240 {
            let name = [made(n, 2), made(n * 7 + 3, 3), n % 9 == 0 ? "van der " + made(n, 1) : ""]
                .joined(separator: n % 5 == 0 ? "-" : " ")
            let phone: String? = n % 4 == 0 ? nil : n % 11 == 0 ? "555-CALL-\(n)" : "+41 79 \(100 + n) 45 \(n % 90 + 10)"
            let email: String? = n % 3 == 0 ? nil : "\(made(n * 7 + 3, 3).lowercased()).\(n)@Example\(n % 4).org"
            codes.append(try store.saveFollowUp(request(name: name, phone: phone, email: email, at: Double(n) * 60, event: nil),
                                                makeCode: randomCode))
        }
        try store.executeForTesting("UPDATE follow_up SET name = 'Renamed Kadorfen\tTab' WHERE rowid % 17 = 0")
        try store.executeForTesting("UPDATE follow_up SET email = NULL, phone = 'x' WHERE rowid % 13 = 0")
        try store.executeForTesting("UPDATE follow_up SET reference = 'ZZZ-' || substr(reference, 5) WHERE rowid % 19 = 0")
        try store.executeForTesting("DELETE FROM follow_up_event WHERE reference IN (SELECT reference FROM follow_up WHERE rowid % 23 = 0)")
        try store.executeForTesting("DELETE FROM follow_up WHERE rowid % 23 = 0")
        try store.executeForTesting("UPDATE follow_up SET status = 'completed' WHERE rowid % 29 = 0")
        _ = try store.purgeContactDetails(before: Date(timeIntervalSince1970: 1e9), dryRun: false, actor: "a", now: Date())

        var needles: Set<String> = ["Kadorfen", "kadorfen", "KADORFEN", "dorf", "ZZZ", "zzz", "CALL", "call-1", "example1",
                                    "xample", "Tab", "müren", "MÜREN", "O'ka", "o'", "'ka", "der", "van der", "nobody", "Ex",
                                    "\"ka", "ka\"", "79 1", "791", "555", "Renamed", "ka%", "a_b"]
        for n in stride(from: 0, to: 240, by: 3) {
            let surname = made(n * 7 + 3, 3)
            needles.formUnion([surname, surname.lowercased(), surname.uppercased(), String(surname.dropFirst()),
                               String(surname.dropLast(2)), made(n, 2), String(codes[n].prefix(3))])
        }
        var answered = 0
        for needle in needles.sorted() where needle.count >= 3 {
            for limit in [1, 5, 1_000] {
                let byTrigrams = try store.trigramReferencesForTesting(needle, limit: limit)
                guard let byWords = try store.wordIndexReferencesForTesting(needle, limit: limit) else { continue }
                answered += 1
                #expect(byWords == byTrigrams, "\(needle), limit \(limit)")
            }
        }
        #expect(answered > 200)
        #expect(try store.wordIndexReferencesForTesting("van der", limit: 5) == nil, "a space: may span words")
        #expect(try store.wordIndexReferencesForTesting("791", limit: 5) == nil, "digits only: phone numbers")
        #expect(try store.wordIndexReferencesForTesting("ka", limit: 5) == nil)
    }

    @Test("a database at v5 upgrades to v6: finds what it held, then what comes, changes and goes")
    func upgradeFromV5() throws {
        let dir = try TempDir()
        let path = dir.path("v5.sqlite")
        try SQLiteKioskStore.createForTesting(path: path, upTo: "v5-search", """
            INSERT INTO follow_up (reference, assessment_id, created_at, language, name, phone, email, consent) VALUES
                ('AAA-AAA', 'a1', '2025-01-01T10:00:00.000Z', 'de', 'Vaslo Nerrosan', '555 01', NULL, 1),
                ('BBB-BBB', 'a2', '2025-01-02T10:00:00.000Z', 'de', 'Ada Kalomi', NULL, 'nerrosan.family@example.org', 1),
                ('CCC-CCC', 'a3', '2025-01-03T10:00:00.000Z', 'de', 'Tu NERROSAN-Bel', '555 03', NULL, 1),
                ('DDD-DDD', 'a4', '2025-01-04T10:00:00.000Z', 'de', 'Ren Dorvaslo', '555 04', NULL, 1);
            PRAGMA user_version = 5;
            """)
        let store = try SQLiteKioskStore(path: path)
        #expect(try store.connectionSettings().schemaVersion == SQLiteKioskStore.schemaVersion)
        func refs(_ text: String) throws -> [String] { try store.find(text, limit: 10).map(\.reference) }
        #expect(try store.wordIndexReferencesForTesting("nerrosan", limit: 10) == ["CCC-CCC", "BBB-BBB", "AAA-AAA"])
        #expect(try refs("Nerrosan") == ["CCC-CCC", "BBB-BBB", "AAA-AAA"])
        #expect(try refs("vaslo") == ["DDD-DDD", "AAA-AAA"])

        let new = try store.saveFollowUp(request(name: "Mi Nerrosan", phone: nil, email: nil, at: 1_800_000_000, event: nil),
                                         makeCode: { "EEE-EEE" })
        #expect(try refs("nerrosan") == [new, "CCC-CCC", "BBB-BBB", "AAA-AAA"])
        try store.executeForTesting("UPDATE follow_up SET name = 'Vaslo Kalomi' WHERE reference = 'AAA-AAA'")
        try store.executeForTesting("UPDATE follow_up SET email = NULL WHERE reference = 'BBB-BBB'")
        #expect(try refs("nerrosan") == [new, "CCC-CCC"])
        #expect(try refs("kalomi") == ["BBB-BBB", "AAA-AAA"])
        try store.executeForTesting("DELETE FROM follow_up_event WHERE reference = 'CCC-CCC'")
        try store.executeForTesting("DELETE FROM follow_up WHERE reference = 'CCC-CCC'")
        #expect(try refs("nerrosan") == [new])
        #expect(try store.wordIndexReferencesForTesting("nerrosan", limit: 10) == [new])
        try store.close()
    }
}
