/// What went wrong reading or writing a TensorFlow checkpoint (a tensor bundle).
///
/// Every case names the file, and where a tensor is involved the tensor, so that a damaged
/// download or a checkpoint of the wrong network is reported in one sentence.
public enum TensorBundleError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, mapped or created.
    case cannotOpen(path: String, reason: String)
    /// Writing or renaming the file failed.
    case writeFailed(path: String, reason: String)
    /// The `.index` table is damaged: bad footer, bad block, a block CRC mismatch, a
    /// malformed entry. `tensor` is the key being decoded, when one was.
    case corruptIndex(path: String, tensor: String?, reason: String)
    /// A tensor's bytes lie outside its data shard (the shard is truncated).
    case truncatedData(path: String, tensor: String, offset: Int, size: Int, fileSize: Int)
    /// The masked CRC32C of a tensor's bytes does not match its entry.
    case corruptTensor(path: String, tensor: String, expected: UInt32, actual: UInt32)
    /// A data shard named by the header is missing.
    case missingShard(path: String, tensor: String?)
    /// The bundle has no tensor of this name.
    case missingTensor(path: String, tensor: String)
    /// The tensor's element type cannot be read as asked (a string tensor read as floats).
    case unsupportedDataType(path: String, tensor: String, dataType: String)
    /// A feature of the format this reader does not implement (partitioned variables,
    /// big-endian bundles, Snappy-compressed index blocks).
    case unsupported(path: String, tensor: String?, feature: String)
    /// A tensor's shape is not the one a layer needs.
    case shapeMismatch(path: String, tensor: String, expected: [Int], actual: [Int])
    /// An argument to the writer is invalid (a duplicate name, values that do not fill the shape).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "Cannot open \(path): \(reason)."
        case let .writeFailed(path, reason):
            "Writing \(path) failed: \(reason)."
        case let .corruptIndex(path, tensor?, reason):
            "\(path) is corrupt at the entry of tensor '\(tensor)': \(reason)."
        case let .corruptIndex(path, nil, reason):
            "\(path) is not a valid tensor-bundle index: \(reason)."
        case let .truncatedData(path, tensor, offset, size, fileSize):
            "\(path) is truncated: tensor '\(tensor)' needs bytes \(offset)..<\(offset + size) but the file has \(fileSize)."
        case let .corruptTensor(path, tensor, expected, actual):
            "\(path) is corrupt: the bytes of tensor '\(tensor)' fail their CRC32C check (stored masked CRC "
                + "\(hex(expected)), computed \(hex(actual)))."
        case let .missingShard(path, tensor?):
            "The data shard \(path) holding tensor '\(tensor)' is missing."
        case let .missingShard(path, nil):
            "The data shard \(path) is missing."
        case let .missingTensor(path, tensor):
            "\(path) has no tensor named '\(tensor)'."
        case let .unsupportedDataType(path, tensor, dataType):
            "Tensor '\(tensor)' in \(path) has data type \(dataType), which cannot be read as numbers."
        case let .unsupported(path, tensor?, feature):
            "Tensor '\(tensor)' in \(path) uses \(feature), which this reader does not support."
        case let .unsupported(path, nil, feature):
            "\(path) uses \(feature), which this reader does not support."
        case let .shapeMismatch(path, tensor, expected, actual):
            "Tensor '\(tensor)' in \(path) has shape \(actual), but the layer needs \(expected)."
        case let .invalidArgument(reason):
            "Invalid argument: \(reason)."
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
