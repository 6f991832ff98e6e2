import AudioIO
import Foundation
import GenreKit
import Neural
import TensorBundle
import TFRecord

/// A base network of step 07 and where its checkpoint is.
struct BaseNetwork {
    /// `musicnn` or `mobilenet_v2`, as in `transfer.bases`.
    let name: String
    /// The checkpoint prefix as configured, and resolved against the working directory.
    let checkpoint: String
    let prefix: URL

    init(name: String, config: GenreConfig, root: URL) {
        self.name = name
        checkpoint = name == "musicnn" ? config.transfer.musicnnCheckpoint : config.transfer.mobilenetCheckpoint
        prefix = checkpoint.hasPrefix("/") ? URL(fileURLWithPath: checkpoint) : root.appendingPathComponent(checkpoint)
    }

    /// The `.index` file of the checkpoint (`dir/.index` for musicnn's prefix `dir/`).
    var indexURL: URL { URL(fileURLWithPath: prefixPath + ".index") }
    var prefixPath: String { checkpoint.hasSuffix("/") ? prefix.path + "/" : prefix.path }
    var isAvailable: Bool { FileManager.default.fileExists(atPath: indexURL.path) }

    /// What to do when the checkpoint is missing.
    var hint: String {
        name == "musicnn"
            ? "`make setup` unpacks it there from the musicnn 0.1.0 wheel (pip download --no-deps musicnn==0.1.0)"
            : "download https://storage.googleapis.com/mobilenet_v2/checkpoints/mobilenet_v2_1.0_224.tgz and unpack it into \((checkpoint as NSString).deletingLastPathComponent)/; README.md says more"
    }

    /// The network and its options, for the embedding cache: the checkpoint's index size and date.
    func fingerprint(_ options: String) -> String {
        "\(name) \(EmbeddingCache.stamp(of: indexURL)) \(options)"
    }
}

/// One clip's musicnn embedding: the WAV of step 02, resampled to 16 kHz with soxr (musicnn
/// was trained on 16 kHz audio), cut into 3-second patches, each patch's 200-d embedding, then
/// the mean over the clip's patches, followed by their maximum when `withMax`
/// (400 values). Pons and Serra (2019) pool patches the same way for their transfer experiments.
func musicnnEmbedding(_ model: MusicnnModel, wav: URL, withMax: Bool) throws -> [Float] {
    let audio = try SoundFile.read(contentsOf: wav).mixedToMono()
    let samples = audio.sampleRate == MusicnnModel.sampleRate
        ? audio.channels[0]
        : try Resampler.resample(audio.channels[0], from: audio.sampleRate, to: MusicnnModel.sampleRate)
    let patches = model.analyze(samples).embeddings
    guard !patches.isEmpty else { throw TransferError.tooShort(path: wav.path, seconds: audio.duration) }
    let d = MusicnnModel.embeddingSize
    var sums = [Double](repeating: 0, count: d)
    var peaks = [Float](repeating: -.infinity, count: d)
    for patch in patches {
        for j in 0..<d {
            sums[j] += Double(patch[j])
            peaks[j] = max(peaks[j], patch[j])
        }
    }
    let mean = sums.map { Float($0 / Double(patches.count)) }
    return withMax ? mean + peaks : mean
}

/// The records of `set` in a split's shard files, one `(track id, label, image)` at a time, in
/// batches of `batchSize`; records of tracks outside the split (FMA's split puts every shard in
/// every split) are passed over.
func forEachImageBatch(_ set: RecordSet, split: DataSplits.Split, workspace: Workspace, imageCount: Int, batchSize: Int,
                       _ body: ([(trackID: Int, label: Int, stamp: String, image: [Float])]) throws -> Void) throws {
    let folder = workspace.folder(.tfrecords)
    let wanted = Set(split.trackIDs)
    var batch: [(trackID: Int, label: Int, stamp: String, image: [Float])] = []
    for file in split.files[set.rawValue] ?? [] {
        let url = folder.appendingPathComponent(file)
        let stamp = "\(file) " + EmbeddingCache.stamp(of: url)
        let reader = try TFRecordReader(path: url.path)
        while let example = try reader.nextExample() {
            guard let id = example[RecordKey.trackID]?.int64Values?.first,
                  let label = example[RecordKey.label]?.int64Values?.first,
                  let image = example[RecordKey.spectrogram]?.floatValues, image.count == imageCount else {
                throw TransferError.badRecord(path: url.path, index: reader.recordsRead - 1, expected: imageCount)
            }
            guard wanted.contains(Int(id)) else { continue }
            batch.append((Int(id), Int(label), stamp, image))
            if batch.count == batchSize {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
    if !batch.isEmpty { try body(batch) }
}

enum TransferError: Error, CustomStringConvertible {
    case tooShort(path: String, seconds: Double)
    case badRecord(path: String, index: Int, expected: Int)
    case emptySplit(base: String, split: String)

    var description: String {
        switch self {
        case let .tooShort(path, seconds):
            String(format: "%@ lasts %.2f s, shorter than one 3-second musicnn patch.", path, seconds)
        case let .badRecord(path, index, expected):
            "\(path), record \(index): no track_id, class or spectrogram of \(expected) floats; run step 03 again."
        case let .emptySplit(base, split):
            "\(base): the \(split) split has no clips to train or score the head on."
        }
    }
}
