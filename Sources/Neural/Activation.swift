// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

/// The activation a `Dense` or `Conv1D` layer applies to its output, as Keras's
/// `activation=` argument: fused into the layer, so the summary shows one row.
public enum Activation: String, Sendable {
    /// The identity (Keras's default, `None` / `"linear"`).
    case linear
    /// max(0, x).
    case relu

    /// Applies the activation to `values` in place.
    func apply(_ values: inout [Float]) {
        guard self == .relu else { return }
        values.withUnsafeMutableBufferPointer { v in
            for i in v.indices where v[i] < 0 { v[i] = 0 }
        }
    }

    /// Turns d(loss)/d(output) into d(loss)/d(pre-activation) in place, from the activation's
    /// `output`.
    ///
    /// For ReLU the derivative is 1 where the output is positive and 0 elsewhere, including at
    /// 0 itself, as TensorFlow's `ReluGrad` (`gradients * (features > 0)`).
    func backward(_ gradient: inout [Float], output: [Float]) {
        guard self == .relu else { return }
        precondition(gradient.count == output.count, "gradient and output differ in size")
        gradient.withUnsafeMutableBufferPointer { g in
            output.withUnsafeBufferPointer { y in
                for i in g.indices where y[i] <= 0 { g[i] = 0 }
            }
        }
    }
}

/// A standalone ReLU layer, Keras's `layers.ReLU()`: y = max(0, x), any shape.
public final class ReLU: Layer {
    public let typeName = "ReLU"
    public let nameStem = "re_lu"
    public var name = "re_lu"
    private var output: [Float] = []

    public init() {}

    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] { inputShape }

    /// y = max(0, x), elementwise; any shape.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = x
        Activation.relu.apply(&y.values)
        output = y.values
        return y
    }

    /// dx = dy where y > 0, else 0.
    public func backward(_ dy: Tensor) -> Tensor {
        var dx = dy
        Activation.relu.backward(&dx.values, output: output)
        return dx
    }
}
