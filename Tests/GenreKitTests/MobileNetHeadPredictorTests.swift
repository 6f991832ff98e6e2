import AudioIO
import Foundation
@testable import GenreKit
import Neural
import Seeded
import TensorBundle
import Testing
import _TestSupport

/// `MobileNetHeadPredictor` on a MobileNetV2 setup saved as step 07 saves one: a base network in
/// TF-slim's checkpoint layout (random weights: TF-slim's ImageNet checkpoint is not on this
/// machine, and the predictor only needs the layout) and a dense head in step 07's checkpoint
/// layout, on small 32 x 32 images so that the network runs in milliseconds.
@Suite struct MobileNetHeadPredictorTests {
    static let classes = ["Folk", "Pop", "Rock"]

    /// The article's configuration scaled down: 32 x 32 x 3 images of 4096 samples, whole-clip
    /// images of 1 s, at 16 kHz (the feature extractor `RecordBuilder` also builds needs 9 kHz).
    static let config: GenreConfig = {
        var config = GenreConfig.article
        config.audio.sampleRate = 16000
        config.tfrecords.imageHeight = 32
        config.tfrecords.imageWidth = 32
        config.tfrecords.imageSamples = 4096
        config.tfrecords.fullImageSeconds = 1
        return config
    }()

    /// The images step 03 renders under `config`.
    static let builder = RecordBuilder(config: config, classCount: classes.count)

    /// A song of three article-image windows (12288 samples at 16 kHz) whose pitch and loudness
    /// change from window to window, so that each window gives another image and embedding.
    static let song: [Float] = (0..<(3 * 4096)).map { i in
        let t = Double(i) / 16000
        let window = Double(i / 4096)
        return Float((0.2 + 0.3 * window) * sin(2 * .pi * (300 + 900 * window) * t + 40 * t * t))
    }

    /// The saved setup, made once for every test: `base` (MobileNetV2's checkpoint prefix) and
    /// `head` (the head's prefix, `<folder>/head`), with `network` (the head as a Keras model)
    /// and `embeddings` (MobileNetV2's of the song's three windows) for the independent path.
    /// Read-only once made, so shared by the tests running in parallel.
    final class SavedSetup: @unchecked Sendable {
        let folder = TemporaryFolder("mobilenet-head")
        let base: String
        let head: String
        let network: Sequential
        let mean: [Float], deviation: [Float]
        let embeddings: Tensor

        init() throws {
            // Every variable of TF-slim's checkpoint, each from a seeded formula scaled as an
            // initializer would scale it (weights ±√(3 / fan-in), batch-norm statistics near 1 and 0).
            base = folder.file("mobilenet_v2_1.0_224.ckpt").path
            var writer = TensorBundleWriter()
            var generator = SplitMix64(seed: 7)
            func uniform() -> Float { generator.nextUnitFloat() }
            for (name, shape) in MobileNetV2.variables {
                let count = shape.reduce(1, *)
                let leaf = name.split(separator: "/").last!
                let values: [Float] = switch leaf {
                case "weights", "depthwise_weights":
                    // Kernels [kh, kw, in, out], or [kh, kw, channels, 1] for a depthwise one.
                    (0..<count).map { _ in
                        let fanIn = shape[0] * shape[1] * (leaf == "weights" ? shape[2] : 1)
                        return (2 * uniform() - 1) * (3 / Float(fanIn)).squareRoot()
                    }
                case "gamma", "moving_variance": (0..<count).map { _ in 0.75 + 0.5 * uniform() }
                case "beta": (0..<count).map { _ in 0.2 * (2 * uniform() - 1) }
                default: (0..<count).map { _ in 0.1 * (2 * uniform() - 1) }
                }
                writer.add(name, shape: shape, values: values)
            }
            try writer.write(prefix: base)

            // The song's windows through MobileNetV2, window by window, as step 07 embeds the
            // mel2d image of each clip.
            let network = try MobileNetV2(checkpoint: TensorBundleReader(prefix: base))
            let image = MobileNetHeadPredictorTests.builder.image
            let windows = (0..<3).map { Array(MobileNetHeadPredictorTests.song[($0 * 4096)..<(($0 + 1) * 4096)]) }
            let embeddings = try network.embed(Tensor(shape: [3, 32, 32, 3], values: windows.flatMap(image.render)))
            self.embeddings = embeddings

            // The head as step 07's `DenseHead` writes it: the statistics it standardizes with
            // (here the windows' own), then each layer's parameters under its Keras name.
            let size = MobileNetV2.embeddingSize
            let mean = (0..<size).map { j in (0..<3).map { embeddings.values[$0 * size + j] }.reduce(0, +) / 3 }
            self.mean = mean
            deviation = (0..<size).map { j in
                let variance = (0..<3).map { pow(embeddings.values[$0 * size + j] - mean[j], 2) }.reduce(0, +) / 3
                return variance > 1e-12 ? variance.squareRoot() : 1
            }
            self.network = Sequential(inputShape: [size], layers: [Dense(16, activation: .relu), Dropout(0.5),
                                                                   Dense(MobileNetHeadPredictorTests.classes.count)], seed: 11)
            head = folder.file("head").path
            var headWriter = TensorBundleWriter()
            headWriter.add("standardize/mean", shape: [size], values: mean)
            headWriter.add("standardize/deviation", shape: [size], values: deviation)
            for layer in self.network.layers {
                for parameter in layer.parameters {
                    headWriter.add("\(layer.name)/\(parameter.name)", shape: parameter.value.shape, values: parameter.value.values)
                }
            }
            try headWriter.write(prefix: head)
        }
    }

