import Foundation
import Testing
import _TestSupport
@testable import TensorBundle

/// Damaged, truncated or incomplete bundles are errors that name the file and the tensor.
@Suite struct DamageTests {
    /// A copy of `tf_small` in a temporary folder, to damage.
    private func copyOfSmall(_ folder: TemporaryFolder) throws -> String {
        let prefix = folder.file("small").path
        for suffix in [".index", ".data-00000-of-00001"] {
            try Data(Fixtures.bytes("tf_small" + suffix)).write(to: URL(fileURLWithPath: prefix + suffix))
        }
        return prefix
    }

    private func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func flippedDataByteNamesTheTensor() throws {
        let folder = TemporaryFolder("bundle-damage")
        let prefix = try copyOfSmall(folder)
        let reader0 = try TensorBundleReader(prefix: prefix)
        let entry = try #require(reader0.entries["dense/kernel"])
        try modify(prefix + ".data-00000-of-00001") { $0[entry.offset + 5] ^= 0x01 }

        let reader = try TensorBundleReader(prefix: prefix)
        #expect(try reader.floats("dense/bias").count == 3)  // its neighbours are intact
        let error = try #require(#expect(throws: TensorBundleError.self) { try reader.floats("dense/kernel") })
        guard case let .corruptTensor(path, tensor, _, _) = error else { Issue.record("\(error)"); return }
        #expect(tensor == "dense/kernel")
        #expect(path == prefix + ".data-00000-of-00001")
        #expect(error.description.contains("'dense/kernel'") && error.description.contains("CRC32C"))
        #expect(throws: TensorBundleError.self) { try reader.verifyAll() }
    }

    @Test func truncatedDataShardNamesTheTensor() throws {
        let folder = TemporaryFolder("bundle-damage")
        let prefix = try copyOfSmall(folder)
        try modify(prefix + ".data-00000-of-00001") { $0.removeLast(10) }
        let reader = try TensorBundleReader(prefix: prefix)
        // The last tensor in the data is the last name: global_step_scalar (4 bytes).
        #expect(throws: TensorBundleError.truncatedData(path: prefix + ".data-00000-of-00001", tensor: "global_step_scalar",
                                                        offset: 184, size: 4, fileSize: 178)) {
            try reader.floats("global_step_scalar")
        }
    }

    @Test func missingShardNamesFileAndTensor() throws {
        let folder = TemporaryFolder("bundle-damage")
        let prefix = try copyOfSmall(folder)
        try FileManager.default.removeItem(atPath: prefix + ".data-00000-of-00001")
        #expect(throws: TensorBundleError.missingShard(path: prefix + ".data-00000-of-00001", tensor: "conv1d/bias")) {
            try TensorBundleReader(prefix: prefix)
        }
    }

    @Test func damagedIndexIsRejected() throws {
        let folder = TemporaryFolder("bundle-damage")
        let prefix = try copyOfSmall(folder)
        // A byte inside the data block (a tensor's entry): the block CRC catches it.
        try modify(prefix + ".index") { $0[20] ^= 0x40 }
        let error = try #require(#expect(throws: TensorBundleError.self) { try TensorBundleReader(prefix: prefix) })
        guard case let .corruptIndex(path, _, reason) = error else { Issue.record("\(error)"); return }
        #expect(path == prefix + ".index")
        #expect(reason.contains("CRC32C"))
        // Cut short: the footer's magic number is gone.
        let prefix2 = try copyOfSmall(folder)
        try modify(prefix2 + ".index") { $0.removeLast(3) }
        #expect(throws: TensorBundleError.self) { try TensorBundleReader(prefix: prefix2) }
        #expect(throws: TensorBundleError.cannotOpen(path: folder.file("none").path + ".index", reason: "No such file or directory")) {
            try TensorBundleReader(prefix: folder.file("none").path)
        }
    }

    /// TensorFlow 1.0 and 1.1 could Snappy-compress index blocks; we say so rather than
    /// misread them. The first data block's trailer is found by its CRC, its type byte set to
    /// 1 (Snappy) and the CRC recomputed, so only the type is wrong.
    @Test func snappyBlockIsReportedAsUnsupported() throws {
        let folder = TemporaryFolder("bundle-damage")
        let prefix = try copyOfSmall(folder)
        try modify(prefix + ".index") { bytes in
            func maskedCRC(_ range: Range<Int>) -> UInt32 {
                bytes[range].withUnsafeBytes { MaskedCRC32C.masked($0) }
            }
            func stored(at offset: Int) -> UInt32 {
                (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
            }
            guard let size = (1..<(bytes.count - 53)).first(where: { bytes[$0] == 0 && maskedCRC(0..<($0 + 1)) == stored(at: $0 + 1) }) else {
                Issue.record("no block trailer found")
                return
            }
            bytes[size] = 1
            let crc = maskedCRC(0..<(size + 1))
            for byte in 0..<4 { bytes[size + 1 + byte] = UInt8(truncatingIfNeeded: crc >> (8 * byte)) }
        }
        let error = try #require(#expect(throws: TensorBundleError.self) { try TensorBundleReader(prefix: prefix) })
        guard case let .unsupported(path, _, feature) = error else { Issue.record("\(error)"); return }
        #expect(path == prefix + ".index")
        #expect(feature.contains("Snappy"))
    }

    @Test func wrongShapeAndUnknownNameAreNamed() throws {
        let reader = try TensorBundleReader(prefix: try Fixtures.prefix("tf_small"))
        let error = TensorBundleError.shapeMismatch(path: reader.indexPath, tensor: "dense/kernel", expected: [3, 5], actual: [5, 3])
        #expect(throws: error) { try reader.floats("dense/kernel", shape: [3, 5]) }
        #expect(error.description.contains("'dense/kernel'") && error.description.contains("tf_small.index"))
        #expect(throws: TensorBundleError.missingTensor(path: reader.indexPath, tensor: "dense/kernel_x")) {
            try reader.floats("dense/kernel_x")
        }
    }
}
