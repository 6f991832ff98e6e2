/// Reads the records of one TFRecord file in order, checking both CRCs of each.
///
/// Works record by record: an uncompressed file is mapped and records are handed out
/// without copying; a compressed one is inflated incrementally, holding at most one input
/// chunk and the largest record in memory.
///
/// Damage is reported as a `TFRecordError` naming the file, the 0-based record index and
/// the byte offset where the record starts. With `Options.skipCorrupt` damaged records are
/// skipped and collected in `skipped`, as `tf.data.TFRecordDataset(...).ignore_errors()`
/// would drop them: after a bad data CRC the length was sound, so reading goes on with the
/// next record; after a bad length CRC, an impossible length or a truncation the position
/// of the next record is unknown, so the reader stops at that file's damage.
///
/// References: `tensorflow/core/lib/io/record_reader.cc` (`RecordReader::ReadRecord`,
/// `ReadChecksummed`), `record_writer.cc` for the layout. Not thread-safe: one reader per thread.
public final class TFRecordReader {
    /// How to read a file.
    public struct Options: Sendable {
        /// The file's compression; TensorFlow cannot detect it either.
        public var compression: TFRecordCompression
        /// Skip and count damaged records instead of throwing.
        public var skipCorrupt: Bool
        /// The largest record length accepted; a larger length field whose CRC checks out is
        /// reported as `impossibleLength`. 2 GiB by default, protobuf's own message limit.
        public var maximumRecordLength: UInt64

        /// Reading options; by default uncompressed, throwing on damage, records up to 2 GiB.
        public init(
            compression: TFRecordCompression = .uncompressed, skipCorrupt: Bool = false,
            maximumRecordLength: UInt64 = 1 << 31
        ) {
            self.compression = compression
            self.skipCorrupt = skipCorrupt
            self.maximumRecordLength = min(maximumRecordLength, UInt64(Int.max / 2))
        }
    }

    /// The file being read.
    public let path: String
    /// How it is read.
    public let options: Options
    /// Records returned so far.
    public private(set) var recordsRead = 0
    /// The damage skipped so far (only with `skipCorrupt`), in file order.
    public private(set) var skipped: [TFRecordError] = []
    /// The index the next record will have: records returned plus records skipped.
    public private(set) var nextRecordIndex = 0

    private let source: RecordByteSource
    private var finished = false

    /// Opens `path` for reading.
    ///
    /// - Throws: `TFRecordError.cannotOpen` or `.readFailed`.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        switch options.compression {
        case .uncompressed: source = try MappedFileSource(path: path)
        case .gzip, .zlib: source = try InflateSource(path: path, compression: options.compression)
        }
    }

    deinit { source.close() }

    /// Reads the next record and passes its bytes to `body` without copying them.
    ///
    /// - Parameter body: Called with the record's data; the bytes are valid only inside it.
    /// - Returns: What `body` returns, or `nil` after the last record.
    /// - Throws: The damage found (unless `skipCorrupt`), or what `body` throws.
    public func nextRecord<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result? {
        try nextLocatedRecord { bytes, _, _ in try body(bytes) }
    }

    /// Reads the next record into a new array; `nil` after the last record.
    public func next() throws -> [UInt8]? {
        try nextRecord { Array($0) }
    }

    /// Reads and decodes the next record as a `tf.train.Example`; `nil` after the last one.
    ///
    /// - Throws: Damage as `nextRecord(_:)` does, and `TFRecordError.undecodableRecord` for
    ///   an intact record that is not an Example (skipped like damage with `skipCorrupt`).
    public func nextExample() throws -> Example? {
        while true {
            let decoded: Swift.Result<Example, TFRecordError>? = try nextLocatedRecord { bytes, index, offset in
                do {
                    return .success(try ExampleCodec.decode(bytes))
                } catch let TFRecordError.malformedExample(reason, byteOffset) {
                    return .failure(
                        .undecodableRecord(
                            path: path, recordIndex: index, offset: offset,
                            reason: "\(reason) at byte \(byteOffset) of the record"))
                }
            }
            switch decoded {
            case nil:
                return nil
            case let .success(example)?:
                return example
            case let .failure(error)?:
                recordsRead -= 1
                try damage(error)
            }
        }
    }

    /// Reads every remaining record; convenient for small files.
    public func readAll() throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// Stops reading and releases the file; later calls return `nil`.
    public func close() {
        finished = true
        source.close()
    }

    /// The core loop: one record, its index and its start offset, or `nil` at the end.
    func nextLocatedRecord<Result>(_ body: (UnsafeRawBufferPointer, Int, UInt64) throws -> Result) throws
        -> Result?
    {
        while !finished {
            let index = nextRecordIndex
            let offset = source.position
            do {
                let header = try source.read(12)
                if header.isEmpty {
                    finished = true
                    return nil
                }
                guard header.count == 12 else {
                    try damage(.truncated(path: path, recordIndex: index, offset: offset))
                    continue
                }
                let length = UInt64(littleEndian: header.loadUnaligned(as: UInt64.self))
                let storedLengthCRC = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
                guard CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: header[0..<8])) == storedLengthCRC else {
                    try damage(.corruptLength(path: path, recordIndex: index, offset: offset))
                    continue
                }
                guard length <= options.maximumRecordLength else {
                    try damage(
                        .impossibleLength(
                            path: path, recordIndex: index, offset: offset, length: length,
                            limit: options.maximumRecordLength))
                    continue
                }
                let dataLength = Int(length)
                let dataAndFooter = try source.read(dataLength + 4)
                guard dataAndFooter.count == dataLength + 4 else {
                    try damage(.truncated(path: path, recordIndex: index, offset: offset))
                    continue
                }
                let data = UnsafeRawBufferPointer(rebasing: dataAndFooter[0..<dataLength])
                let storedDataCRC = UInt32(
                    littleEndian: dataAndFooter.loadUnaligned(fromByteOffset: dataLength, as: UInt32.self))
                guard CRC32C.maskedChecksum(data) == storedDataCRC else {
                    try damage(.corruptData(path: path, recordIndex: index, offset: offset, length: length))
                    continue
                }
                nextRecordIndex += 1
                recordsRead += 1
                return try body(data, index, offset)
            } catch let failure as RecordSourceFailure {
                try damage(.corruptCompression(path: path, recordIndex: index, offset: offset, reason: failure.reason))
            }
        }
        return nil
    }

    /// Records damage at the current record: throws it, or with `skipCorrupt` counts it.
    /// Either way the record is passed over, and damage after which the next record cannot
    /// be found ends the file.
    private func damage(_ error: TFRecordError) throws {
        if error.recordIndex == nextRecordIndex { nextRecordIndex += 1 }
        if !error.allowsNextRecord {
            finished = true
            source.close()
        }
        guard options.skipCorrupt else { throw error }
        skipped.append(error)
    }
}
