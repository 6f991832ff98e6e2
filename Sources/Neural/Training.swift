// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

/// Loss and accuracy per epoch, as Keras's `History.history["loss"]` and `["accuracy"]`.
public struct History: Sendable {
    /// The mean training loss of each epoch, weighted by batch size.
    public var loss: [Float] = []
    /// The fraction of training examples whose largest logit was their class, per epoch.
    public var accuracy: [Float] = []
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
        backward(gradient)
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
        let m = x.batch, rowX = x.count / max(m, 1), rowY = targets.count / max(m, 1)
        precondition(targets.batch == m, "\(m) examples but \(targets.batch) targets")
        precondition(batchSize > 0, "batch size must be positive")
        var generator = SplitMix64(seed: seed)
        var history = History()
        var order = Array(0..<m)
        for _ in 0..<epochs {
            order.shuffle(using: &generator)
            var lossSum = 0.0, correct = 0
            for start in stride(from: 0, to: m, by: batchSize) {
                let rows = order[start..<min(start + batchSize, m)]
                var xs: [Float] = [], ys: [Float] = []
                xs.reserveCapacity(rows.count * rowX)
                ys.reserveCapacity(rows.count * rowY)
                for row in rows {
                    xs += x.values[(row * rowX)..<((row + 1) * rowX)]
                    ys += targets.values[(row * rowY)..<((row + 1) * rowY)]
                }
                let batch = trainStep(Tensor(shape: [rows.count] + Array(x.shape.dropFirst()), values: xs),
                                      targets: Tensor(shape: [rows.count, rowY], values: ys),
                                      optimizer: optimizer)
                lossSum += Double(batch.loss) * Double(rows.count)
                correct += batch.correct
            }
            history.loss.append(Float(lossSum / Double(max(m, 1))))
            history.accuracy.append(Float(correct) / Float(max(m, 1)))
        }
        return history
    }

    /// How many rows of `logits` [N, D] have their largest value at the target's class
    /// (the largest entry of the matching row of `targets`), as Keras's categorical accuracy.
    public static func correctCount(logits: Tensor, targets: Tensor) -> Int {
        precondition(logits.shape == targets.shape && logits.shape.count == 2, "logits and targets must be [N, D]")
        let n = logits.shape[0], d = logits.shape[1]
        func argmax(_ values: [Float], _ row: Int) -> Int {
            var best = 0
            for j in 1..<max(d, 1) where values[row * d + j] > values[row * d + best] { best = j }
            return best
        }
        return (0..<n).filter { argmax(logits.values, $0) == argmax(targets.values, $0) }.count
    }
}
