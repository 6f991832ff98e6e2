/// Reads a TensorFlow checkpoint, a "tensor bundle": `<prefix>.index` (a sorted table of
/// tensor name → `TensorBundleEntry`) and `<prefix>.data-NNNNN-of-NNNNN` (the tensors'
/// bytes), natively, without TensorFlow.
///
/// The index is parsed completely when the reader is made (every block CRC checked), the
/// data shards are memory-mapped, and each tensor's masked CRC32C is checked when it is
/// read. Reads both TF1 `tf.train.Saver` checkpoints (musicnn, TF-slim) and TF2 object
/// checkpoints (`…/.ATTRIBUTES/VARIABLE_VALUE` keys); partitioned variables, big-endian
/// bundles and Snappy-compressed index blocks (TensorFlow 1.0/1.1) are reported as unsupported.
///
/// Reference: `tensorflow/core/util/tensor_bundle/tensor_bundle.{h,cc}` (`BundleReader`).
///
///     let reader = try TensorBundleReader(prefix: "models/musicnn/MSD_musicnn/")
///     let kernel = try reader.floats("dense/kernel", shape: [1506, 200])
public final class TensorBundleReader: @unchecked Sendable {
    /// The checkpoint prefix: the path without `.index`. musicnn's is a directory ending in
    /// `/`, its files being the dotfiles `.index` and `.data-00000-of-00001`.
    public let prefix: String
    /// The path of the `.index` file, for messages.
    public let indexPath: String
    /// The header entry.
    public let header: TensorBundleHeader
    /// Every tensor's entry by name (the header's empty key excluded).
    public let entries: [String: TensorBundleEntry]
    /// The tensor names in the index's (bytewise) order.
    public let names: [String]
    private let shards: [MappedFile]

    /// Opens the checkpoint at `prefix`.
    ///
    /// `prefix` is what TensorFlow calls the checkpoint path (`model.ckpt-1000`, or
    /// `dir/` for musicnn). For convenience a path ending in `.index`, or a directory that
    /// holds `.index` given without its trailing slash, is accepted too.
    /// - Throws: `TensorBundleError` naming the file (and the tensor) when the index is
    ///   damaged, a data shard is missing, or the bundle uses a feature not supported.
    public init(prefix: String) throws(TensorBundleError) {
        var prefix = prefix
        if prefix.hasSuffix(".index") { prefix.removeLast(".index".count) }
        if !fileExists(prefix + ".index"), !prefix.hasSuffix("/"), isDirectory(prefix), fileExists(prefix + "/.index") {
            prefix += "/"
        }
        self.prefix = prefix
        let indexPath = prefix + ".index"
        self.indexPath = indexPath
        let index = try MappedFile(path: indexPath)

        let pairs: [(key: [UInt8], value: ArraySlice<UInt8>)]
        do {
            pairs = try TableReader.entries(of: index.bytes)
        } catch {
            if error.unsupported { throw .unsupported(path: indexPath, tensor: error.key, feature: error.reason) }
            throw .corruptIndex(path: indexPath, tensor: error.key, reason: error.reason)
        }
        guard let first = pairs.first, first.key.isEmpty else {
            throw .corruptIndex(path: indexPath, tensor: nil, reason: "the header entry (empty key) is missing")
        }
        let header: TensorBundleHeader
        do { header = try TensorBundleHeader.decode(first.value) } catch {
            throw .corruptIndex(path: indexPath, tensor: nil, reason: "the header entry is malformed: \(error.reason)")
        }
        guard header.shardCount >= 1 else {
            throw .corruptIndex(path: indexPath, tensor: nil, reason: "the header claims \(header.shardCount) data shards")
        }
        guard !header.isBigEndian else {
            throw .unsupported(path: indexPath, tensor: nil, feature: "big-endian tensor data")
        }
        self.header = header

        var entries: [String: TensorBundleEntry] = [:]
        var names: [String] = []
        for (key, value) in pairs.dropFirst() {
            let name = String(decoding: key, as: UTF8.self)
            let entry: TensorBundleEntry
            do { entry = try TensorBundleEntry.decode(value) } catch {
                throw .corruptIndex(path: indexPath, tensor: name, reason: error.reason)
            }
            guard entry.shardID < header.shardCount else {
                throw .corruptIndex(path: indexPath, tensor: name,
                                    reason: "shard \(entry.shardID) of a bundle with \(header.shardCount) shards")
            }
            if let width = entry.dtype.byteWidth, entry.sliceCount == 0, entry.elementCount * width != entry.size {
                throw .corruptIndex(path: indexPath, tensor: name, reason: "shape \(entry.shape) of \(entry.dtype) "
                                    + "needs \(entry.elementCount * width) bytes but the entry says \(entry.size)")
            }
            entries[name] = entry
            names.append(name)
        }
        self.entries = entries
        self.names = names

        var shards: [MappedFile] = []
        for shard in 0..<header.shardCount {
            let path = Self.dataPath(prefix: prefix, shard: shard, of: header.shardCount)
            let needing = names.first { entries[$0]!.shardID == shard }
            shards.append(try MappedFile(path: path, missing: { .missingShard(path: path, tensor: needing) }))
        }
        self.shards = shards
    }

    /// `<prefix>.data-%05d-of-%05d`, the name TensorFlow gives shard `shard` of `count`.
    public static func dataPath(prefix: String, shard: Int, of count: Int) -> String {
        func padded(_ number: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }
        return "\(prefix).data-\(padded(shard))-of-\(padded(count))"
    }

    /// The shape of tensor `name`, or nil when there is none.
    public func shape(_ name: String) -> [Int]? {
        entries[name]?.shape
    }

