// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Dispatch

/// Loss and accuracy per epoch, as Keras's `History.history`: `loss`, `accuracy`, and with a
/// validation source `val_loss`, `val_accuracy`.
public struct History: Sendable, Equatable {
    /// The mean training loss of each epoch, weighted by batch size.
    public var loss: [Float] = []
    /// The fraction of training examples whose largest logit was their class, per epoch.
    public var accuracy: [Float] = []
    /// The mean loss on the validation source after each epoch (inference mode); empty without one.
    public var validationLoss: [Float] = []
    /// The validation accuracy after each epoch; empty without a validation source.
    public var validationAccuracy: [Float] = []
    /// With early stopping, the epoch (0-based) whose weights the model holds at the end: the
    /// one with the lowest validation loss. Nil without early stopping.
    public var bestEpoch: Int?
    /// True when early stopping ended training before the last epoch.
    public var stoppedEarly = false

    public init() {}

    /// The number of epochs trained.
    public var epochs: Int { loss.count }
}

/// The loss, accuracy and logits of a model on every example of a source.
public struct Evaluation: Sendable {
    /// Mean softmax cross-entropy.
    public var loss: Float
    /// Fraction classified right.
    public var accuracy: Float
    /// Logits [M, classes], in the source's order.
    public var logits: Tensor
    /// The class of each example (the largest entry of its target row).
    public var labels: [Int]
}

