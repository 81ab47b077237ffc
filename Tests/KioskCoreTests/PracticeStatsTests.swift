import Foundation
import KioskTestSupport
import Testing
@testable import KioskCore

/// A generated practice whose numbers are known by construction.
private enum StatsData {
    /// Pain areas of the 45 assessments without an emergency, in order.
    static let areaPlan: [String] = Array(repeating: "low_back", count: 18) + Array(repeating: "neck", count: 12)
        + Array(repeating: "hip_leg", count: 8) + Array(repeating: "upper_back", count: 5)
        + Array(repeating: "head_jaw", count: 2)

    /// 50 assessments: every 10th (0, 10, ...) an emergency (no questionnaire answers),
    /// every 10th from 5 a "see a doctor soon", the other 40 self care.
    static func assessments() -> [AssessmentRecord] {
        var out: [AssessmentRecord] = []
        var k = 0   // index among the 45 that answered the questionnaire
        var s = 0   // index among the 40 self-care ones
        for i in 0..<50 {
            let date = Date(timeIntervalSince1970: 1_740_000_000 + Double(i) * 600)
            if i % 10 == 0 {
                out.append(AssessmentRecord(
                    id: "A\(i)", createdAt: date, event: nil, language: "en",
                    answers: ["warning_emergency_1": .choices(["chest_pain"])], level: .emergency,
                    outcome: i == 40 ? "emergency_clot" : "emergency", optionsShown: [], optionsLeftOut: []))
                continue
            }
            let causes = ["work_strain", "work_strain", "sports_injury", "fall", "nothing_known"]
            let answers: Answers = [
                "warning_emergency_1": .choices(["none"]),
                "area": .choices([areaPlan[k]]),
                "cause": .choices([causes[k % 5]]),
                "pain_now": .scale(i % 11),
                "feel": .choices(["aching", "stiff"]),
            ]
            k += 1
            if i % 10 == 5 {
                out.append(AssessmentRecord(
                    id: "A\(i)", createdAt: date, event: "fair", language: "es", answers: answers,
                    level: .doctorSoon, outcome: i < 25 ? "doctor_soon" : "doctor_today",
                    optionsShown: ["gentle_movement"], optionsLeftOut: ["massage", "chiropractic"]))
            } else {
                out.append(AssessmentRecord(
                    id: "A\(i)", createdAt: date, event: "fair", language: "en", answers: answers,
                    level: .selfCare, outcome: nil,
                    optionsShown: ["massage", "heat"] + (s % 4 == 0 ? ["ice"] : []), optionsLeftOut: []))
                s += 1
            }
        }
        return out
    }

    /// 23 requests: 4 requested, 3 contacted, 5 booked, 6 completed, 2 no-show, 3 cancelled.
    static let statuses: [FollowUpStatus] =
        Array(repeating: .requested, count: 4) + Array(repeating: .contacted, count: 3)
        + Array(repeating: .booked, count: 5) + Array(repeating: .completed, count: 6)
        + Array(repeating: .noShow, count: 2) + Array(repeating: .cancelled, count: 3)

    static func build() -> PracticeStats {
        var builder = PracticeStatsBuilder()
        for i in 0..<60 { builder.addSession(language: i % 4 == 3 ? "es" : "en") }
        for record in assessments() { builder.add(record) }
        for status in statuses { builder.addFollowUp(status: status) }
        return builder.build()
    }

    static let labels: [String: String] = [
        "low_back": "Low back", "neck": "Neck", "hip_leg": "Hip, leg or knee", "upper_back": "Upper back or shoulders",
        "head_jaw": "Head or jaw", "ankle_foot": "Ankle or foot",
        "work_strain": "Work strain", "sports_injury": "A sports injury", "fall": "A fall", "nothing_known": "Nothing I know of",
        "massage": "Massage therapy", "heat": "Heat", "ice": "Ice or cold packs", "gentle_movement": "Gentle movement",
        "emergency": "Call 911 now", "emergency_clot": "Emergency: a possible clot", "doctor_soon": "See a doctor soon",
        "doctor_today": "See a doctor today",
    ]
}

