// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import CBLAS
import Seeded

/// A fully connected layer, Keras's `layers.Dense(D, activation:)`: y = act(x W + b).
///
/// Shapes: input [N, D_in], kernel W [D_in, D] (Keras's layout), bias b [D], output [N, D].
/// Kernel initialized Glorot-uniform, bias zero, as Keras's defaults.
public final class Dense: Layer {
    public let typeName = "Dense"
    public let nameStem = "dense"
    public var name = "dense"
    /// D, the number of output units.
    public let units: Int
    /// The activation fused into the layer.
    public let activation: Activation
    /// W [D_in, D], once built.
    public private(set) var kernel: Parameter!
    /// b [D], once built.
    public private(set) var bias: Parameter!

    // What the backward pass needs from the last forward pass, and buffers kept for reuse.
    private var input = Tensor(shape: [0, 0])
    private var output: [Float] = []
    private var gradient: [Float] = []
    private var inputGradient: [Float] = []

    /// A dense layer of `units` outputs.
    public init(_ units: Int, activation: Activation = .linear) {
        precondition(units > 0, "Dense needs at least one unit")
        self.units = units
        self.activation = activation
    }

    public var parameters: [Parameter] { kernel.map { [$0, bias] } ?? [] }

    /// Builds for input [D_in]; output [D].
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        precondition(inputShape.count == 1, "Dense expects [D_in] per example, got \(inputShape); add Flatten")
        let dIn = inputShape[0]
        kernel = Parameter(name: "kernel", value: Tensor(
            shape: [dIn, units],
            values: GlorotUniform.values(count: dIn * units, fanIn: dIn, fanOut: units, generator: &generator)))
        bias = Parameter(name: "bias", value: Tensor(shape: [units]))
        return [units]
    }

    /// y [N, D] = act(x [N, D_in] · W [D_in, D] + b): one SGEMM with the bias broadcast
    /// into C first (beta = 1).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let n = x.batch, dIn = kernel.value.shape[0], d = units
        precondition(x.shape == [n, dIn], "Dense expects [N, \(dIn)], got \(x.shape)")
        var y = [Float].reusing(&output, count: n * d)
        x.values.withUnsafeBufferPointer { xs in
            kernel.value.values.withUnsafeBufferPointer { ws in
                bias.value.values.withUnsafeBufferPointer { bs in
                    y.withUnsafeMutableBufferPointer { ys in
                        for row in 0..<n { (ys.baseAddress! + row * d).update(from: bs.baseAddress!, count: d) }
                        Gemm.multiply(m: n, n: d, k: dIn, xs.baseAddress!, ws.baseAddress!, beta: 1, ys.baseAddress!)
                        activation.apply(ys)
                    }
                }
            }
        }
        input = x
        output = y
        return Tensor(shape: [n, d], values: y)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        backward(dy, inputGradient: true)!
    }

    public func backwardParameters(_ dy: Tensor) {
        _ = backward(dy, inputGradient: false)
    }

    /// With g = dy through the activation, [N, D]:
    /// dW [D_in, D] = xᵀ g, db [D] = Σ_n g, dx [N, D_in] = g Wᵀ (when the input needs it).
    private func backward(_ dy: Tensor, inputGradient needed: Bool) -> Tensor? {
        let n = input.batch, dIn = kernel.value.shape[0], d = units
        precondition(dy.shape == [n, d], "Dense backward expects [N, \(d)], got \(dy.shape)")
        gradient = .reusing(&gradient, count: n * d)
        activation.backward(dy.values, output: output, into: &gradient)
        var dx: [Float] = needed ? .reusing(&inputGradient, count: n * dIn) : []
        gradient.withUnsafeBufferPointer { gs in
            let g = gs.baseAddress!
            input.values.withUnsafeBufferPointer { xs in
                kernel.gradient.values.withUnsafeMutableBufferPointer { dws in
                    Gemm.multiply(transposeA: true, m: dIn, n: d, k: n, xs.baseAddress!, g, dws.baseAddress!)
                }
            }
            bias.gradient.values.withUnsafeMutableBufferPointer { dbs in
                columnSums(g, rows: n, columns: d, into: dbs.baseAddress!)
            }
            guard needed else { return }
            kernel.value.values.withUnsafeBufferPointer { ws in
                dx.withUnsafeMutableBufferPointer { dxs in
                    Gemm.multiply(transposeB: true, m: n, n: dIn, k: d, g, ws.baseAddress!, dxs.baseAddress!)
                }
            }
        }
        // The input is released so that the layer before can reuse its output buffer.
        input = Tensor(shape: [0, 0])
        guard needed else { return nil }
        inputGradient = dx
        return Tensor(shape: [n, dIn], values: dx)
    }
}

/// Sums of the columns of a row-major [rows, columns] matrix, in row order: the bias gradient
/// of `Dense` and `Conv1D`. One pass over the matrix, each column summed by the same thread
/// in the same order every time.
func columnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    sums.update(repeating: 0, count: columns)
    for row in 0..<rows {
        let values = matrix + row * columns
        for j in 0..<columns { sums[j] += values[j] }
    }
}
