import ArgumentParser
import Foundation
import KioskCore

/// Buffered output to a file or standard output; a new file is created 0600.
final class OutputSink {
    struct Failure: Error, CustomStringConvertible { var description: String }
    private let fd: Int32
    private let path: String?
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        self.path = path
        guard let path else { fd = STDOUT_FILENO; return }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw Exit.fail("cannot write \(path): \(String(cString: strerror(errno))).", Exit.cannotCreate)
        }
        fd = opened
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { try? flush() }
    }

    /// A large chunk, written as it is (after what is buffered).
    func write(bytes: [UInt8]) throws {
        try flush()
        try writeAll(bytes[...])
    }

    private func flush() throws {
        try writeAll(buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>) throws {
        var rest = bytes
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw Failure(description: "could not write \(path ?? "the output"): \(String(cString: strerror(errno))).") }
            rest = rest.dropFirst(n)
        }
    }

    func finish() throws {
        try flush()
        if path != nil { close(fd) }
    }
}