extension Sequential {
    /// One optimizer step on one batch: forward in training mode, softmax cross-entropy,
    /// backward, Adam.
    /// - Parameters:
    ///   - x: [N] + `inputShape`.
    ///   - targets: one-hot [N, classes].
    ///   - optimizer: updates every parameter.
    /// - Returns: the batch's mean loss and how many of its N examples were classified right.
    @discardableResult
    public func trainStep(_ x: Tensor, targets: Tensor, optimizer: Adam) -> (loss: Float, correct: Int) {
        let logits = forward(x, training: true)
        let (loss, gradient) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, targets: targets)
        backwardParameters(gradient)
        optimizer.step(parameters)
        return (loss, Sequential.correctCount(logits: logits, targets: targets))
    }

    /// Trains on in-memory examples for `epochs` epochs, shuffled each epoch by `seed`.
    /// - Parameters:
    ///   - x: all examples, [M] + `inputShape`.
    ///   - targets: one-hot [M, classes].
    ///   - batchSize: examples per step; the last batch of an epoch may be smaller.
    ///   - epochs: passes over the data.
    ///   - optimizer: updates every parameter after each batch.
    ///   - seed: fixes the order of examples in every epoch.
    public func fit(_ x: Tensor, targets: Tensor, batchSize: Int = 32, epochs: Int,
                    optimizer: Adam, seed: UInt64 = 0) -> History {
        let source = TensorBatches(x: x, targets: targets, batchSize: batchSize, seed: seed)
        // An in-memory source cannot throw.
        return try! fit(source, epochs: epochs, optimizer: optimizer)
    }

    /// Keras's `model.fit(train, validation_data=validation, epochs=...)`, with its
    /// `EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)` when
    /// `patience` > 0.
    ///
    /// Each epoch takes every batch of `train` in order (the source shuffles), one Adam step per
    /// batch, while the next batch is prepared on another thread; then the model is evaluated
    /// on `validation` in inference mode. With early stopping, training ends once the
    /// validation loss has not gone below its best for `patience` epochs, and the weights of
    /// the best epoch are restored at the end. The same model seed and source seed give the
    /// same history, bit for bit, on the same machine.
    /// - Parameters:
    ///   - train: the training batches.
    ///   - validation: evaluated after every epoch; required for early stopping.
    ///   - epochs: the most epochs to train.
    ///   - optimizer: updates every parameter after each batch.
    ///   - patience: epochs without improvement before stopping; 0 trains every epoch.
    ///   - progress: called after each epoch with the epoch (0-based) and the history so far.
    /// - Throws: what the sources throw.
    public func fit(_ train: some BatchSource, validation: (any BatchSource)? = nil, epochs: Int,
                    optimizer: Adam, patience: Int = 0,
                    progress: (Int, History) -> Void = { _, _ in }) throws -> History {
        precondition(patience == 0 || validation != nil, "early stopping needs a validation source")
        var history = History()
        var best: (loss: Float, weights: [[Float]])?
        var wait = 0
        for epoch in 0..<epochs {
            var lossSum = 0.0, correct = 0, seen = 0
            try forEachBatch(of: train, epoch: epoch) { batch in
                let result = trainStep(batch.x, targets: batch.targets, optimizer: optimizer)
                lossSum += Double(result.loss) * Double(batch.x.batch)
                correct += result.correct
                seen += batch.x.batch
            }
            history.loss.append(Float(lossSum / Double(max(seen, 1))))
            history.accuracy.append(Float(correct) / Float(max(seen, 1)))
            if let validation {
                let result = try evaluate(validation)
                history.validationLoss.append(result.loss)
                history.validationAccuracy.append(result.accuracy)
                if patience > 0 {
                    wait += 1
                    if best == nil || result.loss < best!.loss {
                        best = (result.loss, weights)
                        history.bestEpoch = epoch
                        wait = 0
                    }
                }
            }
            progress(epoch, history)
            if patience > 0 && wait >= patience && epoch > 0 && epoch < epochs - 1 {
                history.stoppedEarly = true
                break
            }
        }
        if let best { setWeights(best.weights) }
        return history
    }

    /// Loss, accuracy and logits on every example of `source` (epoch 0's batches, in order),
    /// in inference mode: Keras's `model.evaluate` and `model.predict` in one pass.
    public func evaluate(_ source: any BatchSource) throws -> Evaluation {
        var lossSum = 0.0, correct = 0, logits: [Float] = [], labels: [Int] = []
        var classes = 0
        try forEachBatch(of: source, epoch: 0) { batch in
            let z = forward(batch.x, training: false)
            classes = z.shape[1]
            lossSum += Double(SoftmaxCrossEntropy.loss(logits: z, targets: batch.targets)) * Double(z.batch)
            correct += Sequential.correctCount(logits: z, targets: batch.targets)
            logits += z.values
            labels += Sequential.argmaxRows(batch.targets)
        }
        let m = labels.count
        return Evaluation(loss: Float(lossSum / Double(max(m, 1))), accuracy: Float(correct) / Float(max(m, 1)),
                          logits: Tensor(shape: [m, classes], values: logits), labels: labels)
    }

    /// The logits for `x` [M] + `inputShape`, `batchSize` examples at a time, in inference mode.
    public func predict(_ x: Tensor, batchSize: Int = 32) -> Tensor {
        let m = x.batch, row = x.count / max(m, 1)
        var logits: [Float] = [], classes = 0
        for start in stride(from: 0, to: m, by: batchSize) {
            let end = min(start + batchSize, m)
            let z = forward(Tensor(shape: [end - start] + inputShape,
                                   values: Array(x.values[(start * row)..<(end * row)])), training: false)
            classes = z.shape[1]
            logits += z.values
        }
        return Tensor(shape: [m, classes], values: logits)
    }

    /// Runs `body` on every batch of one epoch of `source`, in order, while a background
    /// thread makes the next batch (reading and decoding overlap the arithmetic).
    func forEachBatch(of source: any BatchSource, epoch: Int, _ body: (Batch) throws -> Void) throws {
        let count = source.batchCount(epoch: epoch)
        guard count > 0 else { return }
        let queue = DispatchQueue(label: "genre-lab.neural.prefetch")
        func prepare(_ index: Int) -> (Slot, DispatchGroup) {
            let slot = Slot(), group = DispatchGroup()
            queue.async(group: group) { slot.result = Result { try source.batch(index, epoch: epoch) } }
            return (slot, group)
        }
        var pending = prepare(0)
        for index in 0..<count {
            pending.1.wait()
            let batch = try pending.0.result!.get()
            if index + 1 < count { pending = prepare(index + 1) }
            try body(batch)
        }
    }

    /// The values of every parameter, in `parameters` order: a snapshot to restore.
    public var weights: [[Float]] { parameters.map(\.value.values) }

    /// Sets every parameter from a snapshot taken by `weights` (same model).
    public func setWeights(_ snapshot: [[Float]]) {
        let parameters = self.parameters
        precondition(snapshot.count == parameters.count, "\(snapshot.count) arrays for \(parameters.count) parameters")
        for (parameter, values) in zip(parameters, snapshot) {
            precondition(values.count == parameter.value.count, "\(values.count) values for \(parameter.name) \(parameter.value.shape)")
            parameter.value.values = values
        }
    }

    /// How many rows of `logits` [N, D] have their largest value at the target's class
    /// (the largest entry of the matching row of `targets`), as Keras's categorical accuracy.
    public static func correctCount(logits: Tensor, targets: Tensor) -> Int {
        precondition(logits.shape == targets.shape && logits.shape.count == 2, "logits and targets must be [N, D]")
        return zip(argmaxRows(logits), argmaxRows(targets)).filter { $0 == $1 }.count
    }

    /// The index of the largest value of each row of a [N, D] tensor (the first of a tie).
    public static func argmaxRows(_ t: Tensor) -> [Int] {
        precondition(t.shape.count == 2, "argmaxRows expects [N, D], got \(t.shape)")
        let n = t.shape[0], d = t.shape[1]
        return (0..<n).map { row in
            var best = 0
            for j in 1..<max(d, 1) where t.values[row * d + j] > t.values[row * d + best] { best = j }
            return best
        }
    }
}

/// A batch being made on the prefetch thread; read only after its group is waited on.
private final class Slot: @unchecked Sendable {
    var result: Result<Batch, any Error>?
}
