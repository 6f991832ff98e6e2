/// A `tf.train.Example`: named lists of bytes, floats or 64-bit integers.
///
/// Mirrors `tensorflow/core/example/example.proto` (`Example { Features features = 1; }`)
/// and `feature.proto` (`Features { map<string, Feature> feature = 1; }`). The map has no
/// order of its own; `ExampleCodec` writes it in the order TensorFlow's deterministic
/// serializer does.
public struct Example: Sendable, Equatable {
    /// The features by name (`Features.feature`).
    public var features: [String: Feature]

    /// An Example with the given features; an empty one by default.
    public init(features: [String: Feature] = [:]) {
        self.features = features
    }

    /// The feature named `key`, if present.
    public subscript(key: String) -> Feature? {
        get { features[key] }
        set { features[key] = newValue }
    }
}

/// One `tf.train.Feature`: a list of one of the three value kinds TensorFlow supports.
///
/// In `feature.proto` this is the oneof `kind` of `BytesList bytes_list = 1`,
/// `FloatList float_list = 2`, `Int64List int64_list = 3`.
public enum Feature: Sendable, Equatable {
    /// `bytes_list`: byte strings (`tf.string` when parsed).
    case bytes([[UInt8]])
    /// `float_list`: 32-bit floats (`tf.float32`).
    case float([Float])
    /// `int64_list`: signed 64-bit integers (`tf.int64`).
    case int64([Int64])

    /// The values of a `bytes` feature, else `nil`.
    public var bytesValues: [[UInt8]]? {
        if case let .bytes(values) = self { values } else { nil }
    }

    /// The values of a `float` feature, else `nil`.
    public var floatValues: [Float]? {
        if case let .float(values) = self { values } else { nil }
    }

    /// The values of an `int64` feature, else `nil`.
    public var int64Values: [Int64]? {
        if case let .int64(values) = self { values } else { nil }
    }

    /// How many values the list holds.
    public var count: Int {
        switch self {
        case let .bytes(values): values.count
        case let .float(values): values.count
        case let .int64(values): values.count
        }
    }

    /// A `bytes` feature holding the UTF-8 encoding of each string.
    public static func strings(_ values: [String]) -> Feature {
        .bytes(values.map { Array($0.utf8) })
    }
}
