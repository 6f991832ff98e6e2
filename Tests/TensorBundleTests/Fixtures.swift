import Foundation
import TensorBundle

/// The bundles `Fixtures/make_fixtures.py` wrote with TensorFlow 2.21, and what they hold.
enum Fixtures {
    /// The checkpoint prefix of a fixture bundle (`tf_small`, `tf_types`, `tf_object`).
    static func prefix(_ name: String) throws -> String {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else {
            throw FixtureError("the test bundle has no resources")
        }
        let prefix = directory.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: prefix + ".index") else { throw FixtureError("no fixture \(name).index") }
        return prefix
    }

    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        let directory = URL(fileURLWithPath: try prefix("tf_small")).deletingLastPathComponent()
        return [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// `tf_small`'s tensors: name → shape, in the order the script numbers them (sorted).
    static let smallShapes: [(name: String, shape: [Int])] = [
        ("conv1d/bias", [4]), ("conv1d/kernel", [3, 2, 4]), ("dense/bias", [3]), ("dense/kernel", [5, 3]),
        ("empty", [0, 3]), ("global_step_scalar", []),
    ]

    /// The script's formula: value i of tensor k is ((7 i + 3 k) mod 251 - 125) / 64 · (k + 1).
    static func formula(count: Int, k: Int) -> [Float] {
        (0..<count).map { i in Float(((i * 7 + 3 * k) % 251) - 125) / 64 * Float(k + 1) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The repository's root, found from this file's path (Tests/TensorBundleTests/…).
func repositoryRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
