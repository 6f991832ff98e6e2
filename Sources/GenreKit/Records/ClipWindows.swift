import Foundation
import Neural
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Windows of `windowSize` samples cut from anywhere in whole clips (step 02's WAVs), as
/// batches for `Neural`: the "random crops" variant of the raw-audio CNN, which the article
/// does not have.
///
/// The article's records hold the first 10 000 samples of each clip, 0.23 s of a 30 s clip at
/// 44.1 kHz: the network sees under 1 % of the audio. Here every epoch takes one window per
/// clip at a random position (a generator seeded from `seed`, the epoch and the track), so
/// over the epochs the network sees the whole clip; a clip is then predicted from all its
/// non-overlapping windows (`predict`). With `randomPositions` false each clip gives the same
/// window every epoch (a fixed validation set). Only the window is read from the file (a seek
/// into 16-bit PCM), so a batch costs 32 small reads rather than 32 decoded clips.
public struct ClipWindows: BatchSource {
    /// One clip: its WAV, class, track and length in samples.
    public struct Clip: Sendable, Equatable {
        public var path: String
        public var label: Int
        public var trackID: Int
        public var frames: Int
        /// Byte offset of the first sample in the file.
        var dataOffset: Int
    }

    public let clips: [Clip]
    public let windowSize: Int
    public let classCount: Int
    public let batchSize: Int
    public let randomPositions: Bool
    public let seed: UInt64

    public var exampleCount: Int { clips.count }

    /// The clips of `trackIDs` with their `labels`, from step 02's folder.
    /// - Throws: `TrainingDataError.badWav` naming the file when it is missing, not 16-bit PCM
    ///   mono, or shorter than one window.
    public init(wavFolder: URL, trackIDs: [Int], labels: [Int], windowSize: Int, classCount: Int,
                batchSize: Int = 32, randomPositions: Bool, seed: UInt64 = 0) throws {
        clips = try zip(trackIDs, labels).map { track, label in
            let path = WavManifest.wavURL(in: wavFolder, trackID: track).path
            let (offset, frames) = try Self.pcm16MonoLayout(path: path)
            guard frames >= windowSize else {
                throw TrainingDataError.badWav(path: path, reason: "\(frames) samples, shorter than one window of \(windowSize)")
            }
            return Clip(path: path, label: label, trackID: track, frames: frames, dataOffset: offset)
        }
        self.windowSize = windowSize
        self.classCount = classCount
        self.batchSize = batchSize
        self.randomPositions = randomPositions
        self.seed = seed
    }

    public func batchCount(epoch: Int) -> Int { (exampleCount + batchSize - 1) / batchSize }

    /// The clips of epoch `epoch`, shuffled when positions are random, else in order.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<exampleCount)
        if randomPositions {
            var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
            order.shuffle(using: &generator)
        }
        return order
    }

    /// Where clip `clip`'s window starts in epoch `epoch`: uniform over the clip, from a
    /// generator seeded by `seed`, the track and (for random positions) the epoch.
    public func windowStart(clip: Int, epoch: Int) -> Int {
        var generator = SeededGenerator(seed: seed, stream: UInt64(clips[clip].trackID), UInt64(randomPositions ? epoch : 0))
        return Int.random(in: 0...(clips[clip].frames - windowSize), using: &generator)
    }

    public func batch(_ index: Int, epoch: Int) throws -> Batch {
        let rows = order(epoch: epoch)[(index * batchSize)..<min((index + 1) * batchSize, exampleCount)]
        var x = [Float](repeating: 0, count: rows.count * windowSize)
        var targets = [Float](repeating: 0, count: rows.count * classCount)
        for (n, row) in rows.enumerated() {
            let window = try samples(clip: row, start: windowStart(clip: row, epoch: epoch), count: windowSize)
            x.replaceSubrange((n * windowSize)..<((n + 1) * windowSize), with: window)
            targets[n * classCount + clips[row].label] = 1
        }
        return Batch(x: Tensor(shape: [rows.count, windowSize, 1], values: x),
                     targets: Tensor(shape: [rows.count, classCount], values: targets))
    }

    /// Class probabilities per clip from all its non-overlapping windows: the mean over the
    /// windows of softmax(logits), so that each window has one vote of total weight 1 however
    /// confident its logits are. Returns [clips, classes], in `clips` order.
    public func predict(with model: Sequential, batchSize: Int = 32) throws -> Tensor {
        var probabilities: [Float] = []
        for clip in clips.indices {
            let windows = clips[clip].frames / windowSize
            let all = try samples(clip: clip, start: 0, count: windows * windowSize)
            let logits = model.predict(Tensor(shape: [windows, windowSize, 1], values: all), batchSize: batchSize)
            var mean = [Double](repeating: 0, count: classCount)
            for w in 0..<windows {
                let row = logits.values[(w * classCount)..<((w + 1) * classCount)].map(Double.init)
                let peak = row.max() ?? 0
                let exps = row.map { Foundation.exp($0 - peak) }
                let sum = exps.reduce(0, +)
                for j in 0..<classCount { mean[j] += exps[j] / sum / Double(windows) }
            }
            probabilities += mean.map(Float.init)
        }
        return Tensor(shape: [clips.count, classCount], values: probabilities)
    }

    /// `count` samples of clip `clip` from sample `start`, as floats in [-1, 1) (x / 32768, as
    /// libsndfile reads 16-bit PCM, so a window matches the raw1d record of the same samples).
    public func samples(clip: Int, start: Int, count: Int) throws -> [Float] {
        let item = clips[clip]
        precondition(start >= 0 && start + count <= item.frames, "window \(start)..<\(start + count) outside \(item.frames) samples")
        let descriptor = open(item.path, O_RDONLY)
        guard descriptor >= 0 else { throw TrainingDataError.badWav(path: item.path, reason: "cannot open") }
        defer { close(descriptor) }
        var pcm = [Int16](repeating: 0, count: count)
        let wanted = count * 2
        let got = pcm.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(item.dataOffset + start * 2)) }
        guard got == wanted else { throw TrainingDataError.badWav(path: item.path, reason: "short read at sample \(start)") }
        return pcm.map { Float(Int16(littleEndian: $0)) * (1 / 32768) }
    }

    /// The byte offset of the samples and their count, from the RIFF chunks of a WAV file
    /// (`fmt ` must say PCM, 1 channel, 16 bits).
    static func pcm16MonoLayout(path: String) throws -> (offset: Int, frames: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrainingDataError.badWav(path: path, reason: "missing or unreadable")
        }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 1 << 16))
        func u32(_ at: Int) -> Int { Int(head[at]) | Int(head[at + 1]) << 8 | Int(head[at + 2]) << 16 | Int(head[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(head[at]) | Int(head[at + 1]) << 8 }
        guard head.count >= 12, head[0..<4] == [0x52, 0x49, 0x46, 0x46], head[8..<12] == [0x57, 0x41, 0x56, 0x45] else {
            throw TrainingDataError.badWav(path: path, reason: "not a RIFF/WAVE file")
        }
        var at = 12, format: (tag: Int, channels: Int, bits: Int)?
        while at + 8 <= head.count {
            let id = String(decoding: head[at..<(at + 4)], as: UTF8.self), size = u32(at + 4)
            if id == "fmt ", at + 24 <= head.count {
                format = (u16(at + 8), u16(at + 10), u16(at + 22))
            } else if id == "data" {
                guard let format, format.tag == 1 || format.tag == 0xFFFE, format.channels == 1, format.bits == 16 else {
                    throw TrainingDataError.badWav(path: path, reason: "expected 16-bit PCM mono (step 02's format)")
                }
                return (at + 8, size / 2)
            }
            at += 8 + size + size % 2
        }
        throw TrainingDataError.badWav(path: path, reason: "no data chunk in the first 64 KB")
    }
}
