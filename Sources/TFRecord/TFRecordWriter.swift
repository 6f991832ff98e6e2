#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes records to one TFRecord file, framed as TensorFlow's `RecordWriter` frames them.
///
/// Each record is
///
///     uint64 length                      little-endian
///     uint32 masked CRC32C of the 8 length bytes
///     byte   data[length]
///     uint32 masked CRC32C of data
///
/// (`tensorflow/core/lib/io/record_writer.cc`, `RecordWriter::WriteRecord`). With GZIP or
/// ZLIB compression the same byte stream goes through deflate, as `ZlibOutputBuffer` does.
///
/// Writes go through one large buffer; an Example is encoded into a reused scratch buffer
/// between its header and footer and handed over in one piece, so writing allocates nothing
/// per record. Not thread-safe: use one writer per thread.
public final class TFRecordWriter {
    /// The file's final path.
    public let path: String
    /// The compression of the whole file.
    public let compression: TFRecordCompression
    /// Records written so far.
    public private(set) var recordsWritten = 0
    /// Bytes of framed records written so far, before compression.
    public private(set) var bytesWritten: UInt64 = 0

    private let temporaryPath: String?
    private var sink: ByteSink?
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int

    /// The 12-byte header plus the 4-byte footer around each record.
    static let framingSize = 16

    /// Creates (or replaces) the file at `path`.
    ///
    /// - Parameters:
    ///   - path: Where the file goes.
    ///   - compression: Compression of the whole stream; none by default.
    ///   - atomically: Write to a hidden temporary file beside `path` and rename it into
    ///     place in `close()`, so `path` never holds a partial file. A writer that is
    ///     discarded (or deinitialized) without `close()` removes its temporary file.
    ///   - bufferSize: Bytes gathered before each `write(2)`.
    /// - Throws: `TFRecordError.cannotOpen` or `.writeFailed`.
    public init(
        path: String, compression: TFRecordCompression = .uncompressed, atomically: Bool = false,
        bufferSize: Int = 1 << 20
    ) throws {
        self.path = path
        self.compression = compression
        let target: String
        if atomically {
            target = Self.temporaryPath(for: path)
            temporaryPath = target
        } else {
            target = path
            temporaryPath = nil
        }
        let file = try BufferedFileWriter(path: target, bufferSize: bufferSize)
        sink = compression == .uncompressed ? file : try DeflateSink(file: file, compression: compression)
        scratchCapacity = 64 << 10
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
    }

    deinit {
        if sink != nil { discard() }
        scratch.deallocate()
    }

    /// Appends one record.
    ///
    /// - Throws: `TFRecordError.writeFailed` if the file cannot be written or is closed.
    public func write(_ record: UnsafeRawBufferPointer) throws {
        let sink = try openSink()
        var header = RecordHeader(length: record.count)
        var footer = CRC32C.mask(CRC32C.checksum(record)).littleEndian
        try withUnsafeBytes(of: &header.bytes) { try sink.write($0) }
        try sink.write(record)
        try withUnsafeBytes(of: &footer) { try sink.write($0) }
        recordsWritten += 1
        bytesWritten += UInt64(record.count + Self.framingSize)
    }

    /// Appends one record.
    public func write(_ record: [UInt8]) throws {
        try record.withUnsafeBytes { try write($0) }
    }

    /// Encodes `example` with `ExampleCodec` and appends it as one record.
    public func write(_ example: Example) throws {
        let sink = try openSink()
        let plan = EncodingPlan(example)
        let length = plan.totalSize
        let total = length + Self.framingSize
        if total > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(total, scratchCapacity * 2)
            scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        }
        // Header, data and footer side by side, so the sink copies them in one go.
        let data = scratch + 12
        plan.write(into: data)
        let header = RecordHeader(length: length)
        withUnsafeBytes(of: header.bytes) { scratch.copyMemory(from: $0.baseAddress!, byteCount: 12) }
        let crc = CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(start: data, count: length)))
        (data + length).storeBytes(of: crc.littleEndian, as: UInt32.self)
        try sink.write(UnsafeRawBufferPointer(start: scratch, count: total))
        recordsWritten += 1
        bytesWritten += UInt64(total)
    }

    /// Flushes everything, finishes the compressed stream, closes the file and, for an
    /// atomic writer, renames it into place. Calling it again does nothing.
    ///
    /// - Throws: `TFRecordError.writeFailed`; an atomic writer then removes its temporary file.
    public func close() throws {
        guard let sink else { return }
        self.sink = nil
        do {
            try sink.finish()
            if let temporaryPath { try renameFile(temporaryPath, to: path) }
        } catch {
            if let temporaryPath { removeFileQuietly(temporaryPath) }
            throw error
        }
    }

    /// Abandons the file, ignoring errors: an atomic writer removes its temporary file so
    /// nothing appears at `path`; a plain writer leaves the records written so far.
    public func discard() {
        guard let sink else { return }
        self.sink = nil
        try? sink.finish()
        if let temporaryPath { removeFileQuietly(temporaryPath) }
    }

    private func openSink() throws -> ByteSink {
        guard let sink else { throw TFRecordError.writeFailed(path: path, reason: "the writer is already closed") }
        return sink
    }

    /// A hidden name beside `path`, unique to this process and writer.
    private static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
    }
}

/// The 12 bytes in front of a record: its length and the masked CRC32C of that length.
struct RecordHeader {
    var bytes: (UInt64, UInt32)

    init(length: Int) {
        let lengthLE = UInt64(length).littleEndian
        let crc = withUnsafeBytes(of: lengthLE) { CRC32C.mask(CRC32C.checksum($0)) }
        bytes = (lengthLE, crc.littleEndian)
    }
}
