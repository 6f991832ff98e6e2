/// A tensor's element type, TensorFlow's `DataType` enum (`tensorflow/core/framework/types.proto`).
///
/// The raw value is the enum number stored in the checkpoint. Types this module does not
/// name are kept as `.other(number)` so that `genre-ckpt list` can still show them.
public enum TensorDataType: Hashable, Sendable, CustomStringConvertible {
    case float       // DT_FLOAT = 1
    case double      // DT_DOUBLE = 2
    case int32       // DT_INT32 = 3
    case uint8       // DT_UINT8 = 4
    case int16       // DT_INT16 = 5
    case int8        // DT_INT8 = 6
    case string      // DT_STRING = 7
    case int64       // DT_INT64 = 9
    case bool        // DT_BOOL = 10
    case bfloat16    // DT_BFLOAT16 = 14
    case uint16      // DT_UINT16 = 17
    case half        // DT_HALF = 19
    case uint32      // DT_UINT32 = 22
    case uint64      // DT_UINT64 = 23
    /// Any other `DataType` number (complex, quantized, resource, variant, ...).
    case other(Int)

    /// The type for a `DataType` number.
    public init(rawValue: Int) {
        switch rawValue {
        case 1: self = .float
        case 2: self = .double
        case 3: self = .int32
        case 4: self = .uint8
        case 5: self = .int16
        case 6: self = .int8
        case 7: self = .string
        case 9: self = .int64
        case 10: self = .bool
        case 14: self = .bfloat16
        case 17: self = .uint16
        case 19: self = .half
        case 22: self = .uint32
        case 23: self = .uint64
        default: self = .other(rawValue)
        }
    }

    /// The `DataType` number.
    public var rawValue: Int {
        switch self {
        case .float: 1
        case .double: 2
        case .int32: 3
        case .uint8: 4
        case .int16: 5
        case .int8: 6
        case .string: 7
        case .int64: 9
        case .bool: 10
        case .bfloat16: 14
        case .uint16: 17
        case .half: 19
        case .uint32: 22
        case .uint64: 23
        case let .other(number): number
        }
    }

    /// Bytes per element for fixed-size numeric types; `nil` for strings and the rest.
    public var byteWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .int16, .uint16, .half, .bfloat16: 2
        case .float, .int32, .uint32: 4
        case .double, .int64, .uint64: 8
        case .string, .other: nil
        }
    }

    /// TensorFlow's name, `DT_FLOAT` and so on.
    public var description: String {
        switch self {
        case .float: "DT_FLOAT"
        case .double: "DT_DOUBLE"
        case .int32: "DT_INT32"
        case .uint8: "DT_UINT8"
        case .int16: "DT_INT16"
        case .int8: "DT_INT8"
        case .string: "DT_STRING"
        case .int64: "DT_INT64"
        case .bool: "DT_BOOL"
        case .bfloat16: "DT_BFLOAT16"
        case .uint16: "DT_UINT16"
        case .half: "DT_HALF"
        case .uint32: "DT_UINT32"
        case .uint64: "DT_UINT64"
        case let .other(number): "DataType(\(number))"
        }
    }
}
