/// The few pieces of the protobuf wire format the bundle's two messages need: varints,
/// fixed32, length-delimited fields. Hand-written so the module needs no protobuf runtime.
///
/// Reference: https://protobuf.dev/programming-guides/encoding/ ; `BundleHeaderProto`,
/// `BundleEntryProto` in `tensorflow/core/protobuf/tensor_bundle.proto`.
enum WireType: UInt8 {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
}

/// One field of a message: its number and its payload.
enum FieldValue {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case bytes(ArraySlice<UInt8>)
}

/// Why a byte string is not a valid message; the caller adds file and tensor.
struct MalformedMessage: Error {
    let reason: String
}

/// Reads a varint at `position`, advancing it; nil when it runs past `end` or beyond 10 bytes.
func readVarint(_ bytes: UnsafeRawBufferPointer, _ position: inout Int, end: Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while position < end, shift < 70 {
        let byte = bytes[position]
        position += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
    }
    return nil
}

/// The fields of a serialized message, in wire order.
func decodeFields(_ message: ArraySlice<UInt8>) throws(MalformedMessage) -> [(number: Int, value: FieldValue)] {
    var fields: [(number: Int, value: FieldValue)] = []
    let result: MalformedMessage? = Array(message).withUnsafeBytes { bytes -> MalformedMessage? in
        var position = 0
        let end = bytes.count
        while position < end {
            guard let tag = readVarint(bytes, &position, end: end) else {
                return MalformedMessage(reason: "a field tag runs past the end")
            }
            let number = Int(tag >> 3)
            guard number > 0 else { return MalformedMessage(reason: "field number 0") }
            switch WireType(rawValue: UInt8(tag & 7)) {
            case .varint?:
                guard let value = readVarint(bytes, &position, end: end) else {
                    return MalformedMessage(reason: "the varint of field \(number) runs past the end")
                }
                fields.append((number, .varint(value)))
            case .fixed64?:
                guard position + 8 <= end else { return MalformedMessage(reason: "field \(number) is cut short") }
                fields.append((number, .fixed64(bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian)))
                position += 8
            case .fixed32?:
                guard position + 4 <= end else { return MalformedMessage(reason: "field \(number) is cut short") }
                fields.append((number, .fixed32(bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian)))
                position += 4
            case .lengthDelimited?:
                guard let length = readVarint(bytes, &position, end: end), length <= UInt64(end - position) else {
                    return MalformedMessage(reason: "the length of field \(number) runs past the end")
                }
                let start = message.startIndex + position
                fields.append((number, .bytes(message[start..<(start + Int(length))])))
                position += Int(length)
            case nil:
                return MalformedMessage(reason: "field \(number) has unsupported wire type \(tag & 7)")
            }
        }
        return nil
    }
    if let result { throw result }
    return fields
}

/// Appends protobuf fields to a byte buffer, in the order the caller gives (TensorFlow's
/// C++ serializer writes fields in number order and omits proto3 defaults).
struct MessageWriter {
    var bytes: [UInt8] = []

    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A varint field, omitted when 0 (proto3).
    mutating func varint(_ number: Int, _ value: UInt64) {
        guard value != 0 else { return }
        appendVarint(UInt64(number << 3) | UInt64(WireType.varint.rawValue))
        appendVarint(value)
    }

    /// A signed int32/int64 field: negative values take ten bytes, as protobuf specifies.
    mutating func signed(_ number: Int, _ value: Int) {
        varint(number, UInt64(bitPattern: Int64(value)))
    }

    /// A fixed32 field, omitted when 0 (proto3).
    mutating func fixed32(_ number: Int, _ value: UInt32) {
        guard value != 0 else { return }
        appendVarint(UInt64(number << 3) | UInt64(WireType.fixed32.rawValue))
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length-delimited field (a sub-message), written even when empty.
    mutating func message(_ number: Int, _ payload: [UInt8]) {
        appendVarint(UInt64(number << 3) | UInt64(WireType.lengthDelimited.rawValue))
        appendVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }
}
