// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import CBLAS

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

    private var input = Tensor(shape: [0, 0])
    private var output: [Float] = []

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
        var y = [Float](repeating: 0, count: n * d)
        for row in 0..<n {
            for j in 0..<d { y[row * d + j] = bias.value.values[j] }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(dIn),
                    1, x.values, Int32(dIn), kernel.value.values, Int32(d), 1, &y, Int32(d))
        activation.apply(&y)
        input = x
        output = y
        return Tensor(shape: [n, d], values: y)
    }

    /// With g = dy through the activation, [N, D]:
    /// dW [D_in, D] = xᵀ g, db [D] = Σ_n g, dx [N, D_in] = g Wᵀ.
    public func backward(_ dy: Tensor) -> Tensor {
        let n = input.batch, dIn = kernel.value.shape[0], d = units
        precondition(dy.shape == [n, d], "Dense backward expects [N, \(d)], got \(dy.shape)")
        var g = dy.values
        activation.backward(&g, output: output)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dIn), Int32(d), Int32(n),
                    1, input.values, Int32(dIn), g, Int32(d), 0, &kernel.gradient.values, Int32(d))
        columnSums(g, rows: n, columns: d, into: &bias.gradient.values)
        var dx = [Float](repeating: 0, count: n * dIn)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(dIn), Int32(d),
                    1, g, Int32(d), kernel.value.values, Int32(d), 0, &dx, Int32(dIn))
        return Tensor(shape: [n, dIn], values: dx)
    }
}

/// Sums of the columns of a row-major [rows, columns] matrix, as ones[rows]ᵀ · M with SGEMV:
/// the bias gradient of `Dense` and `Conv1D`.
func columnSums(_ matrix: [Float], rows: Int, columns: Int, into sums: inout [Float]) {
    let ones = [Float](repeating: 1, count: rows)
    cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns),
                1, matrix, Int32(columns), ones, 1, 0, &sums, 1)
}
