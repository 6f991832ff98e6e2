#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes a `TFRecordReader` parses: a mapped file, or an inflating stream.
protocol RecordByteSource: AnyObject {
    /// Consumes and returns the next `count` bytes, or fewer only where the stream ends.
    /// The bytes stay valid until the next call.
    ///
    /// - Throws: `RecordSourceFailure` for a broken compressed stream, `TFRecordError` for I/O.
    func read(_ count: Int) throws -> UnsafeRawBufferPointer
    /// Bytes consumed so far (of the decompressed stream, for compressed files).
    var position: UInt64 { get }
    /// Releases the file; later reads return nothing.
    func close()
}

/// A compressed stream that cannot be inflated; the reader adds the record's location.
struct RecordSourceFailure: Error {
    let reason: String
}

/// An uncompressed file read through `mmap`: records are handed out without copying, and
/// the kernel pages the file in and out, so memory stays bounded whatever the file's size.
final class MappedFileSource: RecordByteSource {
    private var base: UnsafeMutableRawPointer?
    private let size: Int
    private var cursor = 0

    /// Maps the whole file at `path`.
    ///
    /// - Throws: `TFRecordError.cannotOpen` or `.readFailed`.
    init(path: String) throws {
        let descriptor = try openForReading(path)
        defer { closeDescriptor(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw TFRecordError.readFailed(path: path, reason: errnoDescription())
        }
        size = Int(status.st_size)
        guard size > 0 else {
            base = nil
            return
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw TFRecordError.readFailed(path: path, reason: "mmap: \(errnoDescription())")
        }
        // Records are read front to back once: let the kernel read ahead aggressively.
        madvise(mapped, size, MADV_SEQUENTIAL)
        base = mapped
    }

    deinit { close() }

    var position: UInt64 { UInt64(cursor) }

    func read(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let available = min(count, size - cursor)
        let bytes = UnsafeRawBufferPointer(start: base + cursor, count: available)
        cursor += available
        return bytes
    }

    func close() {
        if let base { munmap(base, size) }
        base = nil
    }
}
