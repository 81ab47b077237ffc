#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Makes the folder (0700) and the empty database file (0600) before SQLite opens it.
/// SQLite then gives the `-wal` and `-shm` files the main file's permissions.
enum FilePreparation {
    static func prepare(path: String) throws(StoreError) {
        guard !path.isEmpty else { throw .cannotCreate(path: path, reason: "the path is empty") }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try makeFolder(folder, for: path) }

        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw .cannotCreate(path: path, reason: "it exists and is not a regular file")
            }
            guard access(path, R_OK | W_OK) == 0 else {
                throw .cannotCreate(path: path, reason: "the file is not writable (\(errnoText()))")
            }
        } else {
            guard errno == ENOENT else { throw .cannotCreate(path: path, reason: errnoText()) }
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno != EEXIST { throw .cannotCreate(path: path, reason: errnoText()) }
                // Another process created it a moment ago: fine.
            } else {
                _ = fchmod(fd, 0o600)  // whatever the umask
                close(fd)
            }
        }
        // SQLite creates path-wal and path-shm beside the file.
        let dir = folder.isEmpty ? "." : folder
        guard access(dir, W_OK | X_OK) == 0 else {
            throw .cannotCreate(path: path, reason: "the folder \(dir) is not writable (\(errnoText()))")
        }
    }

    /// Creates the missing folders of `folder`, each 0700.
    private static func makeFolder(_ folder: String, for path: String) throws(StoreError) {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw .cannotCreate(path: path, reason: "\(folder) is not a folder")
            }
            return
        }
        guard errno == ENOENT else {
            throw .cannotCreate(path: path, reason: "cannot use the folder \(folder) (\(errnoText()))")
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != folder { try makeFolder(parent, for: path) }
        if mkdir(folder, 0o700) != 0 {
            if errno == EEXIST, stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
            throw .cannotCreate(path: path, reason: "cannot create the folder \(folder) (\(errnoText()))")
        }
        _ = chmod(folder, 0o700)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
