#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes float32 tensors as a TensorFlow checkpoint (a tensor bundle) that
/// `tf.train.load_checkpoint` and `tf.compat.v1.train.Saver` read: `<prefix>.index` and
/// one data shard `<prefix>.data-00000-of-00001`.
///
/// Tensors are stored in name order (bytewise), back to back, each with its masked CRC32C,
/// and the index is built as TensorFlow's `BundleWriter` builds it, so for the same tensors
/// both files are byte-identical to what TensorFlow's `SaveV2` writes (checked in the tests).
/// Both files are written under temporary names and renamed into place, data first.
///
/// Reference: `tensorflow/core/util/tensor_bundle/tensor_bundle.cc` (`BundleWriter`).
///
///     var writer = TensorBundleWriter()
///     writer.add("dense/kernel", shape: [1506, 200], values: kernel)
///     try writer.write(prefix: "artifacts/06-raw-cnn/weights/model")
public struct TensorBundleWriter: Sendable {
    private var tensors: [String: (shape: [Int], values: [Float])] = [:]
    private var problems: [String] = []

    /// An empty bundle.
    public init() {}

    /// The names added so far.
    public var names: [String] { tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }

    /// Adds a float32 tensor.
    /// - Parameters:
    ///   - name: the checkpoint key, e.g. `conv1d/kernel` (must be non-empty and new).
    ///   - shape: the extent of each axis, `[]` for a scalar; TensorFlow's layouts
    ///     (`[K, C, F]` for a Conv1D kernel, `[in, out]` for a dense kernel).
    ///   - values: `shape.reduce(1, *)` values, row-major.
    /// A duplicate or empty name, or a count that does not fill the shape, makes `write` throw.
    public mutating func add(_ name: String, shape: [Int], values: [Float]) {
        if name.isEmpty {
            problems.append("a tensor name is empty (the empty key is the bundle's header)")
        } else if tensors[name] != nil {
            problems.append("tensor '\(name)' is added twice")
        } else if shape.contains(where: { $0 < 0 }) || shape.reduce(1, *) != values.count {
            problems.append("tensor '\(name)' has shape \(shape) but \(values.count) values")
        }
        tensors[name] = (shape, values)
    }

    /// The two files' bytes: the index and the single data shard.
    public func encoded() throws(TensorBundleError) -> (index: [UInt8], data: [UInt8]) {
        if let problem = problems.first { throw .invalidArgument(problem) }
        var data: [UInt8] = []
        data.reserveCapacity(tensors.values.reduce(0) { $0 + $1.values.count * 4 })
        var table = TableBuilder()
        table.add(key: [], value: TensorBundleHeader().encoded())
        for name in names {
            let (shape, values) = tensors[name]!
            let offset = data.count
            values.withUnsafeBufferPointer { buffer in
                // TensorFlow writes the host's byte order and records it in the header;
                // this module supports little-endian hosts only, as does every current TF build.
                data.append(contentsOf: UnsafeRawBufferPointer(buffer))
            }
            let crc = data.withUnsafeBytes { MaskedCRC32C.masked(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            let entry = TensorBundleEntry(dtype: .float, shape: shape, offset: offset, size: values.count * 4, crc32c: crc)
            table.add(key: Array(name.utf8), value: entry.encoded())
        }
        return (table.finish(), data)
    }

    /// Writes `<prefix>.data-00000-of-00001` and `<prefix>.index`, creating the folder.
    /// - Throws: `invalidArgument` for a bad `add`; `writeFailed` naming the file.
    public func write(prefix: String) throws(TensorBundleError) {
        let (index, data) = try encoded()
        let dataPath = TensorBundleReader.dataPath(prefix: prefix, shard: 0, of: 1)
        let indexPath = prefix + ".index"
        try makeParentDirectories(of: indexPath)
        try writeAtomically(data, to: dataPath)
        try writeAtomically(index, to: indexPath)
    }
}

private func makeParentDirectories(of path: String) throws(TensorBundleError) {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
    let folder = String(path[..<slash])
    var partial = folder.hasPrefix("/") ? "" : "."
    for component in folder.split(separator: "/") {
        partial += "/" + component
        if mkdir(partial, 0o755) != 0, errno != EEXIST {
            throw .writeFailed(path: path, reason: "cannot create folder \(partial): \(String(cString: strerror(errno)))")
        }
    }
}

private func writeAtomically(_ bytes: [UInt8], to path: String) throws(TensorBundleError) {
    let temporary = path + ".tmp\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
    var written = 0
    let failure: String? = bytes.withUnsafeBytes { raw in
        while written < raw.count {
            let count = write(descriptor, raw.baseAddress! + written, raw.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += count
        }
        return nil
    }
    close(descriptor)
    if let failure {
        unlink(temporary)
        throw .writeFailed(path: path, reason: failure)
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw .writeFailed(path: path, reason: "cannot rename \(temporary) into place: \(reason)")
    }
}
