import Foundation

/// The package's folder and the Content bundled with it, for tests that read them.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The bundled Content folder.
    public static var content: String { root.appendingPathComponent("Content").path }
}
