/// The parts of the protobuf wire format a `tf.train.Example` uses.
///
/// Reference: https://protobuf.dev/programming-guides/encoding/ (varints, tags, the
/// wire types, packed repeated fields).
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// The number of bytes `value` takes as a varint (1 to 10).
@inline(__always)
func varintSize(_ value: UInt64) -> Int {
    // Each byte carries 7 bits; a zero needs one byte.
    let bits = 64 - (value | 1).leadingZeroBitCount
    return (bits + 6) / 7
}

/// The number of bytes `value` takes as a varint.
@inline(__always)
func varintSize(_ value: Int) -> Int {
    varintSize(UInt64(value))
}

/// Writes protobuf fields forward into memory the caller has sized exactly.
struct WireWriter {
    private(set) var cursor: UnsafeMutableRawPointer

    init(_ start: UnsafeMutableRawPointer) {
        cursor = start
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        cursor.storeBytes(of: value, as: UInt8.self)
        cursor += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    @inline(__always)
    mutating func varint(_ value: Int) {
        varint(UInt64(value))
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        cursor.copyMemory(from: base, byteCount: source.count)
        cursor += source.count
    }

    /// Writes floats as protobuf's `fixed32`: the IEEE 754 bits, little-endian.
    @inline(__always)
    mutating func littleEndianFloats(_ values: UnsafeBufferPointer<Float>) {
        var out = cursor
        for value in values {
            out.storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
            out += 4
        }
        cursor = out
    }
}

/// Reads protobuf fields from a byte buffer; errors give offsets from the buffer's start.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    func malformed(_ reason: String, at offset: Int? = nil) -> TFRecordError {
        .malformedExample(reason: reason, byteOffset: offset ?? position)
    }

    /// Reads a varint that must end before `limit`.
    @inline(__always)
    mutating func varint(limit: Int) throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < limit {
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 { throw malformed("a varint overflows 64 bits", at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw malformed("a varint runs past the end of its message", at: start)
    }

    /// Reads a field's tag: its number and wire type.
    @inline(__always)
    mutating func tag(limit: Int) throws -> (field: UInt64, wireType: WireType) {
        let start = position
        let key = try varint(limit: limit)
        let field = key >> 3
        guard field > 0 else { throw malformed("a field has number 0", at: start) }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw malformed("a field has the unknown wire type \(key & 7)", at: start)
        }
        return (field, wireType)
    }

    /// Reads a length prefix and returns where the length-delimited payload ends.
    @inline(__always)
    mutating func payloadEnd(limit: Int) throws -> Int {
        let start = position
        let length = try varint(limit: limit)
        guard length <= UInt64(limit - position) else {
            throw malformed("a length-delimited field of \(length) bytes runs past the end of its message", at: start)
        }
        return position + Int(length)
    }

    /// Skips the value of a field of `wireType` (an unknown field).
    mutating func skip(_ wireType: WireType, field: UInt64, limit: Int) throws {
        switch wireType {
        case .varint:
            _ = try varint(limit: limit)
        case .fixed64:
            try advance(8, limit: limit)
        case .fixed32:
            try advance(4, limit: limit)
        case .lengthDelimited:
            position = try payloadEnd(limit: limit)
        case .startGroup:
            // A group runs until the end-group tag with the same field number.
            while true {
                let inner = try tag(limit: limit)
                if inner.wireType == .endGroup {
                    guard inner.field == field else { throw malformed("a group ends with the wrong field number") }
                    return
                }
                try skip(inner.wireType, field: inner.field, limit: limit)
            }
        case .endGroup:
            throw malformed("an end-group tag has no matching start")
        }
    }

    @inline(__always)
    mutating func advance(_ count: Int, limit: Int) throws {
        guard limit - position >= count else { throw malformed("a fixed-width field runs past the end of its message") }
        position += count
    }

    /// Reads a little-endian `fixed32` as a Float.
    @inline(__always)
    mutating func float(limit: Int) throws -> Float {
        guard limit - position >= 4 else { throw malformed("a float runs past the end of its message") }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return Float(bitPattern: UInt32(littleEndian: bits))
    }

    /// The bytes from the current position up to `end`, consuming them.
    @inline(__always)
    mutating func slice(to end: Int) -> UnsafeRawBufferPointer {
        let result = UnsafeRawBufferPointer(rebasing: bytes[position..<end])
        position = end
        return result
    }
}
