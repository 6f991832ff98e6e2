// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import CBLAS

/// A 1-D convolution, Keras's `layers.Conv1D(F, K, activation:)` with its defaults: stride 1,
/// `padding="valid"`, no dilation. Like every deep-learning "convolution" it is a
/// cross-correlation (the kernel is not flipped):
///
///     y[n, l, f] = act(b[f] + Σ_k Σ_c x[n, l + k, c] · W[k, c, f])
///
/// Shapes: input [N, L, C], kernel W [K, C, F] (Keras's layout), bias b [F],
/// output [N, L - K + 1, F]. Kernel Glorot-uniform with fan_in = K·C, fan_out = K·F; bias zero.
///
/// Both passes go through im2col (Chellapilla, Puri and Simard, "High performance
/// convolutional neural networks for document processing", 2006): the K·C inputs under each
/// output position are laid out as one row of a matrix `col` [N·L', K·C], so the convolution
/// becomes one SGEMM, `col · W`. Channels-last makes each row a contiguous run of x, since
/// x[n, l..<l+K, 0..<C] is K·C consecutive values: im2col is one copy per output position.
public final class Conv1D: Layer {
    public let typeName = "Conv1D"
    public let nameStem = "conv1d"
    public var name = "conv1d"
    /// F, the number of filters (output channels).
    public let filters: Int
    /// K, the kernel size.
    public let kernelSize: Int
    /// The activation fused into the layer.
    public let activation: Activation
    /// W [K, C, F], once built.
    public private(set) var kernel: Parameter!
    /// b [F], once built.
    public private(set) var bias: Parameter!

    private var inputShape: [Int] = []
    // im2col of the last forward input [N·L', K·C]; after backward, its dcol.
    private var columns: [Float] = []
    private var output: [Float] = []

    /// A convolution of `filters` filters of width `kernelSize`.
    public init(_ filters: Int, _ kernelSize: Int, activation: Activation = .linear) {
        precondition(filters > 0 && kernelSize > 0, "Conv1D needs filters and a kernel size > 0")
        self.filters = filters
        self.kernelSize = kernelSize
        self.activation = activation
    }

    public var parameters: [Parameter] { kernel.map { [$0, bias] } ?? [] }

    /// Builds for input [L, C]; output [L - K + 1, F].
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        precondition(inputShape.count == 2, "Conv1D expects [L, C] per example, got \(inputShape)")
        let (l, c, k, f) = (inputShape[0], inputShape[1], kernelSize, filters)
        precondition(l >= k, "Conv1D: length \(l) is shorter than the kernel \(k)")
        kernel = Parameter(name: "kernel", value: Tensor(
            shape: [k, c, f],
            values: GlorotUniform.values(count: k * c * f, fanIn: k * c, fanOut: k * f, generator: &generator)))
        bias = Parameter(name: "bias", value: Tensor(shape: [f]))
        return [l - k + 1, f]
    }

    /// y [N, L', F] = act(col [N·L', K·C] · W [K·C, F] + b), L' = L - K + 1.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        precondition(x.shape.count == 3 && x.shape[2] == c, "Conv1D expects [N, L, \(c)], got \(x.shape)")
        let n = x.shape[0], l = x.shape[1], lOut = l - k + 1, kc = k * c
        precondition(lOut > 0, "Conv1D: length \(l) is shorter than the kernel \(k)")

        // im2col: row (n, l) of `col` is x[n, l..<l+K, :], K·C consecutive values. The buffer
        // is kept between calls: for the article's second layer it is 245 MB a batch of 32,
        // and fresh pages cost more than the copy.
        if columns.count != n * lOut * kc { columns = [Float](repeating: 0, count: n * lOut * kc) }
        x.values.withUnsafeBufferPointer { xs in
            columns.withUnsafeMutableBufferPointer { cs in
                let xBase = xs.baseAddress!, cBase = cs.baseAddress!
                parallelFor(n) { item in
                    for position in 0..<lOut {
                        (cBase + (item * lOut + position) * kc)
                            .update(from: xBase + (item * l + position) * c, count: kc)
                    }
                }
            }
        }

        var y = [Float](repeating: 0, count: n * lOut * f)
        let b = bias.value.values
        for row in 0..<(n * lOut) {
            for j in 0..<f { y[row * f + j] = b[j] }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n * lOut), Int32(f), Int32(kc),
                    1, columns, Int32(kc), kernel.value.values, Int32(f), 1, &y, Int32(f))
        activation.apply(&y)
        inputShape = x.shape
        output = y
        return Tensor(shape: [n, lOut, f], values: y)
    }

    /// With g = dy through the activation, [N·L', F]:
    /// dW [K·C, F] = colᵀ g, db [F] = Σ_rows g, dcol [N·L', K·C] = g Wᵀ, and col2im adds each
    /// row of dcol back onto the K·C inputs it was copied from.
    public func backward(_ dy: Tensor) -> Tensor {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        let n = inputShape[0], l = inputShape[1], lOut = l - k + 1, kc = k * c, rows = n * lOut
        precondition(dy.shape == [n, lOut, f], "Conv1D backward expects [\(n), \(lOut), \(f)], got \(dy.shape)")
        var g = dy.values
        activation.backward(&g, output: output)

        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(kc), Int32(f), Int32(rows),
                    1, columns, Int32(kc), g, Int32(f), 0, &kernel.gradient.values, Int32(f))
        columnSums(g, rows: rows, columns: f, into: &bias.gradient.values)
        // dcol reuses the columns' buffer, which the forward pass no longer needs once dW is
        // computed (a new forward pass rewrites it).
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(kc), Int32(f),
                    1, g, Int32(f), kernel.value.values, Int32(f), 0, &columns, Int32(kc))

        // col2im: each batch item sums into its own slice of dx, in a fixed order.
        var dx = [Float](repeating: 0, count: n * l * c)
        columns.withUnsafeBufferPointer { ds in
            dx.withUnsafeMutableBufferPointer { xs in
                let dBase = ds.baseAddress!, xBase = xs.baseAddress!
                parallelFor(n) { item in
                    for position in 0..<lOut {
                        let source = dBase + (item * lOut + position) * kc
                        let target = xBase + (item * l + position) * c
                        for j in 0..<kc { target[j] += source[j] }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, values: dx)
    }
}
