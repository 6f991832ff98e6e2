// Dimensions: T time frames (187 per patch), B mel bands (96), C channels or filters.

import CBLAS
import TensorBundle

/// musicnn (Pons and Serra, "musicnn: pre-trained convolutional neural networks for music
/// audio tagging", ISMIR 2019 LBD), the `MSD_musicnn` model trained on the Million Song
/// Dataset's 50 tags, for inference: 3-second log-mel patches in, a 200-d embedding and 50
/// tag probabilities out. A frozen base network for transfer learning on genres.
///
/// The graph is `musicnn/models.py` `build_musicnn` (reference notes §4.2), batch norm in
/// inference mode (`γ (x − moving_mean) / √(moving_variance + 0.001) + β`, folded into one
/// scale and shift per channel), every block conv → bias → ReLU → batch norm:
///
/// - input [187, 96]: batch norm with one scalar for the whole spectrogram;
/// - front end, "timbral": time padded 3 + 3 with zeros, 204 filters of 7 × 38 and 204 of
///   7 × 67 bands (VALID), each max-pooled over all frequency positions → [187, 204] each;
/// - front end, "temporal": 51 filters each of 128, 64 and 32 frames × 1 band ("same"
///   padding in time), max-pooled over the 96 bands → [187, 51] each;
/// - concatenated [timbral 7×38, timbral 7×67, temporal 128, 64, 32] → [187, 561];
/// - mid end: three 1-D convolutions over time, 64 filters of width 7 (zero "same" padding),
///   the second and third residual → cnn1, cnn2, cnn3 [187, 64];
/// - back end: [front end, cnn1, cnn2, cnn3] → [187, 753], max and mean over time,
///   **interleaved** `[max₀, mean₀, max₁, mean₁, …]` (TensorFlow flattens [753, 2]) → 1506;
///   batch norm, dense 200 + ReLU, batch norm = the embedding (`penultimate`); dense 50,
///   sigmoid = the tags.
///
/// Only the 64 model tensors of the checkpoint's 150 are read; the rest are Adam's slots.
/// Convolutions are im2col + SGEMM (OpenBLAS). Patches are independent and run on all cores.
public final class MusicnnModel: Sendable {
    /// The sample rate the model expects (`configuration.SR`).
    public static let sampleRate = 16000
    /// Frames per patch.
    public static let patchFrames = MusicnnInput.patchFrames
    /// Mel bands per frame.
    public static let melBandCount = MusicnnInput.melBandCount
    /// The embedding's width.
    public static let embeddingSize = 200

    let inputNorm: Affine
    let timbral: [TimbralFilter]
    let temporal: [TemporalFilter]
    let mid: [MidEndConvolution]
    let poolNorm: Affine
    let dense: DenseWeights
    let denseNorm: Affine
    let output: DenseWeights

    /// Loads the 64 model tensors of `MSD_musicnn` (or `MTT_musicnn`, the same graph with
    /// another label set) from a checkpoint.
    /// - Throws: `TensorBundleError` naming the tensor and file when one is missing, damaged
    ///   or of the wrong shape (`shapeMismatch` says which shape the layer needs).
    public init(checkpoint: TensorBundleReader) throws {
        func affine(_ scope: String, _ channels: Int) throws -> Affine {
            try Affine(batchNorm: checkpoint, scope: scope, channels: channels)
        }
        inputNorm = try affine("batch_normalization", 1)
        timbral = try [(38, 0, 1), (67, 1, 2)].map { width, conv, bn in
            try TimbralFilter(
                bandWidth: width,
                kernel: checkpoint.floats(Self.conv(conv) + "/kernel", shape: [7, width, 1, 204]),
                bias: checkpoint.floats(Self.conv(conv) + "/bias", shape: [204]),
                norm: affine("batch_normalization_\(bn)", 204))
        }
        temporal = try [(128, 2, 3), (64, 3, 4), (32, 4, 5)].map { length, conv, bn in
            try TemporalFilter(
                length: length,
                kernel: checkpoint.floats(Self.conv(conv) + "/kernel", shape: [length, 1, 1, 51]),
                bias: checkpoint.floats(Self.conv(conv) + "/bias", shape: [51]),
                norm: affine("batch_normalization_\(bn)", 51))
        }
        mid = try [(561, 5, 6), (64, 6, 7), (64, 7, 8)].map { inputs, conv, bn in
            try MidEndConvolution(
                inputChannels: inputs,
                kernel: checkpoint.floats(Self.conv(conv) + "/kernel", shape: [7, inputs, 1, 64]),
                bias: checkpoint.floats(Self.conv(conv) + "/bias", shape: [64]),
                norm: affine("batch_normalization_\(bn)", 64))
        }
        poolNorm = try affine("batch_normalization_9", 1506)
        dense = DenseWeights(inputs: 1506, units: 200,
                             kernel: try checkpoint.floats("dense/kernel", shape: [1506, 200]),
                             bias: try checkpoint.floats("dense/bias", shape: [200]))
        denseNorm = try affine("batch_normalization_10", 200)
        output = DenseWeights(inputs: 200, units: 50,
                              kernel: try checkpoint.floats("dense_1/kernel", shape: [200, 50]),
                              bias: try checkpoint.floats("dense_1/bias", shape: [50]))
    }

    private static func conv(_ index: Int) -> String { index == 0 ? "conv2d" : "conv2d_\(index)" }

    /// Embeddings and tags for 16 kHz mono audio, one row per 3-second patch (musicnn's
    /// default: consecutive patches, the last partial one dropped). Audio shorter than one
    /// patch (2.99 s) gives no rows.
    public func analyze(_ samples16k: [Float]) -> MusicnnOutput {
        let (logMel, frames) = MusicnnInput.logMel(samples16k)
        return analyze(logMel: logMel, frameCount: frames)
    }

    /// Embeddings and tags for a log-mel spectrogram (frames × 96, row-major, as
    /// `MusicnnInput.logMel` makes it), one row per patch starting every `hop` frames.
    public func analyze(logMel: [Float], frameCount: Int, hop: Int = MusicnnInput.patchFrames) -> MusicnnOutput {
        precondition(logMel.count == frameCount * Self.melBandCount,
                     "musicnn: \(logMel.count) values are not \(frameCount) frames of 96 bands")
        let starts = MusicnnInput.patchStarts(frameCount: frameCount, hop: hop)
        var embeddings = [[Float]](repeating: [], count: starts.count)
        var tags = [[Float]](repeating: [], count: starts.count)
        let patchSize = Self.patchFrames * Self.melBandCount
        // One patch: its matrix products are split over the cores. Several: each core takes
        // whole patches with single-threaded products, which wastes no time synchronizing.
        let splitProducts = starts.count == 1
        logMel.withUnsafeBufferPointer { mel in
            embeddings.withUnsafeMutableBufferPointer { embeddingRows in
                tags.withUnsafeMutableBufferPointer { tagRows in
                    parallelFor(starts.count) { index in
                        let first = starts[index] * Self.melBandCount
                        let patch = UnsafeBufferPointer(rebasing: mel[first..<(first + patchSize)])
                        let result = forward(patch: patch, splitProducts: splitProducts)
                        embeddingRows[index] = result.embedding
                        tagRows[index] = result.tags
                    }
                }
            }
        }
        return MusicnnOutput(embeddings: embeddings, tags: tags)
    }
}
