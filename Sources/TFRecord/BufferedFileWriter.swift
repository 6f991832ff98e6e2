#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `TFRecordWriter` sends its framed bytes: straight to a file, or through deflate.
protocol ByteSink: AnyObject {
    /// Appends `bytes` to the output.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes everything and closes the file. Called once.
    func finish() throws
}

/// A file written through one large buffer with plain `write(2)` calls.
///
/// Records are appended in pieces of a few bytes (headers, footers) and a few kilobytes
/// (data); gathering them into one buffer keeps the number of system calls near
/// `bytes / bufferSize`. Writes larger than the buffer go straight to the file.
final class BufferedFileWriter: ByteSink {
    let path: String
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var used = 0

    /// Creates (or truncates) the file at `path`.
    ///
    /// - Throws: `TFRecordError.cannotOpen` when the file cannot be created.
    init(path: String, bufferSize: Int) throws {
        self.path = path
        capacity = max(bufferSize, 4096)
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw TFRecordError.cannotOpen(path: path, reason: errnoDescription()) }
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        buffer.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if used + bytes.count <= capacity {
            (buffer + used).copyMemory(from: source, byteCount: bytes.count)
            used += bytes.count
            return
        }
        try flush()
        if bytes.count >= capacity {
            try writeFully(source, count: bytes.count)
        } else {
            buffer.copyMemory(from: source, byteCount: bytes.count)
            used = bytes.count
        }
    }

    /// Hands the buffered bytes to the kernel.
    func flush() throws {
        guard used > 0 else { return }
        try writeFully(UnsafeRawPointer(buffer), count: used)
        used = 0
    }

    func finish() throws {
        guard descriptor >= 0 else { return }
        defer {
            closeDescriptor(descriptor)
            descriptor = -1
        }
        try flush()
    }

    private func writeFully(_ start: UnsafeRawPointer, count: Int) throws {
        guard descriptor >= 0 else { throw TFRecordError.writeFailed(path: path, reason: "the file is already closed") }
        var offset = 0
        while offset < count {
            let written = systemWrite(descriptor, start + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw TFRecordError.writeFailed(path: path, reason: errnoDescription())
            }
            offset += written
        }
    }
}

/// `write(2)`, named apart from `ByteSink.write` so that the call inside the class is unambiguous.
@inline(__always)
private func systemWrite(_ descriptor: Int32, _ start: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, start, count)
}
