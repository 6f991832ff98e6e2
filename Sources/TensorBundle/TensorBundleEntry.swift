/// Where and what one tensor of a bundle is: TensorFlow's `BundleEntryProto`
/// (`tensorflow/core/protobuf/tensor_bundle.proto`), the value stored in the `.index`
/// table under the tensor's name.
///
///     message BundleEntryProto {
///       DataType dtype = 1; TensorShapeProto shape = 2; int32 shard_id = 3;
///       int64 offset = 4; int64 size = 5; fixed32 crc32c = 6;
///       repeated TensorSliceProto slices = 7;
///     }
public struct TensorBundleEntry: Equatable, Sendable {
    /// The element type.
    public var dtype: TensorDataType
    /// The extent of each axis, outermost first; `[]` for a scalar. Layouts are TensorFlow's:
    /// conv kernels `[kh, kw, in, out]`, dense kernels `[in, out]`, row-major.
    public var shape: [Int]
    /// Which `.data-NNNNN-of-NNNNN` shard holds the bytes.
    public var shardID: Int
    /// The byte offset of the tensor in its shard.
    public var offset: Int
    /// The number of bytes, `elementCount × dtype.byteWidth` for numeric types.
    public var size: Int
    /// The masked CRC32C of the `size` bytes (`crc32c::Mask` of the plain CRC).
    public var crc32c: UInt32
    /// The number of slices of a partitioned variable; 0 for an ordinary tensor.
    public var sliceCount: Int

    /// An entry from its fields.
    public init(dtype: TensorDataType, shape: [Int], shardID: Int = 0, offset: Int, size: Int, crc32c: UInt32,
                sliceCount: Int = 0) {
        self.dtype = dtype
        self.shape = shape
        self.shardID = shardID
        self.offset = offset
        self.size = size
        self.crc32c = crc32c
        self.sliceCount = sliceCount
    }

    /// The number of elements, the product of the shape (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Decodes a serialized `BundleEntryProto`.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(MalformedMessage) -> TensorBundleEntry {
        var entry = TensorBundleEntry(dtype: .other(0), shape: [], offset: 0, size: 0, crc32c: 0)
        for (number, value) in try decodeFields(bytes) {
            switch (number, value) {
            case let (1, .varint(dtype)): entry.dtype = TensorDataType(rawValue: Int(truncatingIfNeeded: dtype))
            case let (2, .bytes(shape)): entry.shape = try decodeShape(shape)
            case let (3, .varint(shard)): entry.shardID = Int(truncatingIfNeeded: shard)
            case let (4, .varint(offset)): entry.offset = Int(truncatingIfNeeded: offset)
            case let (5, .varint(size)): entry.size = Int(truncatingIfNeeded: size)
            case let (6, .fixed32(crc)): entry.crc32c = crc
            case (7, .bytes): entry.sliceCount += 1
            case (1...7, _): throw MalformedMessage(reason: "field \(number) has the wrong wire type")
            default: break  // unknown fields are skipped, as protobuf does
            }
        }
        guard entry.offset >= 0, entry.size >= 0, entry.shardID >= 0 else {
            throw MalformedMessage(reason: "negative shard, offset or size")
        }
        return entry
    }

    /// Decodes a `TensorShapeProto { repeated Dim dim = 2; bool unknown_rank = 3; }`,
    /// `Dim { int64 size = 1; string name = 2; }`.
    private static func decodeShape(_ bytes: ArraySlice<UInt8>) throws(MalformedMessage) -> [Int] {
        var shape: [Int] = []
        for (number, value) in try decodeFields(bytes) {
            switch (number, value) {
            case let (2, .bytes(dim)):
                var size = 0
                for (dimNumber, dimValue) in try decodeFields(dim) {
                    if dimNumber == 1, case let .varint(raw) = dimValue { size = Int(Int64(bitPattern: raw)) }
                }
                guard size >= 0 else { throw MalformedMessage(reason: "a dimension of unknown size (\(size))") }
                shape.append(size)
            case let (3, .varint(unknown)) where unknown != 0:
                throw MalformedMessage(reason: "a shape of unknown rank")
            default: break
            }
        }
        return shape
    }

    /// Serializes as TensorFlow does: fields in number order, proto3 defaults omitted, the
    /// shape always present (an empty message for a scalar).
    func encoded() -> [UInt8] {
        var shapeMessage = MessageWriter()
        for size in shape {
            var dim = MessageWriter()
            dim.signed(1, size)
            shapeMessage.message(2, dim.bytes)
        }
        var writer = MessageWriter()
        writer.varint(1, UInt64(dtype.rawValue))
        writer.message(2, shapeMessage.bytes)
        writer.signed(3, shardID)
        writer.signed(4, offset)
        writer.signed(5, size)
        writer.fixed32(6, crc32c)
        return writer.bytes
    }
}

/// The bundle's header, TensorFlow's `BundleHeaderProto`, stored under the empty key.
///
///     message BundleHeaderProto { int32 num_shards = 1; Endianness endianness = 2; VersionDef version = 3; }
public struct TensorBundleHeader: Equatable, Sendable {
    /// How many `.data-*` shards the bundle has.
    public var shardCount: Int
    /// Whether tensor bytes are big-endian (`BIG = 1`); TensorFlow writes the host's order.
    public var isBigEndian: Bool
    /// `VersionDef.producer`, `kTensorBundleVersion` = 1 for every TensorFlow since 1.0.
    public var producer: Int
    /// `VersionDef.min_consumer`.
    public var minConsumer: Int

    /// A header from its fields; the defaults are what TensorFlow writes on little-endian hosts.
    public init(shardCount: Int = 1, isBigEndian: Bool = false, producer: Int = 1, minConsumer: Int = 0) {
        self.shardCount = shardCount
        self.isBigEndian = isBigEndian
        self.producer = producer
        self.minConsumer = minConsumer
    }

    static func decode(_ bytes: ArraySlice<UInt8>) throws(MalformedMessage) -> TensorBundleHeader {
        var header = TensorBundleHeader(shardCount: 0, producer: 0)
        for (number, value) in try decodeFields(bytes) {
            switch (number, value) {
            case let (1, .varint(count)): header.shardCount = Int(truncatingIfNeeded: count)
            case let (2, .varint(endianness)): header.isBigEndian = endianness == 1
            case let (3, .bytes(version)):
                for (versionNumber, versionValue) in try decodeFields(version) {
                    if case let .varint(raw) = versionValue {
                        if versionNumber == 1 { header.producer = Int(truncatingIfNeeded: raw) }
                        if versionNumber == 2 { header.minConsumer = Int(truncatingIfNeeded: raw) }
                    }
                }
            default: break
            }
        }
        return header
    }

    func encoded() -> [UInt8] {
        var version = MessageWriter()
        version.signed(1, producer)
        version.signed(2, minConsumer)
        var writer = MessageWriter()
        writer.signed(1, shardCount)
        writer.varint(2, isBigEndian ? 1 : 0)
        writer.message(3, version.bytes)
        return writer.bytes
    }
}
