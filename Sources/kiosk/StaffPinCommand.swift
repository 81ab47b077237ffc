import ArgumentParser
import Foundation
import KioskCommandLine
import KioskCore
import KioskStore
import KioskTerminal

struct StaffPinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff-pin", abstract: "The PIN that lets staff leave the kiosk.",
        subcommands: [Set.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the staff PIN (4 to 12 digits, read without echo; kept only as a salted hash).")

        @OptionGroup var database: DatabaseOption

        func run() throws {
            let store = try StoreOpening.open(Paths.database(database.db), create: .fileOnly)
            guard try chooseStaffPin(store) else { throw Exit.fail("the PIN was not changed.", Exit.usage) }
            print("The staff PIN is set.")
        }
    }
}

/// Asks for a new PIN twice, without echo, and stores its hash. False if the
/// person gave up (end of input) or three tries did not match.
func chooseStaffPin(_ store: StaffPinStore) throws -> Bool {
    for _ in 0..<3 {
        guard let pin = readPIN("New staff PIN (4 to 12 digits): ") else { return false }
        guard StaffLockPolicy.isAcceptable(pin) else { print("A PIN is 4 to 12 digits."); continue }
        guard let again = readPIN("The same PIN again: ") else { return false }
        guard again == pin else { print("The two PINs differ."); continue }
        try store.setStaffPin(pin)
        return true
    }
    return false
}

/// A PIN from the terminal without echo, or one line from a pipe (for scripts).
private func readPIN(_ prompt: String) -> String? {
    if isatty(STDIN_FILENO) == 1 { return readSecret(prompt: prompt)?.trimmingCharacters(in: .whitespaces) }
    return Swift.readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
}
