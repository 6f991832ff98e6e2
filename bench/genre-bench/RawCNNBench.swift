import ArgumentParser
import Foundation
import GenreKit
import Neural

/// Step 06's training speed: the article's raw-audio CNN (16.0 M parameters) trained on
/// batches of 32 random clips of 10 000 samples with random labels, one Adam step per batch,
/// as bench/peers/raw_cnn_keras.py does with Keras 3 on the same shapes.
struct RawCNNBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw-cnn", abstract: "Train the article's 1-D CNN on random batches; print examples per second.")

    @Option(help: "Timed batches.") var batches = 12
    @Option(help: "Untimed batches first (buffers, caches).") var warmup = 2
    @Option var batchSize = 32
    @Option var window = 10000
    @Option var classes = 8

    func run() throws {
        let model = Sequential(inputShape: [window, 1], layers: [
            Conv1D(128, 3, activation: .relu), MaxPooling1D(), Conv1D(64, 3, activation: .relu), MaxPooling1D(),
            Flatten(), Dense(100, activation: .relu), Dropout(0.5), Dense(20, activation: .relu), Dropout(0.5),
            Dense(classes),
        ], seed: 42)
        var generator = SeededGenerator(seed: 7)
        let count = warmup + batches
        let x = Tensor(shape: [count * batchSize, window, 1],
                       values: (0..<(count * batchSize * window)).map { _ in Float.random(in: -1..<1, using: &generator) })
        let y = Tensor.oneHot((0..<(count * batchSize)).map { _ in Int.random(in: 0..<classes, using: &generator) },
                              classes: classes)
        let source = TensorBatches(x: x, targets: y, batchSize: batchSize, shuffle: false)
        let optimizer = Adam()
        var perBatch: [Double] = []
        for index in 0..<count {
            let batch = try source.batch(index, epoch: 0)
            let start = DispatchTime.now().uptimeNanoseconds
            model.trainStep(batch.x, targets: batch.targets, optimizer: optimizer)
            if index >= warmup { perBatch.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        let seconds = perBatch.reduce(0, +)
        printJSON([
            "examples": batches * batchSize, "seconds": seconds,
            "examples_per_second": Double(batches * batchSize) / seconds,
            "best_batch_seconds": perBatch.min() ?? 0, "median_batch_seconds": perBatch.sorted()[perBatch.count / 2],
            "parameters": model.parameterCount, "peak_memory_bytes": peakResidentMemory(),
        ])
    }
}
