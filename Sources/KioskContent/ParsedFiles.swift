import Foundation
import Yams

/// Each content file is parsed once per process (loading, the reading check and the
/// reading report all read the same files), and without Yams' tag rules: they run
/// regular expressions on every scalar (and load ICU); the loader reads values itself.
enum ParsedFiles {
    static let resolver = Resolver.basic

    private struct Key: Hashable { var path: String; var text: Int; var modified: Date }
    // Guarded by `lock`; content is loaded from one thread at a time in practice.
    nonisolated(unsafe) private static var cache: [Key: Node] = [:]
    private static let lock = NSLock()

    /// The file's root node (nil for an empty document); throws Yams' error for bad YAML.
    static func root(text: String, path: String) throws -> Node? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let key = Key(path: path, text: text.hashValue, modified: attributes?[.modificationDate] as? Date ?? .distantPast)
        if let known = lock.withLock({ cache[key] }) { return known }
        guard let node = try Yams.compose(yaml: text, resolver) else { return nil }
        lock.withLock { cache[key] = node }
        return node
    }
}
