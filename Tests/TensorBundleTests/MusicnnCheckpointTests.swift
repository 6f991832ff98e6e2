import Foundation
import Testing
@testable import TensorBundle

/// The reader on the real musicnn MSD checkpoint that `make setup` unpacks into `models/`.
/// `make test` runs `make setup` first, so a missing checkpoint is a failure, not a skip.
@Suite struct MusicnnCheckpointTests {
    static var prefix: String { repositoryRoot().appendingPathComponent("models/musicnn/MSD_musicnn/").path + "/" }

    private func reader() throws -> TensorBundleReader {
        guard FileManager.default.fileExists(atPath: Self.prefix + ".index") else {
            throw FixtureError("the musicnn checkpoint is missing at \(Self.prefix): run `make setup` (scripts/fetch-musicnn.sh)")
        }
        return try TensorBundleReader(prefix: Self.prefix)
    }

    /// The 64 model tensors and their shapes, from the reference notes' layer table (§4.2);
    /// the other 86 are Adam slots and beta powers.
    static let modelShapes: [String: [Int]] = {
        var shapes: [String: [Int]] = [:]
        let bn: [(Int?, Int)] = [(nil, 1), (1, 204), (2, 204), (3, 51), (4, 51), (5, 51), (6, 64), (7, 64), (8, 64),
                                 (9, 1506), (10, 200)]
        for (index, channels) in bn {
            let scope = index.map { "batch_normalization_\($0)" } ?? "batch_normalization"
            for variable in ["beta", "gamma", "moving_mean", "moving_variance"] { shapes["\(scope)/\(variable)"] = [channels] }
        }
        let convs: [[Int]] = [[7, 38, 1, 204], [7, 67, 1, 204], [128, 1, 1, 51], [64, 1, 1, 51], [32, 1, 1, 51],
                              [7, 561, 1, 64], [7, 64, 1, 64], [7, 64, 1, 64]]
        for (index, kernel) in convs.enumerated() {
            let scope = index == 0 ? "conv2d" : "conv2d_\(index)"
            shapes["\(scope)/kernel"] = kernel
            shapes["\(scope)/bias"] = [kernel[3]]
        }
        shapes["dense/kernel"] = [1506, 200]
        shapes["dense/bias"] = [200]
        shapes["dense_1/kernel"] = [200, 50]
        shapes["dense_1/bias"] = [50]
        return shapes
    }()

    @Test func musicnnCheckpointHas151EntriesAllValid() throws {
        let reader = try reader()
        #expect(reader.names.count + 1 == 151, "150 tensors plus the header entry")
        #expect(try reader.verifyAll() == 150)
        #expect(Self.modelShapes.count == 64)
        for (name, shape) in Self.modelShapes {
            #expect(reader.shape(name) == shape, "\(name)")
        }
        let optimizer = reader.names.filter { Self.modelShapes[$0] == nil }
        #expect(optimizer.count == 86)
        #expect(optimizer.allSatisfy { $0.hasSuffix("/Adam") || $0.hasSuffix("/Adam_1") || $0.hasSuffix("_power") })
        #expect(reader.entries.values.allSatisfy { $0.dtype == .float && $0.shardID == 0 })
        // Sanity values quoted in the reference notes (input batch norm).
        #expect(try reader.floats("batch_normalization/moving_mean")[0] == Float(2.1978030))
    }

    /// Re-writing musicnn's tensors with our writer reproduces the index and data files the
    /// TensorFlow 1.x Saver wrote, byte for byte.
    @Test func rewritingMusicnnReproducesItsFiles() throws {
        let reader = try reader()
        var writer = TensorBundleWriter()
        for name in reader.names {
            writer.add(name, shape: reader.shape(name)!, values: try reader.floats(name))
        }
        let (index, data) = try writer.encoded()
        #expect(index == [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.prefix + ".index"))))
        #expect(data == [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.prefix + ".data-00000-of-00001"))))
    }
}
