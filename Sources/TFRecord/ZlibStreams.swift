import CZlib

/// Deflates everything written to it into a file, with a gzip or zlib wrapper.
///
/// The parameters are TensorFlow's (`ZlibCompressionOptions` in
/// `tsl/lib/io/zlib_compression_options.h`): default level, `Z_DEFLATED`, a 15-bit window,
/// memory level 9, default strategy, and no flushing until the end, so the output is what
/// `ZlibOutputBuffer` produces with the same zlib.
final class DeflateSink: ByteSink {
    private let file: BufferedFileWriter
    // zlib keeps a pointer back to its z_stream and checks it: the stream must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    private let outputCapacity = 256 << 10
    private var open = true

    /// Starts a deflate stream writing into `file`.
    ///
    /// - Throws: `TFRecordError.writeFailed` if zlib cannot start.
    init(file: BufferedFileWriter, compression: TFRecordCompression) throws {
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(capacity: outputCapacity)
        let status = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, compression.windowBits, 9, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            open = false
            throw TFRecordError.writeFailed(path: file.path, reason: "deflateInit2 returned \(status)")
        }
        stream.pointee.next_out = output
        stream.pointee.avail_out = UInt32(outputCapacity)
    }

    deinit {
        if open { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        var next = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        // avail_in is 32 bits wide: hand over at most 1 GiB at a time.
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            stream.pointee.next_in = next
            stream.pointee.avail_in = UInt32(chunk)
            while stream.pointee.avail_in > 0 {
                try deflateStep(Z_NO_FLUSH)
            }
            next += chunk
            remaining -= chunk
        }
    }

    func finish() throws {
        guard open else { return }
        while try deflateStep(Z_FINISH) != Z_STREAM_END {}
        try drainOutput()
        deflateEnd(stream)
        open = false
        try file.finish()
    }

    /// One call to `deflate`, emptying the output buffer first whenever it is full.
    @discardableResult
    private func deflateStep(_ flush: Int32) throws -> Int32 {
        if stream.pointee.avail_out == 0 { try drainOutput() }
        let status = deflate(stream, flush)
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw TFRecordError.writeFailed(path: file.path, reason: "deflate returned \(status)")
        }
        return status
    }

    private func drainOutput() throws {
        let produced = outputCapacity - Int(stream.pointee.avail_out)
        if produced > 0 {
            try file.write(UnsafeRawBufferPointer(start: output, count: produced))
        }
        stream.pointee.next_out = output
        stream.pointee.avail_out = UInt32(outputCapacity)
    }
}

/// Inflates a gzip or zlib file incrementally and hands out the decompressed bytes in
/// contiguous runs of the length asked for.
///
/// Memory is one input buffer plus a window that grows to the largest record read, and
/// only as decompressed bytes actually arrive, so a damaged length field cannot make it
/// allocate more than the stream really holds. A gzip file made of several members (as
/// `cat a.gz b.gz` gives) is read through to the end, as `gzip -d` does.
final class InflateSource: RecordByteSource {
    private let path: String
    private var descriptor: Int32
    private let compression: TFRecordCompression
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 256 << 10
    private var inputExhausted = false
    private var window: UnsafeMutableRawPointer
    private var windowCapacity: Int
    private var start = 0
    private var end = 0
    private var consumed: UInt64 = 0
    private var streamEnded = false
    private var inflating = false

    /// Opens `path` and starts inflating it.
    ///
    /// - Throws: `TFRecordError.cannotOpen`, or `.readFailed` if zlib cannot start.
    init(path: String, compression: TFRecordCompression) throws {
        self.path = path
        self.compression = compression
        descriptor = try openForReading(path)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: inputCapacity)
        windowCapacity = 256 << 10
        window = .allocate(byteCount: windowCapacity, alignment: 16)
        let status = inflateInit2_(stream, compression.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw TFRecordError.readFailed(path: path, reason: "inflateInit2 returned \(status)")
        }
        inflating = true
    }

    deinit {
        close()
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        window.deallocate()
    }

    var position: UInt64 { consumed }

    func read(_ count: Int) throws -> UnsafeRawBufferPointer {
        while end - start < count, try inflateMore(wanting: count) {}
        let available = min(count, end - start)
        let bytes = UnsafeRawBufferPointer(start: window + start, count: available)
        start += available
        consumed += UInt64(available)
        return bytes
    }

    func close() {
        if inflating {
            inflateEnd(stream)
            inflating = false
        }
        if descriptor >= 0 {
            closeDescriptor(descriptor)
            descriptor = -1
        }
    }

    /// Inflates at least one more byte into the window; `false` at the stream's clean end.
    private func inflateMore(wanting count: Int) throws -> Bool {
        makeRoom(for: count)
        while true {
            if streamEnded {
                // gzip allows several members back to back; zlib ends at its trailer.
                guard compression == .gzip, try refillInput() else { return false }
                inflateReset(stream)
                streamEnded = false
            }
            if stream.pointee.avail_in == 0, !(try refillInput()) {
                throw RecordSourceFailure(reason: "the compressed stream ends before its end marker")
            }
            let spaceBefore = windowCapacity - end
            stream.pointee.next_out = (window + end).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(spaceBefore, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            end += spaceBefore - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                streamEnded = true
            case Z_MEM_ERROR:
                throw TFRecordError.readFailed(path: path, reason: "zlib ran out of memory")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate returned \(status)"
                throw RecordSourceFailure(reason: message)
            }
            if end - start >= count || end == windowCapacity { return true }
            if streamEnded, end > start { return true }
        }
    }

    /// Moves unread bytes to the front of the window and grows it so that `count` fit,
    /// doubling at most, so growth follows the data that actually arrives.
    private func makeRoom(for count: Int) {
        if start > 0 {
            let unread = end - start
            if unread > 0 { window.copyMemory(from: window + start, byteCount: unread) }
            start = 0
            end = unread
        }
        if end == windowCapacity || count > windowCapacity {
            let wanted = min(max(count, windowCapacity), windowCapacity * 2)
            guard wanted > windowCapacity else { return }
            let larger = UnsafeMutableRawPointer.allocate(byteCount: wanted, alignment: 16)
            larger.copyMemory(from: window, byteCount: end)
            window.deallocate()
            window = larger
            windowCapacity = wanted
        }
    }

    /// Reads the next chunk of compressed bytes if zlib has used the last; `false` at end of file.
    private func refillInput() throws -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        guard !inputExhausted else { return false }
        let got = try readSome(descriptor, into: input, count: inputCapacity, path: path)
        guard got > 0 else {
            inputExhausted = true
            return false
        }
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(got)
        return true
    }
}
