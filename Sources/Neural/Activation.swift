// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

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
        values.withUnsafeMutableBufferPointer { apply($0) }
    }

    /// Applies the activation in place, in blocks spread over the cores (element-wise, so
    /// the result does not depend on the split).
    func apply(_ values: UnsafeMutableBufferPointer<Float>, split: Bool = true) {
        guard self == .relu, let base = values.baseAddress else { return }
        let count = values.count
        let blocks = !split || count < 1 << 16 ? 1 : Gemm.parts
        parallelFor(blocks) { block in
            let first = count * block / blocks, last = count * (block + 1) / blocks
            for i in first..<last { base[i] = base[i] < 0 ? 0 : base[i] }
        }
    }

    /// Turns d(loss)/d(output) into d(loss)/d(pre-activation) in place, from the activation's
    /// `output`.
    ///
    /// For ReLU the derivative is 1 where the output is positive and 0 elsewhere, including at
    /// 0 itself, as TensorFlow's `ReluGrad` (`gradients * (features > 0)`).
    func backward(_ gradient: inout [Float], output: [Float]) {
        guard self == .relu else { return }
        let copy = gradient
        backward(copy, output: output, into: &gradient)
    }

    /// g = d(loss)/d(pre-activation) from `dy` = d(loss)/d(output) and the `output`, written
    /// into `g` (same count), in blocks spread over the cores.
    func backward(_ dy: [Float], output: [Float], into g: inout [Float]) {
        precondition(dy.count == output.count && g.count == dy.count, "gradient and output differ in size")
        let count = dy.count, relu = self == .relu
        let blocks = count < 1 << 16 ? 1 : Gemm.parts
        dy.withUnsafeBufferPointer { ds in
            output.withUnsafeBufferPointer { ys in
                g.withUnsafeMutableBufferPointer { gs in
                    guard let d = ds.baseAddress, let y = ys.baseAddress, let out = gs.baseAddress else { return }
                    parallelFor(blocks) { block in
                        let first = count * block / blocks, last = count * (block + 1) / blocks
                        if relu {
                            for i in first..<last { out[i] = y[i] > 0 ? d[i] : 0 }
                        } else {
                            for i in first..<last { out[i] = d[i] }
                        }
                    }
                }
            }
        }
    }
}

/// A standalone ReLU layer, Keras's `layers.ReLU(max_value=)`: y = max(0, x), capped at
/// `maxValue` when there is one (6 for MobileNetV2's ReLU6), any shape.
public final class ReLU: Layer {
    public let typeName = "ReLU"
    public let nameStem = "re_lu"
    public var name = "re_lu"
    /// The cap (Keras: `max_value`); nil for none.
    public let maxValue: Float?
    private var output: [Float] = []

    public init(maxValue: Float? = nil) { self.maxValue = maxValue }

    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] { inputShape }

    /// y = min(max(0, x), maxValue), elementwise; any shape.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = x
        Activation.relu.apply(&y.values)
        if let maxValue { for i in y.values.indices { y.values[i] = min(y.values[i], maxValue) } }
        output = y.values
        return y
    }

    /// dx = dy where 0 < y < maxValue, else 0 (TF's `Relu6Grad`: `gradients * (features > 0) * (features < 6)`).
    public func backward(_ dy: Tensor) -> Tensor {
        var dx = dy
        Activation.relu.backward(&dx.values, output: output)
        if let maxValue { for i in dx.values.indices where output[i] >= maxValue { dx.values[i] = 0 } }
        return dx
    }
}
