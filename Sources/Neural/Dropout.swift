// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// Inverted dropout, Keras's `layers.Dropout(rate)`: in training each value is kept with
/// probability 1 - rate and scaled by 1 / (1 - rate), so that its expectation is unchanged;
/// at inference it is the identity.
///
/// Srivastava et al., "Dropout: a simple way to prevent neural networks from overfitting",
/// JMLR 2014. The masks come from a SplitMix64 seeded at `build` from the model's generator,
/// so a model seed fixes them; they differ from Keras's, which no test compares.
public final class Dropout: Layer {
    public let typeName = "Dropout"
    public let nameStem = "dropout"
    public var name = "dropout"
    /// The probability of dropping each value, in [0, 1).
    public let rate: Float

    private var generator = SplitMix64(seed: 0)
    private var mask: [Float] = []

    /// Dropout with probability `rate`.
    public init(_ rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
    }

    /// Builds for any input shape, which it keeps; seeds the mask generator.
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        self.generator = SplitMix64(seed: generator.next())
        return inputShape
    }

    /// Training: y = x · m with m = 1 / (1 - rate) where a uniform draw ≥ rate, else 0.
    /// Inference: y = x.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else {
            mask = []
            return x
        }
        let scale = 1 / (1 - rate)
        mask = (0..<x.count).map { _ in generator.nextUnitFloat() >= rate ? scale : 0 }
        var y = x
        for i in y.values.indices { y.values[i] *= mask[i] }
        return y
    }

    /// dx = dy · m, the same mask as the forward pass (identity after an inference pass).
    public func backward(_ dy: Tensor) -> Tensor {
        guard !mask.isEmpty else { return dy }
        var dx = dy
        for i in dx.values.indices { dx.values[i] *= mask[i] }
        return dx
    }
}
