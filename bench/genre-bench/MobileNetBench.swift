import ArgumentParser
import Foundation
import Neural
import Seeded
import TensorBundle

/// MobileNetV2's forward pass (alpha 1.0, no top, average pooling) on batches of 224 x 224 x 3
/// images, as step 07 runs it: images per second on all cores. The weights are seeded random
/// values of the right shapes (speed does not depend on them; the official checkpoint is not
/// on every machine), batch norms included, as the peer's.
struct MobileNetBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mobilenet", abstract: "Time MobileNetV2 embeddings of batches of 224 x 224 images.")
    @Option var batch = 32
    @Option(help: "Batches per timing.") var batches = 2
    @Option var repeats = 3
    @Option var size = 224
    @Option(help: "Also write the random weights as a TF-slim-named checkpoint at this prefix (to try step 07 without the real one).")
    var writeCheckpoint: String?

    func run() throws {
        var generator = SplitMix64(seed: 1)
        var writer = TensorBundleWriter()
        let model = try MobileNetV2(source: "random") { name in
            guard let shape = MobileNetV2.variables.first(where: { $0.name == name })?.shape else { return nil }
            let count = shape.reduce(1, *)
            let leaf = name.split(separator: "/").last!
            let values: [Float] = (0..<count).map { _ in
                let u = generator.nextUnitFloat()
                switch leaf {
                case "gamma", "moving_variance": return 0.75 + 0.5 * u
                case "beta", "moving_mean": return 0.1 * (2 * u - 1)
                default: return (2 * u - 1) * (3 / Float(shape[0] * shape[1] * (leaf == "weights" ? shape[2] : 1))).squareRoot()
                }
            }
            writer.add(name, shape: shape, values: values)
            return Tensor(shape: shape, values: values)
        }
        if let writeCheckpoint { try writer.write(prefix: writeCheckpoint) }
        let images = Tensor(shape: [batch, size, size, 3],
                            values: (0..<(batch * size * size * 3)).map { _ in 2 * generator.nextUnitFloat() - 1 })
        var checksum: Float = 0
        _ = try model.embed(images)  // warm-up: pages, BLAS buffers
        let seconds = try bestTime(repeats: repeats) {
            for _ in 0..<batches { checksum += try model.embed(images).values.reduce(0, +) }
        }
        let count = batch * batches
        printJSON(["images": count, "batch": batch, "seconds": seconds, "images_per_second": Double(count) / seconds,
                   "cores": ProcessInfo.processInfo.activeProcessorCount, "checksum": Double(checksum)])
    }
}
