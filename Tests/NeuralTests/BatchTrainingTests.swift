import Foundation
@testable import Neural
import Seeded
import Testing

/// The training loop over a `BatchSource`: validation history, early stopping, determinism,
/// and weights through a TensorFlow checkpoint.
@Suite struct BatchTrainingTests {
    static func sources() -> (train: TensorBatches, validation: TensorBatches) {
        let (x, y) = TrainingTests.ramps()
        let train = TensorBatches(x: x, targets: y, batchSize: 4, seed: 7)
        // The same ramps with other noise serve as validation.
        let (vx, vy) = TrainingTests.ramps(seed: 12)
        return (train, TensorBatches(x: vx, targets: vy, batchSize: 5, shuffle: false))
    }

    @Test func historyHasValidationColumnsAndRepeatsBitForBit() throws {
        let (train, validation) = Self.sources()
        func run() throws -> (History, [[Float]]) {
            let model = TrainingTests.smallModel(seed: 4)
            let history = try model.fit(train, validation: validation, epochs: 6, optimizer: Adam())
            return (history, model.weights)
        }
        let (a, weightsA) = try run(), (b, weightsB) = try run()
        #expect(a.validationLoss.count == 6 && a.validationAccuracy.count == 6)
        #expect(a == b)
        #expect(weightsA == weightsB)
    }

    /// Early stopping keeps the weights of the epoch with the lowest validation loss: they must
    /// equal, bit for bit, those of a run that simply stops after that epoch.
    @Test func earlyStoppingRestoresTheBestEpochsWeights() throws {
        let (train, validation) = Self.sources()
        // A large learning rate makes validation loss rise after a few epochs.
        let model = TrainingTests.smallModel(seed: 2)
        let history = try model.fit(train, validation: validation, epochs: 40, optimizer: Adam(learningRate: 0.05),
                                    patience: 3)
        let best = try #require(history.bestEpoch)
        #expect(history.validationLoss[best] == history.validationLoss.min())
        #expect(history.stoppedEarly == (history.epochs < 40))
        #expect(history.epochs - 1 - best <= 3)
        let again = TrainingTests.smallModel(seed: 2)
        _ = try again.fit(train, validation: validation, epochs: best + 1, optimizer: Adam(learningRate: 0.05))
        #expect(model.weights == again.weights)
    }

    @Test func evaluateCoversEverySourceExampleInOrder() throws {
        let (_, validation) = Self.sources()
        let model = TrainingTests.smallModel(seed: 1)
        let result = try model.evaluate(validation)
        #expect(result.labels == Sequential.argmaxRows(validation.targets))
        #expect(result.logits == model.predict(validation.x, batchSize: 5))
        let loss = SoftmaxCrossEntropy.loss(logits: result.logits, targets: validation.targets)
        #expect(abs(result.loss - loss) < 1e-6)
    }

    /// A batch source error (a damaged record) stops training with that error.
    @Test func sourceErrorsReachTheCaller() {
        struct Broken: BatchSource {
            struct Damaged: Error {}
            var exampleCount: Int { 8 }
            func batchCount(epoch: Int) -> Int { 2 }
            func batch(_ index: Int, epoch: Int) throws -> Batch {
                if index == 1 { throw Damaged() }
                return Batch(x: Tensor(shape: [4, 12, 1]), targets: Tensor.oneHot([0, 1, 0, 1], classes: 2))
            }
        }
        #expect(throws: Broken.Damaged.self) {
            _ = try TrainingTests.smallModel(seed: 1).fit(Broken(), epochs: 1, optimizer: Adam())
        }
    }

    /// The article's layer stack (shorter input, so that the test stays fast) memorizes 16
    /// clips of noise with random labels: the network can learn, and the loop feeds it right.
    @Test func articleStackOverfitsATinySet() throws {
        var generator = SplitMix64(seed: 30)
        let x = Tensor(shape: [16, 400, 1], values: (0..<6400).map { _ in 2 * generator.nextUnitFloat() - 1 })
        let labels = (0..<16).map { $0 % 4 }
        let y = Tensor.oneHot(labels, classes: 4)
        let model = Sequential(inputShape: [400, 1], layers: [
            Conv1D(128, 3, activation: .relu), MaxPooling1D(), Conv1D(64, 3, activation: .relu), MaxPooling1D(),
            Flatten(), Dense(100, activation: .relu), Dropout(0.5), Dense(20, activation: .relu), Dropout(0.5),
            Dense(4),
        ], seed: 8)
        let history = try model.fit(TensorBatches(x: x, targets: y, batchSize: 8, seed: 1), epochs: 80,
                                    optimizer: Adam())
        let predicted = Sequential.argmaxRows(model.predict(x))
        #expect(predicted == labels, "final training loss \(history.loss.last!)")
    }
}

/// Weights through a TensorFlow checkpoint: Keras's own, and ours back into a fresh model.
@Suite struct CheckpointTests {
    struct Fixture: Decodable {
        struct Variable: Decodable { var name: String; var shape: [Int] }
        var input_shape: [Int]
        var input: [Float]
        var logits: [Float]
        var variables: [Variable]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.url(forResource: "keras_checkpoint", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    static func model(seed: UInt64 = 0) -> Sequential {
        Sequential(inputShape: [40, 1], layers: [
            Conv1D(12, 3, activation: .relu), MaxPooling1D(), Conv1D(8, 3, activation: .relu), MaxPooling1D(),
            Flatten(), Dense(6, activation: .relu), Dropout(0.5), Dense(3),
        ], seed: seed)
    }

    @Test func namesAndShapesAreKeras3s() {
        let model = Self.model()
        let ours = Dictionary(uniqueKeysWithValues: zip(model.checkpointNames, model.parameters.map(\.value.shape)))
        let keras = Dictionary(uniqueKeysWithValues: Self.fixture.variables.map { ($0.name, $0.shape) })
        #expect(ours == keras)
    }

    /// Keras 3 wrote the checkpoint (`make_checkpoint_fixture.py`); read by name, its weights
    /// give Keras's logits. The second convolution (K·C = 36) runs the im2col path.
    @Test func kerasCheckpointGivesKerasLogits() throws {
        let model = Self.model()
        let prefix = Bundle.module.url(forResource: "model", withExtension: "index", subdirectory: "Fixtures/keras_checkpoint")!
            .deletingPathExtension().path
        try model.loadWeights(prefix: prefix)
        let logits = model.forward(Tensor(shape: Self.fixture.input_shape, values: Self.fixture.input), training: false)
        // Logits of order 1 after four layers of float32 sums in another order: 1e-4 (the
        // issue's bound) is ~100 ulps of headroom.
        #expect(maxAbsoluteError(logits.values, Self.fixture.logits) < 1e-4)
    }

    @Test func savedWeightsReloadToIdenticalPredictions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("neural-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let trained = Self.model(seed: 5)
        let (x, _) = (randomTensor([6, 40, 1], seed: 50), ())
        let y = Tensor.oneHot([0, 1, 2, 0, 1, 2], classes: 3)
        _ = trained.fit(x, targets: y, batchSize: 3, epochs: 2, optimizer: Adam())
        let prefix = folder.appendingPathComponent("model").path
        try trained.saveWeights(prefix: prefix)
        let fresh = Self.model(seed: 99)
        try fresh.loadWeights(prefix: prefix)
        #expect(fresh.weights == trained.weights)
        #expect(fresh.predict(x) == trained.predict(x))
    }
}
