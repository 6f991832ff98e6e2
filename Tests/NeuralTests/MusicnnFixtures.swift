import Foundation
import TensorBundle
@testable import Neural

/// What `Fixtures/make_musicnn_fixtures.py` computed with TensorFlow, musicnn 0.1.0's graph
/// code and the real MSD_musicnn weights, and the clips it computed it for.
enum MusicnnFixtures {
    struct Reference: Decodable {
        struct Clip: Decodable {
            let name: String
            let taggram: [[Float]]
            let embeddings: [[Float]]
            let max_pool_first: [Float]
        }
        let frames: Int
        let clips: [Clip]
    }

    static func url(_ name: String) throws -> URL {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Fixtures") else {
            throw MusicnnFixtureError("the test bundle has no resources")
        }
        return directory.appendingPathComponent(name)
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url("musicnn_reference.json")))
    }

    /// Each clip's log-mel input as musicnn computed it, [frames × 96] float16 → Float.
    static func logMels(frames: Int, clips: Int) throws -> [[Float]] {
        let bytes = try Data(contentsOf: url("musicnn_logmel.f16"))
        let perClip = frames * 96
        guard bytes.count == 2 * perClip * clips else {
            throw MusicnnFixtureError("musicnn_logmel.f16 has \(bytes.count) bytes, not \(2 * perClip * clips)")
        }
        let all: [Float] = bytes.withUnsafeBytes { raw in
            (0..<(perClip * clips)).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
        }
        return (0..<clips).map { Array(all[($0 * perClip)..<(($0 + 1) * perClip)]) }
    }

    /// The MSD_musicnn checkpoint `make setup` unpacks; a clear failure when it is missing.
    static func checkpoint() throws -> TensorBundleReader {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let prefix = root.appendingPathComponent("models/musicnn/MSD_musicnn").path + "/"
        guard FileManager.default.fileExists(atPath: prefix + ".index") else {
            throw MusicnnFixtureError("the musicnn checkpoint is missing at \(prefix): run `make setup` (scripts/fetch-musicnn.sh)")
        }
        return try TensorBundleReader(prefix: prefix)
    }

    static let sampleCount = 96_000

    /// The script's clips, by the same formula in Double then rounded to Float.
    static func clip(_ name: String) -> [Float] {
        let rate = 16_000.0
        func noise(seed: UInt64) -> [Double] {
            var state = seed
            return (0..<sampleCount).map { _ in
                state = (state &* 1_103_515_245 &+ 12_345) & 0x7FFF_FFFF
                return Double(state) / 2_147_483_648.0 * 2 - 1
            }
        }
        switch name {
        case "chord":
            return (0..<sampleCount).map { n in
                let t = Double(n) / rate
                let tones = sin(2 * .pi * 220 * t) + sin(2 * .pi * 277.18 * t) + sin(2 * .pi * 329.63 * t)
                return Float(0.06 * tones * (0.6 + 0.4 * sin(2 * .pi * 2 * t)))
            }
        case "beat":
            let bursts = noise(seed: 7)
            return (0..<sampleCount).map { n in
                let local = Double(n % 4000) / rate, kick = Double(n % 8000) / rate
                return Float(0.2 * bursts[n] * exp(-local * 40) + 0.1 * sin(2 * .pi * 80 * kick) * exp(-kick * 25))
            }
        default:
            let hiss = noise(seed: 11)
            return (0..<sampleCount).map { n in
                let t = Double(n) / rate
                return Float(0.1 * sin(2 * .pi * (100 * t + (3900 / (2 * 6.0)) * t * t)) + 0.02 * hiss[n])
            }
        }
    }
}

struct MusicnnFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
