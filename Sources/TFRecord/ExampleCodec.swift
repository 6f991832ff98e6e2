/// Encodes and decodes `tf.train.Example` protobuf bytes without a protobuf library.
///
/// Encoding produces the bytes TensorFlow's Python API gives for
/// `example.SerializeToString(deterministic=True)` (the upb backend of protobuf 4 and later):
///
///     Example   { Features features = 1; }                     -> 0x0A len Features
///     Features  { map<string, Feature> feature = 1; }          -> per entry: 0x0A len Entry
///     Entry     { string key = 1; Feature value = 2; }         -> 0x0A len key 0x12 len Feature
///     Feature   { oneof kind { BytesList bytes_list = 1;
///                              FloatList float_list = 2;
///                              Int64List int64_list = 3; } }   -> 0x0A / 0x12 / 0x1A len List
///     BytesList { repeated bytes value = 1; }                  -> per value: 0x0A len bytes
///     FloatList { repeated float value = 1 [packed = true]; }  -> 0x0A len float32 LE ...
///     Int64List { repeated int64 value = 1 [packed = true]; }  -> 0x0A len varint ...
///
/// An empty float or int64 list is an empty list message (no packed field); the key and
/// value of a map entry are always written, even when empty.
///
/// Map entries come in `mapKeyPrecedes(_:_:)` order, found empirically from TensorFlow's
/// output (see the module README): Python's default `SerializeToString()` iterates upb's hash
/// table with a per-process seed, so its order changes from run to run and no encoder can
/// match it; the deterministic order is the only reproducible one.
///
/// Decoding accepts any valid encoding: packed or unpacked numbers, entries in any order,
/// repeated fields merged as protobuf merges them, unknown fields skipped by wire type.
///
/// References: `tensorflow/core/example/example.proto`, `feature.proto`.
public enum ExampleCodec {
    /// The number of bytes `encode(_:)` produces for `example`.
    public static func encodedSize(of example: Example) -> Int {
        EncodingPlan(example).totalSize
    }

    /// The protobuf bytes of `example`, as TensorFlow serializes it deterministically.
    public static func encode(_ example: Example) -> [UInt8] {
        let plan = EncodingPlan(example)
        return [UInt8](unsafeUninitializedCapacity: plan.totalSize) { buffer, initialized in
            plan.write(into: UnsafeMutableRawPointer(buffer.baseAddress!))
            initialized = plan.totalSize
        }
    }

    /// Encodes `example` at the start of `buffer`.
    ///
    /// - Returns: The number of bytes written.
    /// - Throws: `TFRecordError.invalidArgument` if `buffer` is smaller than
    ///   `encodedSize(of:)`.
    public static func encode(_ example: Example, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let plan = EncodingPlan(example)
        guard let base = buffer.baseAddress, buffer.count >= plan.totalSize else {
            throw TFRecordError.invalidArgument(
                "the Example needs \(plan.totalSize) bytes but the buffer holds \(buffer.count)")
        }
        plan.write(into: base)
        return plan.totalSize
    }