@Suite("Practice stats")
struct PracticeStatsTests {
    @Test("a generated practice gives every count exactly")
    func exactCounts() {
        let stats = StatsData.build()
        #expect(stats.sessions == 60)
        #expect(stats.byLanguage == ["en": 45, "es": 15])
        #expect(stats.finishedSessions == 50)
        #expect(stats.emergency == 5)
        #expect(stats.doctorSoon == 5)
        #expect(stats.warningOutcomes == ["emergency": 4, "emergency_clot": 1, "doctor_soon": 2, "doctor_today": 3])
        #expect(stats.bookingRequests == 23)
        #expect(stats.conversion == 23.0 / 50.0)
        #expect(stats.waiting == 7)
        #expect(stats.booked == 13)   // 5 booked + 6 completed + 2 no-show
        #expect(stats.completed == 6)
        #expect(stats.noShows == 2)
        #expect(stats.cancelled == 3)
        #expect(stats.painAreas == ["low_back": 18, "neck": 12, "hip_leg": 8, "upper_back": 5, "head_jaw": 2])
        #expect(stats.causes == ["work_strain": 18, "sports_injury": 9, "fall": 9, "nothing_known": 9])
        #expect(stats.optionsShown == ["massage": 40, "heat": 40, "ice": 10, "gentle_movement": 5])
        // The statuses add up: every request is waiting, booked or cancelled.
        #expect(stats.waiting + stats.booked + stats.cancelled == stats.bookingRequests)
    }

    @Test("each id counts once per assessment, and a missing question counts nothing")
    func oncePerAssessment() {
        var builder = PracticeStatsBuilder()
        builder.add(AssessmentRecord(id: "x", createdAt: Date(timeIntervalSince1970: 0), event: nil, language: "en",
                                     answers: ["area": .choices(["neck", "neck"]), "cause": .scale(3)],
                                     level: .selfCare, outcome: nil, optionsShown: ["heat", "heat"], optionsLeftOut: []))
        let stats = builder.build()
        #expect(stats.painAreas == ["neck": 1])
        #expect(stats.causes == [:])
        #expect(stats.optionsShown == ["heat": 1])
        #expect(stats.warningOutcomes == [:])
        #expect(stats.conversion == 0)
    }

    @Test("no records: all zeros and a conversion of 0")
    func empty() {
        let stats = PracticeStatsBuilder().build()
        #expect(stats == PracticeStats.zero)
        #expect(stats.sessions == 0 && stats.finishedSessions == 0 && stats.bookingRequests == 0)
        #expect(stats.conversion == 0)
        #expect(stats.conversion.isFinite)
        // Requests without a finished session (an import, a filter) still give a finite 0.
        var builder = PracticeStatsBuilder()
        builder.addFollowUp(status: .requested)
        #expect(builder.build().conversion == 0)
        #expect(builder.build().bookingRequests == 1)
    }