    static let setup = Result { try SavedSetup() }

    @Test func probabilitiesAreTheSavedNetworksSoftmaxAveragedOverTheSongsImages() throws {
        let setup = try Self.setup.get()
        let base = try MobileNetV2(checkpoint: TensorBundleReader(prefix: setup.base))
        let predictor = try MobileNetHeadPredictor(head: setup.head, base: base, image: Self.builder.image,
                                                   name: "MobileNetV2", classes: Self.classes)
        #expect(predictor.sampleRate == 16000)
        let prediction = try predictor.predict(SongAnalysis(audio: Audio(mono: Self.song, sampleRate: 16000), name: "song"))
        #expect(prediction.windows == 3 && prediction.calibrated)

        // The same numbers through Neural's own layers: standardize, the Keras head (Dense with
        // BLAS, dropout off), softmax, mean over the three windows.
        let size = MobileNetV2.embeddingSize
        let standardized = Tensor(shape: [3, size], values: setup.embeddings.values.indices.map {
            (setup.embeddings.values[$0] - setup.mean[$0 % size]) / setup.deviation[$0 % size]
        })
        let logits = setup.network.forward(standardized, training: false)
        var expected = [Double](repeating: 0, count: Self.classes.count)
        for row in 0..<3 {
            let z = (0..<Self.classes.count).map { Double(logits.values[row * Self.classes.count + $0]) }
            let total = z.map { exp($0 - z.max()!) }.reduce(0, +)
            for k in z.indices { expected[k] += exp(z[k] - z.max()!) / total / 3 }
        }
        // Float32 sums over 1280 inputs in another order (BLAS against a plain loop): the
        // probabilities agree to about 1e-7; 1e-5 leaves room and still catches a wrong input.
        for k in expected.indices {
            #expect(abs(prediction.probabilities[k] - expected[k]) < 1e-5,
                    "class \(k): predictor \(prediction.probabilities[k]), network \(expected[k])")
        }
        #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-9)
        // The check means something only if the windows disagree with the uniform answer.
        #expect(prediction.probabilities.max()! - prediction.probabilities.min()! > 1e-3, "\(prediction.probabilities)")
    }

    @Test func loadAllFindsStepSevensHeadsAndSaysWhatIsMissing() throws {
        let setup = try Self.setup.get()
        let root = TemporaryFolder("mobilenet-workspace")
        var config = Self.config
        config.transfer.mobilenetCheckpoint = setup.base
        let workspace = Workspace(config: config, root: root.url)
        let folder = workspace.folder(.transfer).appendingPathComponent("mobilenet_v2")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for suffix in [".index", ".data-00000-of-00001"] {
            try FileManager.default.copyItem(atPath: setup.head + suffix, toPath: folder.appendingPathComponent("head" + suffix).path)
        }

        let found = try MobileNetHeadPredictor.loadAll(in: workspace, classes: { Self.classes })
        #expect(found.predictors.map(\.name) == ["mobilenet_v2"])
        #expect(found.predictors.first?.image.samples == 4096)
        // The whole-clip head is configured but was not saved.
        #expect(found.unused.count == 1 && found.unused[0].contains("head-mobilenet_v2_full.index"), "\(found.unused)")

        // Without the ImageNet checkpoint the heads cannot run, and the note names where it belongs.
        config.transfer.mobilenetCheckpoint = root.file("absent.ckpt").path
        let noBase = try MobileNetHeadPredictor.loadAll(in: Workspace(config: config, root: root.url), classes: { Self.classes })
        #expect(noBase.predictors.isEmpty)
        #expect(noBase.unused.contains { $0.contains(root.file("absent.ckpt").path + ".index") }, "\(noBase.unused)")

        // No head at all, MobileNetV2 still a configured base: one note saying step 07 trained none.
        try FileManager.default.removeItem(at: folder)
        let none = try MobileNetHeadPredictor.loadAll(in: Workspace(config: config, root: root.url), classes: { Self.classes })
        #expect(none.predictors.isEmpty && none.unused.count == 1 && none.unused[0].contains("no head.index"), "\(none.unused)")
    }

    @Test func aMissingOrCorruptHeadIsAnErrorNamingTheFile() throws {
        let setup = try Self.setup.get()
        let base = try MobileNetV2(checkpoint: TensorBundleReader(prefix: setup.base))
        let folder = TemporaryFolder("mobilenet-corrupt")
        func load(_ prefix: String) -> String {
            do {
                _ = try MobileNetHeadPredictor(head: prefix, base: base, image: Self.builder.image, name: "m", classes: Self.classes)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let missing = folder.file("head").path
        #expect(load(missing).contains(missing + ".index"), "\(load(missing))")

        // One flipped byte in the data file fails that tensor's CRC32C.
        let corrupt = folder.file("corrupt").path
        try FileManager.default.copyItem(atPath: setup.head + ".index", toPath: corrupt + ".index")
        var data = try Data(contentsOf: URL(fileURLWithPath: setup.head + ".data-00000-of-00001"))
        data[data.count / 2] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: corrupt + ".data-00000-of-00001"))
        let message = load(corrupt)
        #expect(message.contains(corrupt + ".data-00000-of-00001") && message.contains("CRC32C"), "\(message)")

        // A head trained on another base (musicnn's 400 values) is refused, naming the tensor.
        var writer = TensorBundleWriter()
        writer.add("standardize/mean", shape: [400], values: [Float](repeating: 0, count: 400))
        let other = folder.file("musicnn-head").path
        try writer.write(prefix: other)
        #expect(load(other).contains("standardize/mean") && load(other).contains(other + ".index"), "\(load(other))")
    }
}
