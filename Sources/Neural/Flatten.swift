// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// Keras's `layers.Flatten()`: [N, d1, d2, ...] → [N, d1·d2·...], keeping row-major order,
/// so a channels-last [N, L, C] becomes [N, L·C] with the channel varying fastest.
public final class Flatten: Layer {
    public let typeName = "Flatten"
    public let nameStem = "flatten"
    public var name = "flatten"
    private var inputShape: [Int] = []

    public init() {}

    /// Builds for any input shape; output [product of the shape].
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        [inputShape.reduce(1, *)]
    }

    /// The same values as [N, rest].
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return x.reshaped([x.batch, x.count / max(x.batch, 1)])
    }

    /// The same gradient values under the input's shape.
    public func backward(_ dy: Tensor) -> Tensor { dy.reshaped(inputShape) }
}
