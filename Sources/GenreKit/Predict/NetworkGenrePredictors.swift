import Foundation
import Neural
import TensorBundle

/// Step 06's raw-audio CNN (`artifacts/06-raw-cnn/weights/<id>.index`, a TensorFlow checkpoint)
/// as a predictor: the song cut into windows of `window` samples at the rate it was trained on,
/// each window's softmax, averaged. The crop-trained model was trained for exactly this; the
/// first-window model sees windows it was not trained on, and the output says so no more than
/// its test accuracy does.
public struct RawCNNGenrePredictor: GenrePredictor {
    public let name: String
    public let classes: [String]
    public let sampleRate: Int
    public let window: Int
    /// At most this many windows, spread over the song (a 3-minute song has about 800).
    public let maxWindows: Int
    private let model: Sequential

    /// - Throws: `TensorBundleError` naming the file and tensor when the checkpoint is missing,
    ///   damaged or of another shape than the article's network.
    public init(checkpoint prefix: String, name: String, classes: [String], sampleRate: Int, window: Int,
                maxWindows: Int = 64) throws {
        model = rawAudioCNN(window: window, classes: classes.count, seed: 0)
        try model.loadWeights(prefix: prefix)
        self.name = name
        self.classes = classes
        self.sampleRate = sampleRate
        self.window = window
        self.maxWindows = maxWindows
    }

    public func predict(_ song: SongAnalysis) throws -> SongPrediction {
        let windows = try song.windows(at: sampleRate, length: window, maxCount: maxWindows)
        var values = [Float](repeating: 0, count: windows.count * window)
        for (i, samples) in windows.enumerated() {
            // A song shorter than a window is padded with silence.
            values.replaceSubrange((i * window)..<(i * window + samples.count), with: samples)
        }
        let logits = model.predict(Tensor(shape: [windows.count, window, 1], values: values))
        return SongPrediction(model: name, classes: classes, perWindow: softmaxRows(logits), calibrated: true)
    }
}

/// A step 07 head on musicnn's embeddings (`artifacts/07-transfer/musicnn/head.index`): each
/// 30 s window of the song embedded as step 07 embeds a clip (the mean of its 3 s patches'
/// 200-d embeddings, then their maximum when the head was trained on 400 values), then the
/// head (`TransferHead`: standardized, Dense(ReLU), Dense, softmax).
public struct MusicnnHeadPredictor: GenrePredictor {
    public let name: String
    public let classes: [String]
    public let windowSeconds: Double
    private let base: MusicnnModel
    private let head: TransferHead

    /// - Parameters:
    ///   - head: the prefix step 07 wrote (`.../07-transfer/musicnn/head`).
    ///   - base: musicnn's MSD checkpoint prefix.
    /// - Throws: `TensorBundleError` naming the file and tensor when one is missing or misshapen.
    public init(head prefix: String, base: String, name: String, classes: [String], windowSeconds: Double = 30) throws {
        self.base = try MusicnnModel(checkpoint: TensorBundleReader(prefix: base))
        head = try TransferHead(prefix: prefix, classCount: classes.count,
                                inputSizes: [MusicnnModel.embeddingSize, 2 * MusicnnModel.embeddingSize])
        self.name = name
        self.classes = classes
        self.windowSeconds = windowSeconds
    }

    public func predict(_ song: SongAnalysis) throws -> SongPrediction {
        let rate = MusicnnModel.sampleRate
        let windows = try song.windows(at: rate, length: Int(windowSeconds * Double(rate)))
        let rows = windows.map { samples -> [Double] in
            let patches = base.analyze(Array(samples))
            var x = patches.meanEmbedding
            if head.inputSize == 2 * MusicnnModel.embeddingSize { x += patches.maxEmbedding }
            // A window shorter than one 3 s patch has no embedding: it votes for no genre.
            guard x.count == head.inputSize else { return [Double](repeating: 1 / Double(classes.count), count: classes.count) }
            return head.probabilities(x)
        }
        return SongPrediction(model: name, classes: classes, perWindow: rows, calibrated: true)
    }
}

/// Softmax of each row of logits [rows, classes], in double precision.
func softmaxRows(_ logits: Tensor) -> [[Double]] {
    let classes = logits.shape[1]
    return (0..<logits.shape[0]).map { softmax(Array(logits.values[($0 * classes)..<(($0 + 1) * classes)])) }
}

/// exp(z - max) / Σ exp(z - max).
func softmax(_ z: [Float]) -> [Double] {
    let peak = Double(z.max() ?? 0)
    let exps = z.map { Foundation.exp(Double($0) - peak) }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}
