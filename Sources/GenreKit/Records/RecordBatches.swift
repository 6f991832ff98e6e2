import Foundation
import Neural
import TFRecord

/// The `raw1d` records of one split as batches for `Neural`'s training loop: the article's
/// `tf.data` pipeline (`TFRecordDataset` over the shard files, `parse_single_example`,
/// `shuffle`, `batch(32)`), in Swift.
///
/// The split's shards are decoded once, on all cores, into one block of memory: a record is
/// 10 000 floats (40 KB), so FMA `small`'s training split is about 200 MB and `medium`'s under
/// a GB. Each epoch then visits every example once in an order shuffled from `seed` and the
/// epoch number, and the model's training loop assembles the next batch on another thread
/// while it trains on this one. Records are kept in shard order (file, then position), so the
/// same seed gives the same batches on every run however the decoding threads interleave.
/// With FMA's official split a shard holds tracks of every split: only this split's tracks
/// (`DataSplits.Split.trackIDs`) are kept.
public struct RecordBatches: BatchSource {
    /// Samples per example (the article's `window_size`).
    public let windowSize: Int
    public let classCount: Int
    /// Examples per batch (the article's 32); the last batch of an epoch may be smaller.
    public let batchSize: Int
    /// Shuffle each epoch (training), or keep shard order (validation and test).
    public let shuffle: Bool
    public let seed: UInt64
    /// The samples of every example, [M, windowSize], row-major.
    public let samples: [Float]
    /// Each example's class and track, in storage order.
    public let labels: [Int]
    public let trackIDs: [Int]

    public var exampleCount: Int { labels.count }

    /// Examples from memory: `samples` [M, windowSize] with their labels and tracks.
    public init(samples: [Float], labels: [Int], trackIDs: [Int], windowSize: Int, classCount: Int,
                batchSize: Int = 32, shuffle: Bool, seed: UInt64 = 0) {
        precondition(samples.count == labels.count * windowSize && trackIDs.count == labels.count,
                     "\(samples.count) samples for \(labels.count) examples of \(windowSize)")
        self.samples = samples
        self.labels = labels
        self.trackIDs = trackIDs
        self.windowSize = windowSize
        self.classCount = classCount
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// Reads the `raw1d` records of split `name`.
    /// - Parameters:
    ///   - name: train, validation or test.
    ///   - splits: step 04's `splits.json`.
    ///   - workspace: where `artifacts/03-tfrecords` is.
    ///   - batchSize, shuffle, seed: as the properties.
    /// - Throws: `TrainingDataError` naming the shard and record when a record lacks a key,
    ///   has the wrong length or an unknown class, or the split has no records;
    ///   `TFRecordError` for a damaged file.
    public static func load(_ name: DataSplits.Name, splits: DataSplits, workspace: Workspace,
                            batchSize: Int = 32, shuffle: Bool, seed: UInt64 = 0) throws -> RecordBatches {
        let set = RecordSet.raw1d.rawValue
        guard let files = splits[name].files[set] else { throw TrainingDataError.noShards(split: name.rawValue, set: set) }
        let folder = workspace.folder(.tfrecords)
        let paths = files.map { folder.appendingPathComponent($0).path }
        let wanted = Set(splits[name].trackIDs)
        let windowSize = workspace.config.tfrecords.windowSize, classCount = splits.classes.count
        struct Decoded { let location: ShardedReader.RecordLocation; let song: [Float]; let label: Int; let track: Int }
        var decoded: [Decoded] = []
        try ShardedReader(paths: paths).forEachConcurrently { example, location in
            let place = "\(location.path), record \(location.recordIndex)"
            guard let song = example[RecordKey.song]?.floatValues,
                  let label = example[RecordKey.label]?.int64Values?.first,
                  let track = example[RecordKey.trackID]?.int64Values?.first else {
                throw TrainingDataError.malformed(place: place, reason: "no song, class or track_id")
            }
            guard wanted.contains(Int(track)) else { return }
            guard song.count == windowSize else {
                throw TrainingDataError.malformed(place: place, reason: "\(song.count) samples, expected \(windowSize) (audio window_size)")
            }
            guard (0..<classCount).contains(Int(label)) else {
                throw TrainingDataError.malformed(place: place, reason: "class \(label) outside 0..<\(classCount)")
            }
            decoded.append(Decoded(location: location, song: song, label: Int(label), track: Int(track)))
        }
        guard !decoded.isEmpty else { throw TrainingDataError.empty(split: name.rawValue, set: set) }
        decoded.sort { ($0.location.fileIndex, $0.location.recordIndex) < ($1.location.fileIndex, $1.location.recordIndex) }
        return RecordBatches(samples: decoded.flatMap(\.song), labels: decoded.map(\.label), trackIDs: decoded.map(\.track),
                             windowSize: windowSize, classCount: classCount, batchSize: batchSize, shuffle: shuffle,
                             seed: seed)
    }

    public func batchCount(epoch: Int) -> Int { (exampleCount + batchSize - 1) / batchSize }

    /// The examples of epoch `epoch`, in order: shuffled by a generator seeded from `seed`
    /// and the epoch, or storage order.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<exampleCount)
        if shuffle {
            var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
            order.shuffle(using: &generator)
        }
        return order
    }

    /// Batch `index` of epoch `epoch`: x [N, windowSize, 1] and one-hot targets [N, classes].
    public func batch(_ index: Int, epoch: Int) throws -> Batch {
        let rows = order(epoch: epoch)[(index * batchSize)..<min((index + 1) * batchSize, exampleCount)]
        var x = [Float](), targets = [Float](repeating: 0, count: rows.count * classCount)
        x.reserveCapacity(rows.count * windowSize)
        for (n, row) in rows.enumerated() {
            x += samples[(row * windowSize)..<((row + 1) * windowSize)]
            targets[n * classCount + labels[row]] = 1
        }
        return Batch(x: Tensor(shape: [rows.count, windowSize, 1], values: x),
                     targets: Tensor(shape: [rows.count, classCount], values: targets))
    }
}

/// Training data that cannot be used.
public enum TrainingDataError: Error, CustomStringConvertible, Equatable {
    case noShards(split: String, set: String)
    case empty(split: String, set: String)
    case malformed(place: String, reason: String)
    case badWav(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noShards(split, set):
            "splits.json lists no \(set) shards for the \(split) split: it was written before step 03 made them. Run step 04 again: swift run step04-splits"
        case let .empty(split, set):
            "The \(split) split has no \(set) records; check artifacts/04-splits/splits.json."
        case let .malformed(place, reason):
            "\(place): \(reason). Run step 03 again."
        case let .badWav(path, reason):
            "\(path): \(reason). Run step 02 again."
        }
    }
}
