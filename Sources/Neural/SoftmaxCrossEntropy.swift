// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Foundation

/// Softmax cross-entropy from logits, averaged over the batch: Keras's
/// `losses.CategoricalCrossentropy(from_logits=True)` with its default mean reduction.
///
///     loss = (1/N) Σ_n [ logsumexp(z_n) - Σ_j t[n, j] z[n, j] ]      (for Σ_j t[n, j] = 1)
///     d loss / d z[n, j] = (softmax(z_n)_j - t[n, j]) / N
///
/// Shapes: logits z and targets t [N, D] (t one-hot, or any rows summing to 1).
/// Numerically stable: the row maximum is subtracted before exponentiating (the
/// log-sum-exp trick), so large logits neither overflow nor lose the small terms; the sums
/// are kept in Double.
public enum SoftmaxCrossEntropy {
    /// The mean loss and its gradient with respect to the logits.
    /// - Parameters:
    ///   - logits: z [N, D].
    ///   - targets: t [N, D].
    /// - Returns: the loss and d loss / d z [N, D].
    public static func lossAndGradient(logits: Tensor, targets: Tensor) -> (loss: Float, gradient: Tensor) {
        precondition(logits.shape.count == 2 && logits.shape == targets.shape,
                     "logits \(logits.shape) and targets \(targets.shape) must both be [N, D]")
        let n = logits.shape[0], d = logits.shape[1]
        var gradient = [Float](repeating: 0, count: n * d)
        var total = 0.0
        for row in 0..<n {
            let z = logits.values[(row * d)..<(row * d + d)].map(Double.init)
            let t = targets.values[(row * d)..<(row * d + d)].map(Double.init)
            let peak = z.max() ?? 0
            let exps = z.map { exp($0 - peak) }
            let sum = exps.reduce(0, +)
            let logSumExp = peak + log(sum)
            let targetSum = t.reduce(0, +)
            for j in 0..<d {
                total += t[j] * (logSumExp - z[j])
                gradient[row * d + j] = Float((exps[j] / sum * targetSum - t[j]) / Double(n))
            }
        }
        return (Float(total / Double(max(n, 1))), Tensor(shape: [n, d], values: gradient))
    }

    /// The mean loss alone.
    public static func loss(logits: Tensor, targets: Tensor) -> Float {
        lossAndGradient(logits: logits, targets: targets).loss
    }
}