    /// Decodes the protobuf bytes of a `tf.train.Example`.
    ///
    /// A feature whose `Feature` message sets no list is left out, as TensorFlow's example
    /// parser treats it as missing.
    ///
    /// - Throws: `TFRecordError.malformedExample` with the offending byte offset.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Example {
        var reader = WireReader(bytes)
        var features: [String: Feature] = [:]
        let limit = bytes.count
        while reader.position < limit {
            let (field, wireType) = try reader.tag(limit: limit)
            if field == 1, wireType == .lengthDelimited {
                let end = try reader.payloadEnd(limit: limit)
                try decodeFeatures(&reader, end: end, into: &features)
            } else {
                try reader.skip(wireType, field: field, limit: limit)
            }
        }
        return Example(features: features)
    }

    /// Decodes the protobuf bytes of a `tf.train.Example`; see `decode(_:)` for buffers.
    public static func decode(_ bytes: [UInt8]) throws -> Example {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    /// The order in which map entries are written: byte-wise over the keys' common prefix,
    /// and where one key is a prefix of the other, the longer key first.
    ///
    /// This is what upb's deterministic serializer produces (it sorts, then writes back to
    /// front). For keys where neither is a prefix of the other it is plain byte order, so
    /// `class` < `one_hot_class` < `song`; but `ab` comes before `a`, and `""` last.
    public static func mapKeyPrecedes(_ first: String, _ second: String) -> Bool {
        var first = first
        var second = second
        return first.withUTF8 { a in
            second.withUTF8 { b in
                for index in 0..<min(a.count, b.count) where a[index] != b[index] {
                    return a[index] < b[index]
                }
                return a.count > b.count
            }
        }
    }

    // MARK: decoding

    private static func decodeFeatures(_ reader: inout WireReader, end: Int, into features: inout [String: Feature])
        throws
    {
        while reader.position < end {
            let (field, wireType) = try reader.tag(limit: end)
            guard field == 1, wireType == .lengthDelimited else {
                try reader.skip(wireType, field: field, limit: end)
                continue
            }
            let entryEnd = try reader.payloadEnd(limit: end)
            var key = ""
            var value: Feature?
            while reader.position < entryEnd {
                let (entryField, entryWireType) = try reader.tag(limit: entryEnd)
                switch (entryField, entryWireType) {
                case (1, .lengthDelimited):
                    let start = reader.position
                    let keyEnd = try reader.payloadEnd(limit: entryEnd)
                    let utf8 = reader.slice(to: keyEnd)
                    key = String(decoding: utf8, as: UTF8.self)
                    // proto3 strings must be valid UTF-8; repairing them would change the key.
                    guard key.utf8.elementsEqual(utf8) else {
                        throw reader.malformed("a feature name is not valid UTF-8", at: start)
                    }
                case (2, .lengthDelimited):
                    let featureEnd = try reader.payloadEnd(limit: entryEnd)
                    value = try decodeFeature(&reader, end: featureEnd, merging: value)
                default:
                    try reader.skip(entryWireType, field: entryField, limit: entryEnd)
                }
            }
            // Map semantics: a later entry with the same key replaces an earlier one.
            features[key] = value
        }
    }

    /// Decodes a `Feature`; a list of the same kind seen again is appended (protobuf merges
    /// repeated occurrences of a message field), a list of another kind replaces it (oneof).
    private static func decodeFeature(_ reader: inout WireReader, end: Int, merging existing: Feature?) throws
        -> Feature?
    {
        var result = existing
        while reader.position < end {
            let (field, wireType) = try reader.tag(limit: end)
            guard wireType == .lengthDelimited, (1...3).contains(field) else {
                try reader.skip(wireType, field: field, limit: end)
                continue
            }
            let listEnd = try reader.payloadEnd(limit: end)
            switch field {
            case 1:
                var values = result?.bytesValues ?? []
                try decodeBytesList(&reader, end: listEnd, into: &values)
                result = .bytes(values)
            case 2:
                var values = result?.floatValues ?? []
                try decodeFloatList(&reader, end: listEnd, into: &values)
                result = .float(values)
            default:
                var values = result?.int64Values ?? []
                try decodeInt64List(&reader, end: listEnd, into: &values)
                result = .int64(values)
            }
        }
        return result
    }

    private static func decodeBytesList(_ reader: inout WireReader, end: Int, into values: inout [[UInt8]]) throws {
        while reader.position < end {
            let (field, wireType) = try reader.tag(limit: end)
            guard field == 1, wireType == .lengthDelimited else {
                try reader.skip(wireType, field: field, limit: end)
                continue
            }
            let valueEnd = try reader.payloadEnd(limit: end)
            values.append(Array(reader.slice(to: valueEnd)))
        }
    }

    private static func decodeFloatList(_ reader: inout WireReader, end: Int, into values: inout [Float]) throws {
        while reader.position < end {
            let (field, wireType) = try reader.tag(limit: end)
            switch (field, wireType) {
            case (1, .lengthDelimited):
                let start = reader.position
                let packedEnd = try reader.payloadEnd(limit: end)
                let packed = reader.slice(to: packedEnd)
                guard packed.count % 4 == 0 else {
                    throw reader.malformed("a packed float list has \(packed.count) bytes, not a multiple of 4", at: start)
                }
                appendLittleEndianFloats(packed, to: &values)
            case (1, .fixed32):
                values.append(try reader.float(limit: end))
            default:
                try reader.skip(wireType, field: field, limit: end)
            }
        }
    }

    private static func decodeInt64List(_ reader: inout WireReader, end: Int, into values: inout [Int64]) throws {
        while reader.position < end {
            let (field, wireType) = try reader.tag(limit: end)
            switch (field, wireType) {
            case (1, .lengthDelimited):
                let packedEnd = try reader.payloadEnd(limit: end)
                // At least one byte per value: reserve for the most that can fit.
                values.reserveCapacity(values.count + (packedEnd - reader.position))
                while reader.position < packedEnd {
                    values.append(Int64(bitPattern: try reader.varint(limit: packedEnd)))
                }
            case (1, .varint):
                values.append(Int64(bitPattern: try reader.varint(limit: end)))
            default:
                try reader.skip(wireType, field: field, limit: end)
            }
        }
    }

    private static func appendLittleEndianFloats(_ packed: UnsafeRawBufferPointer, to values: inout [Float]) {
        let count = packed.count / 4
        guard count > 0 else { return }
        let decoded = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let bits = packed.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self)
                buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
            }
            initialized = count
        }
        if values.isEmpty {
            values = decoded
        } else {
            values.append(contentsOf: decoded)
        }
    }
}

