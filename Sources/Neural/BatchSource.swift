// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// One batch of examples and their one-hot targets.
public struct Batch: Sendable {
    /// [N] + the model's input shape.
    public var x: Tensor
    /// One-hot [N, classes].
    public var targets: Tensor

    public init(x: Tensor, targets: Tensor) {
        precondition(x.batch == targets.batch, "\(x.batch) examples but \(targets.batch) targets")
        self.x = x
        self.targets = targets
    }
}

/// Where training and evaluation get their batches: an epoch is `batchCount(epoch:)` batches,
/// and `batch(_:epoch:)` makes one of them, in any order and from any thread.
///
/// The model knows nothing of files: a source in memory, one over TFRecord shards or one that
/// cuts windows from audio files all look the same. A source is a function of (epoch, index),
/// so that the training loop can prepare the next batch on another core while the model works
/// on this one, and a seeded source gives the same batches on every run. A source that shuffles
/// derives each epoch's order from its seed and the epoch number.
public protocol BatchSource: Sendable {
    /// The examples in one epoch.
    var exampleCount: Int { get }
    /// The batches in epoch `epoch` (0-based).
    func batchCount(epoch: Int) -> Int
    /// Batch `index` of epoch `epoch`.
    /// - Throws: whatever reading the examples throws (a corrupt record, a missing file).
    func batch(_ index: Int, epoch: Int) throws -> Batch
}

/// A source over examples held in memory: `batchSize` at a time, in an order shuffled per
/// epoch from `seed` (or in storage order when `shuffle` is false, for evaluation).
public struct TensorBatches: BatchSource {
    /// All examples, [M] + input shape.
    public let x: Tensor
    /// One-hot [M, classes].
    public let targets: Tensor
    public let batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64

    public init(x: Tensor, targets: Tensor, batchSize: Int = 32, shuffle: Bool = true, seed: UInt64 = 0) {
        precondition(x.batch == targets.batch, "\(x.batch) examples but \(targets.batch) targets")
        precondition(batchSize > 0, "batch size must be positive")
        self.x = x
        self.targets = targets
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    public var exampleCount: Int { x.batch }

    public func batchCount(epoch: Int) -> Int { (exampleCount + batchSize - 1) / batchSize }

    /// The order of epoch `epoch`: a Fisher-Yates shuffle by a SplitMix64 seeded from the
    /// source's seed and the epoch.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<exampleCount)
        if shuffle {
            var generator = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
            order.shuffle(using: &generator)
        }
        return order
    }

    public func batch(_ index: Int, epoch: Int) throws -> Batch {
        let m = exampleCount, rowX = x.count / max(m, 1), rowY = targets.count / max(m, 1)
        let rows = order(epoch: epoch)[(index * batchSize)..<min((index + 1) * batchSize, m)]
        var xs: [Float] = [], ys: [Float] = []
        xs.reserveCapacity(rows.count * rowX)
        ys.reserveCapacity(rows.count * rowY)
        for row in rows {
            xs += x.values[(row * rowX)..<((row + 1) * rowX)]
            ys += targets.values[(row * rowY)..<((row + 1) * rowY)]
        }
        return Batch(x: Tensor(shape: [rows.count] + Array(x.shape.dropFirst()), values: xs),
                     targets: Tensor(shape: [rows.count, rowY], values: ys))
    }
}
