// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// A stack of layers, each feeding the next: Keras's `keras.Sequential`.
///
/// Built at once for one example's input shape (Keras's `keras.Input(shape)`, without N):
/// each layer allocates its parameters from one SplitMix64 seeded by `seed`, in order, so a
/// seed fixes every initial weight and dropout mask. Layers are named as Keras names them in a
/// fresh session: `conv1d`, `conv1d_1`, `dense`, `dense_1`, ...
public final class Sequential {
    /// The layers, first to last.
    public let layers: [any Layer]
    /// One example's input shape, e.g. [L, C].
    public let inputShape: [Int]
    /// One example's output shape after each layer.
    public let outputShapes: [[Int]]

    /// Builds `layers` for inputs of one example's shape `inputShape`.
    /// - Parameters:
    ///   - inputShape: e.g. [10000, 1] for mono clips of 10 000 samples.
    ///   - layers: the layers, first to last; each instance may belong to one model only.
    ///   - seed: fixes the initial weights and the dropout masks.
    public init(inputShape: [Int], layers: [any Layer], seed: UInt64 = 0) {
        var generator = SplitMix64(seed: seed)
        var shape = inputShape
        var shapes: [[Int]] = []
        var used: [String: Int] = [:]
        for layer in layers {
            let index = used[layer.nameStem, default: 0]
            used[layer.nameStem] = index + 1
            layer.name = index == 0 ? layer.nameStem : "\(layer.nameStem)_\(index)"
            shape = layer.build(inputShape: shape, generator: &generator)
            shapes.append(shape)
        }
        self.layers = layers
        self.inputShape = inputShape
        outputShapes = shapes
    }

    /// Every trainable parameter, layer by layer, in Keras's `trainable_variables` order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The number of trainable values in each layer, by layer name.
    public var parameterCounts: [(name: String, count: Int)] { layers.map { ($0.name, $0.parameterCount) } }

    /// The total number of trainable values.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// The logits for a batch.
    /// - Parameters:
    ///   - x: [N] + `inputShape`.
    ///   - training: true while fitting (dropout active), false for inference.
    /// - Returns: [N] + the last output shape.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(Array(x.shape.dropFirst()) == inputShape,
                     "model expects [N] + \(inputShape), got \(x.shape)")
        return layers.reduce(x) { $1.forward($0, training: training) }
    }

    /// Back-propagates d(loss)/d(output) through every layer, last to first, storing each
    /// parameter's gradient; returns d(loss)/d(input), [N] + `inputShape`.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor {
        layers.reversed().reduce(dy) { $1.backward($0) }
    }

    /// Back-propagates d(loss)/d(output) to every parameter, as `backward`, without the
    /// gradient of the input (the first layer skips it): what a training step needs.
    public func backwardParameters(_ dy: Tensor) {
        guard let first = layers.first else { return }
        first.backwardParameters(layers.dropFirst().reversed().reduce(dy) { $1.backward($0) })
    }
}