/// The sizes of every nested message of one Example, computed once so that encoding can
/// write each length prefix before its payload in a single forward pass.
struct EncodingPlan {
    struct Entry {
        var key: String
        var keyLength: Int
        var feature: Feature
        /// The packed payload of a float or int64 list; unused for bytes.
        var packedSize: Int
        var listSize: Int
        var featureSize: Int
        var entrySize: Int
    }

    var entries: [Entry]
    var featuresSize: Int
    var totalSize: Int

    init(_ example: Example) {
        entries = []
        entries.reserveCapacity(example.features.count)
        featuresSize = 0
        for (key, feature) in example.features {
            let keyLength = key.utf8.count
            var packedSize = 0
            var listSize = 0
            switch feature {
            case let .float(values):
                packedSize = 4 * values.count
                listSize = values.isEmpty ? 0 : 1 + varintSize(packedSize) + packedSize
            case let .int64(values):
                for value in values { packedSize += varintSize(UInt64(bitPattern: value)) }
                listSize = values.isEmpty ? 0 : 1 + varintSize(packedSize) + packedSize
            case let .bytes(values):
                for value in values { listSize += 1 + varintSize(value.count) + value.count }
            }
            let featureSize = 1 + varintSize(listSize) + listSize
            let entrySize = 1 + varintSize(keyLength) + keyLength + 1 + varintSize(featureSize) + featureSize
            featuresSize += 1 + varintSize(entrySize) + entrySize
            entries.append(
                Entry(
                    key: key, keyLength: keyLength, feature: feature, packedSize: packedSize, listSize: listSize,
                    featureSize: featureSize, entrySize: entrySize))
        }
        entries.sort { ExampleCodec.mapKeyPrecedes($0.key, $1.key) }
        totalSize = 1 + varintSize(featuresSize) + featuresSize
    }

    /// Writes exactly `totalSize` bytes at `start`.
    func write(into start: UnsafeMutableRawPointer) {
        var writer = WireWriter(start)
        writer.byte(0x0A)
        writer.varint(featuresSize)
        for entry in entries {
            writer.byte(0x0A)
            writer.varint(entry.entrySize)
            writer.byte(0x0A)
            writer.varint(entry.keyLength)
            var key = entry.key
            key.withUTF8 { writer.bytes(UnsafeRawBufferPointer($0)) }
            writer.byte(0x12)
            writer.varint(entry.featureSize)
            switch entry.feature {
            case let .bytes(values):
                writer.byte(0x0A)
                writer.varint(entry.listSize)
                for value in values {
                    writer.byte(0x0A)
                    writer.varint(value.count)
                    value.withUnsafeBytes { writer.bytes($0) }
                }
            case let .float(values):
                writer.byte(0x12)
                writer.varint(entry.listSize)
                guard !values.isEmpty else { continue }
                writer.byte(0x0A)
                writer.varint(entry.packedSize)
                values.withUnsafeBufferPointer { writer.littleEndianFloats($0) }
            case let .int64(values):
                writer.byte(0x1A)
                writer.varint(entry.listSize)
                guard !values.isEmpty else { continue }
                writer.byte(0x0A)
                writer.varint(entry.packedSize)
                for value in values { writer.varint(UInt64(bitPattern: value)) }
            }
        }
    }
}
