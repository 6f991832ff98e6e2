/// What went wrong writing, reading or decoding TFRecord files and `tf.train.Example`s.
///
/// Damage to a file (`truncated`, `corruptLength`, `corruptData`, `impossibleLength`,
/// `corruptCompression`, `undecodableRecord`) names the file, the 0-based index of the
/// record, and the byte offset where that record starts. For compressed files the offset
/// counts bytes of the decompressed stream, which is where TFRecord framing lives.
public enum TFRecordError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// Reading the file failed below the record level (an I/O error, not damage).
    case readFailed(path: String, reason: String)
    /// Writing, flushing, compressing or renaming the file failed.
    case writeFailed(path: String, reason: String)
    /// The file ends inside a record's header, data or footer.
    case truncated(path: String, recordIndex: Int, offset: UInt64)
    /// The masked CRC32C of a record's length field does not match its stored value.
    case corruptLength(path: String, recordIndex: Int, offset: UInt64)
    /// The masked CRC32C of a record's data does not match the footer.
    case corruptData(path: String, recordIndex: Int, offset: UInt64, length: UInt64)
    /// A record's length field checks out but is larger than the reader accepts.
    case impossibleLength(path: String, recordIndex: Int, offset: UInt64, length: UInt64, limit: UInt64)
    /// The GZIP or ZLIB stream around the records cannot be inflated.
    case corruptCompression(path: String, recordIndex: Int, offset: UInt64, reason: String)
    /// A record is intact but is not a `tf.train.Example`.
    case undecodableRecord(path: String, recordIndex: Int, offset: UInt64, reason: String)
    /// Bytes handed to `ExampleCodec.decode` are not a valid `tf.train.Example`;
    /// `byteOffset` is where in those bytes the problem lies.
    case malformedExample(reason: String, byteOffset: Int)
    /// An argument is out of range (a shard count of 0, a record too large to frame, ...).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "Cannot open \(path): \(reason)."
        case let .readFailed(path, reason):
            "Reading \(path) failed: \(reason)."
        case let .writeFailed(path, reason):
            "Writing \(path) failed: \(reason)."
        case let .truncated(path, index, offset):
            "\(path) is truncated: it ends inside record \(index), which starts at byte \(offset)."
        case let .corruptLength(path, index, offset):
            "\(path) is corrupt: the length of record \(index) at byte \(offset) fails its CRC32C check."
        case let .corruptData(path, index, offset, length):
            "\(path) is corrupt: the \(length) data bytes of record \(index) at byte \(offset) fail their CRC32C check."
        case let .impossibleLength(path, index, offset, length, limit):
            "\(path) is corrupt: record \(index) at byte \(offset) claims \(length) bytes, more than the limit of \(limit)."
        case let .corruptCompression(path, index, offset, reason):
            "\(path) is corrupt: its compressed stream fails inside record \(index) at byte \(offset) (\(reason))."
        case let .undecodableRecord(path, index, offset, reason):
            "Record \(index) of \(path) at byte \(offset) is not a tf.train.Example: \(reason)."
        case let .malformedExample(reason, byteOffset):
            "The bytes are not a tf.train.Example: \(reason) at byte \(byteOffset)."
        case let .invalidArgument(reason):
            "Invalid argument: \(reason)."
        }
    }

    /// The file the error is about, when it is about one.
    public var path: String? {
        switch self {
        case let .cannotOpen(path, _), let .readFailed(path, _), let .writeFailed(path, _),
            let .truncated(path, _, _), let .corruptLength(path, _, _), let .corruptData(path, _, _, _),
            let .impossibleLength(path, _, _, _, _), let .corruptCompression(path, _, _, _),
            let .undecodableRecord(path, _, _, _):
            path
        case .malformedExample, .invalidArgument:
            nil
        }
    }

    /// The 0-based index of the damaged record, for damage.
    public var recordIndex: Int? {
        switch self {
        case let .truncated(_, index, _), let .corruptLength(_, index, _), let .corruptData(_, index, _, _),
            let .impossibleLength(_, index, _, _, _), let .corruptCompression(_, index, _, _),
            let .undecodableRecord(_, index, _, _):
            index
        default:
            nil
        }
    }

    /// The byte offset where the damaged record starts, for damage.
    public var offset: UInt64? {
        switch self {
        case let .truncated(_, _, offset), let .corruptLength(_, _, offset), let .corruptData(_, _, offset, _),
            let .impossibleLength(_, _, offset, _, _), let .corruptCompression(_, _, offset, _),
            let .undecodableRecord(_, _, offset, _):
            offset
        default:
            nil
        }
    }

    /// Whether this is damage to a file's content (which `skipCorrupt` skips) rather than
    /// a failure to open, read or write, or a caller's mistake.
    public var isDamage: Bool { recordIndex != nil }

    /// Whether a reader can go on to the next record after this damage. Only a bad data CRC
    /// or an undecodable Example leave the framing intact; after anything else the position
    /// of the next record is unknown.
    public var allowsNextRecord: Bool {
        switch self {
        case .corruptData, .undecodableRecord: true
        default: false
        }
    }
}
