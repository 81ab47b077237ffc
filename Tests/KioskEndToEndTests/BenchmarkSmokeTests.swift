import Foundation
import KioskTestSupport
import Testing

/// The benchmark in its tiny configuration: it still builds, runs and writes its figures.
/// (No timing is asserted here: machines are noisy; `./kiosk bench` is for the figures.)
@Suite("kiosk-bench, tiny configuration")
struct BenchmarkSmokeTests {
    @Test("kiosk-bench all --quick runs every row and writes the JSON")
    func quickSuite() throws {
        let bench = URL(fileURLWithPath: KioskBinary.path).deletingLastPathComponent().appendingPathComponent("kiosk-bench").path
        try #require(FileManager.default.isExecutableFile(atPath: bench), "build it first: swift build --build-tests")
        let json = KioskBinary.scratch().appendingPathComponent("bench.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bench)
        process.arguments = ["all", "--quick", "--json", json]
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONTENT"] = KioskBinary.content
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]]
        let numbers = Set((rows ?? []).compactMap { $0["number"] as? Int })
        #expect(numbers == Set(1...9), "every row of the suite is there")
        #expect((rows ?? []).filter { ($0["runs"] as? Int ?? 0) > 0 }.allSatisfy { ($0["median"] as? Double ?? -1) >= 0 })
    }
}
