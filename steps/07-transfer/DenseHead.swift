import Foundation
import GenreKit
import Neural
import TensorBundle

/// The examples of one split as the head sees them: one embedding row per clip.
struct EmbeddedSplit {
    var trackIDs: [Int] = []
    var labels: [Int] = []
    /// Rows of `dimension` values, row-major.
    var values: [Float] = []

    var count: Int { trackIDs.count }

    mutating func append(_ trackID: Int, label: Int, embedding: [Float]) {
        trackIDs.append(trackID)
        labels.append(label)
        values += embedding
    }

    func tensor(dimension: Int) -> Tensor { Tensor(shape: [count, dimension], values: values) }
}

/// The classifier trained on a frozen base network's embeddings, as the article's Keras head:
/// Dense(hidden, ReLU), Dropout, Dense(classes) on logits, softmax cross-entropy, Adam.
///
/// The embeddings are standardized first with the training split's mean and deviation per
/// dimension (stored with the weights): MobileNetV2's lie in [0, 6] and musicnn's on other
/// scales, and a standardized input lets one learning rate suit both.
struct DenseHead {
    let model: Sequential
    let mean: [Float]
    let deviation: [Float]

    init(dimension: Int, hiddenUnits: Int, dropout: Float, classes: Int, train: EmbeddedSplit, seed: UInt64) {
        model = Sequential(inputShape: [dimension], layers: [
            Dense(hiddenUnits, activation: .relu), Dropout(dropout), Dense(classes),
        ], seed: seed)
        var sums = [Double](repeating: 0, count: dimension), squares = sums
        for row in 0..<train.count {
            for j in 0..<dimension {
                let v = Double(train.values[row * dimension + j])
                sums[j] += v
                squares[j] += v * v
            }
        }
        let n = Double(max(train.count, 1))
        mean = sums.map { Float($0 / n) }
        deviation = (0..<dimension).map { j in
            let variance = max(squares[j] / n - (sums[j] / n) * (sums[j] / n), 0)
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
    }

    /// (x - mean) / deviation, per dimension.
    func standardized(_ split: EmbeddedSplit) -> Tensor {
        let d = mean.count
        var values = split.values
        for i in values.indices { values[i] = (values[i] - mean[i % d]) / deviation[i % d] }
        return Tensor(shape: [split.count, d], values: values)
    }

    struct Fit {
        var history = TrainingHistory()
        /// The epoch (from 1) whose weights were kept, and the last epoch trained.
        var bestEpoch = 0
        var lastEpoch = 0
    }

    /// Trains on `train`, validating after every epoch, with Neural's loop: Keras's
    /// `fit(..., validation_data=...)` with `EarlyStopping(monitor="val_loss", patience,
    /// restore_best_weights=True)` when `patience` > 0 (0 trains every epoch and keeps the last).
    func fit(train: EmbeddedSplit, validation: EmbeddedSplit, classes: Int, epochs: Int, patience: Int,
             batchSize: Int, learningRate: Float, seed: UInt64, report: (Int, TrainingHistory) -> Void) throws -> Fit {
        let batches = TensorBatches(x: standardized(train), targets: Tensor.oneHot(train.labels, classes: classes),
                                    batchSize: batchSize, seed: seed)
        let validationBatches = TensorBatches(x: standardized(validation),
                                              targets: Tensor.oneHot(validation.labels, classes: classes),
                                              batchSize: batchSize, shuffle: false)
        func converted(_ history: History) -> TrainingHistory {
            var out = TrainingHistory()
            for e in 0..<history.epochs {
                out.append(loss: Double(history.loss[e]), accuracy: Double(history.accuracy[e]),
                           validationLoss: Double(history.validationLoss[e]),
                           validationAccuracy: Double(history.validationAccuracy[e]))
            }
            return out
        }
        let history = try model.fit(batches, validation: validationBatches, epochs: max(epochs, 1),
                                    optimizer: Adam(learningRate: learningRate), patience: patience) { epoch, history in
            report(epoch + 1, converted(history))
        }
        var fit = Fit()
        fit.history = converted(history)
        fit.lastEpoch = history.epochs
        fit.bestEpoch = history.bestEpoch.map { $0 + 1 } ?? history.epochs
        return fit
    }

    /// The predicted class of each row.
    func predict(_ split: EmbeddedSplit) -> [Int] {
        let logits = model.forward(standardized(split), training: false)
        let d = logits.shape[1]
        return (0..<split.count).map { row in
            var best = 0
            for j in 1..<d where logits.values[row * d + j] > logits.values[row * d + best] { best = j }
            return best
        }
    }

    /// The head as a TensorFlow checkpoint: `standardize/mean`, `standardize/deviation` (the
    /// names `TransferHead`, genre-predict's reader, looks for), and each layer's `kernel` and
    /// `bias` under its Keras name (`dense/kernel`, `dense_1/bias`).
    func write(prefix: String) throws {
        var writer = TensorBundleWriter()
        writer.add(TransferHead.meanTensor, shape: [mean.count], values: mean)
        writer.add(TransferHead.deviationTensor, shape: [deviation.count], values: deviation)
        for layer in model.layers {
            for parameter in layer.parameters {
                writer.add("\(layer.name)/\(parameter.name)", shape: parameter.value.shape, values: parameter.value.values)
            }
        }
        try writer.write(prefix: prefix)
    }
}
