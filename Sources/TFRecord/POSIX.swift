#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of the current `errno`, for error messages.
func errnoDescription() -> String {
    String(cString: strerror(errno))
}

/// Opens `path` read-only, or throws `cannotOpen` naming it.
func openForReading(_ path: String) throws -> Int32 {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw TFRecordError.cannotOpen(path: path, reason: errnoDescription()) }
    return descriptor
}

/// Reads up to `count` bytes into `buffer`, retrying on EINTR; 0 means end of file.
func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int, path: String) throws -> Int {
    while true {
        let got = read(descriptor, buffer, count)
        if got >= 0 { return got }
        if errno != EINTR { throw TFRecordError.readFailed(path: path, reason: errnoDescription()) }
    }
}

/// Renames `from` to `to` atomically (same file system), or throws `writeFailed` naming `to`.
func renameFile(_ from: String, to: String) throws {
    guard rename(from, to) == 0 else {
        throw TFRecordError.writeFailed(path: to, reason: "cannot rename \(from) into place: \(errnoDescription())")
    }
}

/// Removes a file if it exists, ignoring failure (used to clean up partial files).
func removeFileQuietly(_ path: String) {
    unlink(path)
}

/// `close(2)`, callable from types that have a `close()` method of their own.
func closeDescriptor(_ descriptor: Int32) {
    close(descriptor)
}