    /// The path of the data shard holding tensor `name`.
    public func dataPath(of name: String) -> String? {
        entries[name].map { Self.dataPath(prefix: prefix, shard: $0.shardID, of: header.shardCount) }
    }

    /// Calls `body` with the raw bytes of tensor `name`, after checking they lie inside the
    /// shard and match the entry's CRC32C.
    public func withBytes<Result>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        let (entry, bytes) = try checkedBytes(name)
        _ = entry
        return try body(bytes)
    }

    /// Checks every tensor's bytes against its CRC32C; returns how many were checked.
    @discardableResult
    public func verifyAll() throws(TensorBundleError) -> Int {
        for name in names { _ = try checkedBytes(name) }
        return names.count
    }

    /// The values of tensor `name` as `Float`, row-major in TensorFlow's layout.
    ///
    /// float32 is copied; float16, bfloat16, float64 and integer types are converted.
    /// - Throws: `missingTensor`, `truncatedData`, `corruptTensor`, or `unsupportedDataType`
    ///   for strings and other non-numeric types; each names the tensor and the file.
    public func floats(_ name: String) throws(TensorBundleError) -> [Float] {
        let (entry, bytes) = try checkedBytes(name)
        let count = entry.elementCount
        switch entry.dtype {
        case .float:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                initialized = count
            }
        case .half: return convert(bytes, count, UInt16.self) { Float(Float16(bitPattern: $0)) }
        case .bfloat16: return convert(bytes, count, UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
        case .double: return convert(bytes, count, UInt64.self) { Float(Double(bitPattern: $0)) }
        case .int32: return convert(bytes, count, Int32.self) { Float($0) }
        case .int64: return convert(bytes, count, Int64.self) { Float($0) }
        case .uint32: return convert(bytes, count, UInt32.self) { Float($0) }
        case .uint64: return convert(bytes, count, UInt64.self) { Float($0) }
        case .int16: return convert(bytes, count, Int16.self) { Float($0) }
        case .uint16: return convert(bytes, count, UInt16.self) { Float($0) }
        case .int8: return convert(bytes, count, Int8.self) { Float($0) }
        case .uint8, .bool: return convert(bytes, count, UInt8.self) { Float($0) }
        case .string, .other:
            throw .unsupportedDataType(path: dataPath(of: name) ?? indexPath, tensor: name, dataType: entry.dtype.description)
        }
    }

    /// The values of tensor `name` as `Float`, after checking its shape is `shape`.
    /// - Throws: `shapeMismatch` naming the tensor, the file and both shapes; else as `floats(_:)`.
    public func floats(_ name: String, shape: [Int]) throws(TensorBundleError) -> [Float] {
        guard let entry = entries[name] else { throw .missingTensor(path: indexPath, tensor: name) }
        guard entry.shape == shape else {
            throw .shapeMismatch(path: indexPath, tensor: name, expected: shape, actual: entry.shape)
        }
        return try floats(name)
    }

    private func convert<Element: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, _ count: Int, _: Element.Type, _ transform: (Element) -> Float
    ) -> [Float] {
        (0..<count).map { transform(Element(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Element>.size, as: Element.self))) }
    }

    private func checkedBytes(_ name: String) throws(TensorBundleError) -> (TensorBundleEntry, UnsafeRawBufferPointer) {
        guard let entry = entries[name] else { throw .missingTensor(path: indexPath, tensor: name) }
        guard entry.sliceCount == 0 else {
            throw .unsupported(path: indexPath, tensor: name, feature: "a partitioned variable (\(entry.sliceCount) slices)")
        }
        let shard = shards[entry.shardID]
        guard entry.offset <= shard.bytes.count, entry.size <= shard.bytes.count - entry.offset else {
            throw .truncatedData(path: shard.path, tensor: name, offset: entry.offset, size: entry.size,
                                 fileSize: shard.bytes.count)
        }
        let bytes = entry.size == 0
            ? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(rebasing: shard.bytes[entry.offset..<(entry.offset + entry.size)])
        let actual = entry.dtype == .string
            ? Self.stringTensorCRC(bytes, count: entry.elementCount) : MaskedCRC32C.masked(bytes)
        guard actual == entry.crc32c else {
            throw .corruptTensor(path: shard.path, tensor: name, expected: entry.crc32c, actual: actual)
        }
        return (entry, bytes)
    }

    /// The masked checksum TensorFlow stores for a string tensor (`WriteStringTensor` in
    /// `tensor_bundle.cc`), whose bytes are N varint64 lengths, a 4-byte masked CRC32C of the
    /// lengths, then the strings: the CRC runs over each length as a little-endian uint32
    /// (uint64 when it does not fit), the 4 checksum bytes, then the string bytes. Returns a
    /// value that cannot match (the complement of nothing sensible) when the bytes are malformed.
    private static func stringTensorCRC(_ bytes: UnsafeRawBufferPointer, count: Int) -> UInt32 {
        var crc: UInt32 = 0
        var position = 0
        for _ in 0..<count {
            guard let length = readVarint(bytes, &position, end: bytes.count) else { return 0 }
            if length <= UInt64(UInt32.max) {
                withUnsafeBytes(of: UInt32(length).littleEndian) { crc = MaskedCRC32C.checksum($0, extending: crc) }
            } else {
                withUnsafeBytes(of: length.littleEndian) { crc = MaskedCRC32C.checksum($0, extending: crc) }
            }
        }
        guard position + 4 <= bytes.count else { return 0 }
        crc = MaskedCRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[position...]), extending: crc)
        return MaskedCRC32C.mask(crc)
    }
}
