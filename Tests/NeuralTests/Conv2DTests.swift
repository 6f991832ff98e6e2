@testable import Neural
import Testing

/// The 2-D layers against naive loops written from their formulas, on odd sizes, both
/// strides and both paddings.
@Suite struct Conv2DTests {
    /// y[n, i, j, f] = b[f] + Σ W[kh, kw, c, f] x[n, i·s - top + kh, j·s - left + kw, c], directly.
    func naiveConvolution(_ x: Tensor, kernel: Tensor, bias: [Float], stride: Int, padding: Padding2D,
                          depthwise: Bool) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw) = (kernel.shape[0], kernel.shape[1])
        let f = depthwise ? c : kernel.shape[3]
        // TF's rule, restated: SAME gives ceil(in / s) and splits the padding, smaller half first.
        func axis(_ size: Int, _ k: Int) -> (Int, Int) {
            if padding == .valid { return ((size - k) / stride + 1, 0) }
            let out = Int((Double(size) / Double(stride)).rounded(.up))
            return (out, max(0, (out - 1) * stride + k - size) / 2)
        }
        let (ho, top) = axis(h, kh), (wo, left) = axis(w, kw)
        var y = [Float](repeating: 0, count: n * ho * wo * f)
        for b in 0..<n { for i in 0..<ho { for j in 0..<wo { for o in 0..<f {
            var sum = Double(bias[o])
            for r in 0..<kh { for q in 0..<kw {
                let (row, col) = (i * stride - top + r, j * stride - left + q)
                guard row >= 0, row < h, col >= 0, col < w else { continue }
                if depthwise {
                    sum += Double(x.values[((b * h + row) * w + col) * c + o]) * Double(kernel.values[(r * kw + q) * c + o])
                } else {
                    for ch in 0..<c {
                        sum += Double(x.values[((b * h + row) * w + col) * c + ch]) * Double(kernel.values[((r * kw + q) * c + ch) * f + o])
                    }
                }
            } }
            y[((b * ho + i) * wo + j) * f + o] = Float(sum)
        } } } }
        return Tensor(shape: [n, ho, wo, f], values: y)
    }

    @Test(arguments: [(3, 2, Padding2D.same), (3, 1, .same), (1, 1, .same), (1, 2, .same), (3, 2, .valid), (2, 1, .same)])
    func conv2DMatchesNaiveLoop(kernelSize: Int, stride: Int, padding: Padding2D) {
        let x = randomTensor([2, 9, 6, 5], seed: 1)
        let kernel = randomTensor([kernelSize, kernelSize, 5, 11], seed: 2)
        let bias = randomTensor([11], seed: 3).values
        let layer = Conv2D(kernel: kernel, bias: bias, stride: stride, padding: padding)
        let y = layer.forward(x)
        let reference = naiveConvolution(x, kernel: kernel, bias: bias, stride: stride, padding: padding, depthwise: false)
        #expect(y.shape == reference.shape)
        #expect(maxAbsoluteError(y.values, reference.values) < 1e-5)
    }

    /// Channel counts around the 32- and 8-wide vector paths (8, 40, 45), odd and even sizes.
    @Test(arguments: [(3, 1, 45), (3, 2, 40), (3, 2, 45), (3, 1, 8), (5, 2, 3), (3, 2, 64)])
    func depthwiseMatchesNaiveLoop(kernelSize: Int, stride: Int, channels: Int) {
        for (h, w) in [(8, 8), (7, 5)] {
            let x = randomTensor([2, h, w, channels], seed: 4)
            let kernel = randomTensor([kernelSize, kernelSize, channels, 1], seed: 5)
            let bias = randomTensor([channels], seed: 6).values
            let layer = DepthwiseConv2D(kernel: kernel, bias: bias, stride: stride, padding: .same)
            let y = layer.forward(x)
            let reference = naiveConvolution(x, kernel: kernel, bias: bias, stride: stride, padding: .same, depthwise: true)
            #expect(y.shape == reference.shape)
            #expect(maxAbsoluteError(y.values, reference.values) < 1e-5, "\(h) x \(w)")
        }
    }

    /// TF's SAME sizes for the stride-2 layers of MobileNetV2 at 224 (0 before, 1 after on
    /// even sizes) and an odd one (1 and 1).
    @Test func samePaddingFollowsTensorFlow() {
        #expect(Padding2D.same.output(224, kernel: 3, stride: 2) == (112, 0))
        #expect(Padding2D.same.output(7, kernel: 3, stride: 2) == (4, 1))
        #expect(Padding2D.same.output(14, kernel: 3, stride: 1) == (14, 1))
        #expect(Padding2D.valid.output(9, kernel: 3, stride: 2) == (4, 0))
    }

    /// A batch norm folded into the convolution gives the convolution then the batch norm,
    /// for a regular and a depthwise kernel; ReLU6 and the residual are applied after.
    @Test func foldedBatchNormEqualsConvolutionThenBatchNorm() {
        let x = randomTensor([1, 6, 7, 16], seed: 7)
        let norm = BatchNormalization(gamma: randomTensor([16], seed: 8).values,
                                      beta: randomTensor([16], seed: 9).values,
                                      movingMean: randomTensor([16], seed: 10).values,
                                      movingVariance: randomTensor([16], seed: 11).values.map { 0.5 + abs($0) })
        let kernel = randomTensor([1, 1, 16, 16], seed: 12)
        let (w, b) = norm.folded(kernel: kernel)
        let folded = Conv2D(kernel: w, bias: b, activation: .relu6).forward(x)
        let unfolded = norm.forward(Conv2D(kernel: kernel).forward(x))
        let expected = unfolded.values.map { min(max($0, 0), 6) }
        #expect(maxAbsoluteError(folded.values, expected) < 1e-5)

        let depthwiseKernel = randomTensor([3, 3, 16, 1], seed: 13)
        let (dw, db) = norm.folded(kernel: depthwiseKernel, depthwise: true)
        let foldedDepthwise = DepthwiseConv2D(kernel: dw, bias: db, stride: 2).forward(x)
        let unfoldedDepthwise = norm.forward(DepthwiseConv2D(kernel: depthwiseKernel, stride: 2).forward(x))
        #expect(maxAbsoluteError(foldedDepthwise.values, unfoldedDepthwise.values) < 1e-5)
    }

    /// BatchNormalization against its formula, γ (x - μ) / √(σ² + ε) + β, in Double.
    @Test func batchNormFollowsItsFormula() {
        let norm = BatchNormalization(gamma: [2, 0.5], beta: [0.1, -1], movingMean: [1, -2], movingVariance: [4, 0.25])
        let y = norm.forward(Tensor(shape: [2, 2], values: [3, 0, -1, 1]))
        let expected: [Double] = [2 * (3 - 1) / (4.001).squareRoot() + 0.1, 0.5 * 2 / (0.251).squareRoot() - 1,
                                  2 * (-2) / (4.001).squareRoot() + 0.1, 0.5 * 3 / (0.251).squareRoot() - 1]
        #expect(maxAbsoluteError(y.values, expected.map(Float.init)) < 1e-6)
    }

    /// The residual path: act(conv + b + residual).
    @Test func pointwiseConvolutionAddsResidualBeforeActivation() {
        let x = randomTensor([1, 3, 4, 8], seed: 14)
        let kernel = randomTensor([1, 1, 8, 8], seed: 15)
        let layer = Conv2D(kernel: kernel, activation: .relu6)
        var y = [Float](repeating: 0, count: 3 * 4 * 8)
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                layer.apply(xs.baseAddress!, height: 3, width: 4, into: ys.baseAddress!, columns: nil, residual: xs.baseAddress!)
            }
        }
        let plain = Conv2D(kernel: kernel).forward(x).values
        let expected = zip(plain, x.values).map { min(max($0 + $1, 0), 6) }
        #expect(maxAbsoluteError(y, expected) < 1e-6)
    }

    @Test func reLU6AndGlobalAveragePooling() {
        let layer = ReLU(maxValue: 6)
        let y = layer.forward(Tensor(shape: [5], values: [-1, 0, 3, 6, 7.5]), training: false)
        #expect(y.values == [0, 0, 3, 6, 6])
        #expect(layer.backward(Tensor(shape: [5], repeating: 1)).values == [0, 0, 1, 0, 0])
        let x = Tensor(shape: [2, 2, 1, 3], values: (0..<12).map(Float.init))
        #expect(GlobalAveragePooling2D.forward(x).values == [1.5, 2.5, 3.5, 7.5, 8.5, 9.5])
    }
}
