import ArgumentParser
import Foundation
import KioskStore

/// Exit codes (sysexits), in one place.
enum Exit {
    static let usage = ExitCode(64)
    static let badData = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)

    /// One or two lines a person can act on, on standard error.
    static func fail(_ message: String, _ code: ExitCode) -> ExitCode {
        FileHandle.standardError.write(Data(("kiosk: " + message + "\n").utf8))
        return code
    }

    static func code(for error: StoreError) -> ExitCode {
        switch error {
        case .cannotCreate: return cannotCreate
        case .unavailable: return unavailable
        case .notALocation: return usage
        case .noDatabase: return noInput
        default: return ioError
        }
    }
}