    @Test("JSON round-trips and uses the documented keys")
    func json() throws {
        let stats = StatsData.build()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(stats)
        #expect(try JSONDecoder().decode(PracticeStats.self, from: data) == stats)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["sessions", "finishedSessions", "warningOutcomes", "emergency", "doctorSoon",
                                     "bookingRequests", "conversion", "waiting", "booked", "completed", "noShows",
                                     "cancelled", "painAreas", "causes", "optionsShown", "byLanguage", "referrals",
                                     "referralsPassedOn", "referralsByPartner", "referralsByDiscipline", "events"])
        #expect(object["conversion"] as? Double == 0.46)
    }

    @Test("the table shows each label with its bar, largest first, and zeros as 0")
    func table() throws {
        let stats = StatsData.build()
        let text = StatsReport.table(stats, width: 72, known: [.painAreas: ["ankle_foot"]]) { _, id in
            StatsData.labels[id] ?? id
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { TextWidth.columns($0) <= 72 })
        for label in StatsData.labels.values {
            #expect(text.contains(label), "missing \(label)")
        }
        #expect(text.contains("Sessions started"))
        #expect(text.contains("46.0%"))

        // Where it hurts: sorted by count, bars proportional, the top bar the longest.
        let start = try #require(lines.firstIndex(of: "Where it hurts"))
        let section = Array(lines[(start + 1)...].prefix { !$0.isEmpty })
        let order = ["Low back", "Neck", "Hip, leg or knee", "Upper back or shoulders", "Head or jaw", "Ankle or foot"]
        #expect(section.count == order.count)
        for (line, label) in zip(section, order) { #expect(line.hasPrefix("  " + label), "\(line)") }
        let bars = section.map { $0.filter { $0 == "█" }.count }
        #expect(bars == bars.sorted(by: >))
        #expect(bars[0] > bars[1] && bars[4] >= 1)
        #expect(bars[5] == 0)
        #expect(section[0].hasSuffix("█ 18"))
        #expect(section[5].hasSuffix(" 0"))
        // The bar is proportional: 12/18 of the top one, rounded.
        #expect(bars[1] == Int((Double(bars[0]) * 12 / 18).rounded()))

        // A summary zero is "0", not blank.
        let empty = StatsReport.table(.zero, labels: { $0 }, width: 60)
        #expect(empty.contains("Sessions started"))
        #expect(empty.split(separator: "\n").contains { $0.hasPrefix("  Booked") && $0.contains(" 0") })
        #expect(empty.contains("0.0%"))
        #expect(empty.contains("none yet"))
    }

    @Test("ASCII bars use #, and the one-closure form labels every kind")
    func asciiTable() {
        let stats = StatsData.build()
        let text = StatsReport.table(stats, labels: { StatsData.labels[$0] ?? $0 }, width: 50, ascii: true)
        #expect(!text.contains("█"))
        #expect(text.contains("#"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("Massage therapy"))
        #expect(text.contains("See a doctor today"))
        #expect(text.split(separator: "\n").allSatisfy { TextWidth.columns($0) <= 50 })
    }

    @Test("long and unsafe labels are cut and made safe")
    func unsafeLabels() {
        let stats = PracticeStats(painAreas: ["x\u{1B}[2J": 3, "long": 1])
        let text = StatsReport.table(stats, width: 40) { _, id in
            id == "long" ? String(repeating: "Very long label ", count: 5) : id
        }
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("x<ESC>[2J"))
        #expect(text.contains("…"))
        #expect(text.split(separator: "\n").allSatisfy { TextWidth.columns($0) <= 40 })
    }

    @Test("no name, phone or email can reach the numbers")
    func noContactDetails() throws {
        // A follow-up full of contact details: the builder takes only its status.
        let request = FollowUpRequest(assessmentID: "A1", createdAt: Date(timeIntervalSince1970: 0), event: "fair",
                                      language: "en", name: "Zoë Müller", phone: "+41 79 123 45 67",
                                      email: "zoe@example.org", discipline: nil, professional: nil,
                                      preferredTimes: [], consent: true, afterMedicalClearance: false)
        let followUp = FollowUp(reference: "ABC-DEF", request: request, status: .booked)
        var builder = PracticeStatsBuilder()
        builder.addSession(language: "en")
        builder.addFollowUp(status: followUp.status)
        let stats = builder.build()
        let encoder = JSONEncoder()
        let json = String(decoding: try encoder.encode(stats), as: UTF8.self)
        let table = StatsReport.table(stats, labels: { $0 }, width: 80)
        for secret in ["Zoë", "Müller", "+41", "zoe@", "ABC-DEF"] {
            #expect(!json.contains(secret))
            #expect(!table.contains(secret))
        }
        // The numbers hold counts only: no String field that could carry a name (an event's
        // name is what staff typed for `kiosk run --event`).
        for child in Mirror(reflecting: stats).children {
            let value = child.value
            #expect(value is Int || value is Double || value is [String: Int] || value is [EventStats], "\(child.label ?? "?")")
        }
        #expect(stats.events == [EventStats(event: nil, sessions: 1, bookingRequests: 1)])
        for child in Mirror(reflecting: EventStats(event: "fair")).children where child.label != "event" {
            #expect(child.value is Int || child.value is Double, "\(child.label ?? "?")")
        }
    }

    @Test("the warning-sign rows of the summary take Content's words for the levels")
    func levelWordsFromContent() {
        var builder = PracticeStatsBuilder()
        builder.add(AssessmentRecord(id: "e", createdAt: Date(timeIntervalSince1970: 0), event: nil, language: "en",
                                     answers: [:], level: .emergency, outcome: "emergency", optionsShown: [], optionsLeftOut: []))
        let table = StatsReport.table(builder.build(), width: 80,
                                      levelLabels: [.emergency: "Emergencia ahora", .doctorSoon: "Vea a un médico pronto"],
                                      sectionLabels: { $1 })
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("  Emergencia ahora") && $0.contains(" 1") }, "\(table)")
        #expect(lines.contains { $0.hasPrefix("  Vea a un médico pronto") && $0.contains(" 0") }, "\(table)")
    }
}
