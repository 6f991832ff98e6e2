import Foundation
@testable import Neural
import Seeded
import Testing

/// `Conv1D` computes with a direct loop when K·C < 16 and with im2col + SGEMM otherwise; both
/// against a naive loop, finite differences, and each other's ReLU handling. Shapes are chosen
/// to cross both paths and both the 8-wide vector loop and its remainder (F = 12, 16, 5).
@Suite struct ConvolutionPathTests {
    /// (N, L, C, F, K): direct with F = 16 (vector loop only), direct with F = 5 (remainder
    /// only), im2col with K·C = 24 and F = 12 (both), im2col with K·C = 40.
    static let shapes: [(Int, Int, Int, Int, Int)] = [(3, 13, 1, 16, 3), (2, 9, 2, 5, 3), (3, 12, 8, 12, 3), (2, 11, 8, 6, 5)]

    /// y = b + Σ_k Σ_c x[l + k, c] W[k, c, f], in Double.
    static func naive(_ x: Tensor, _ layer: Conv1D) -> [Float] {
        let n = x.shape[0], l = x.shape[1], c = x.shape[2], k = layer.kernelSize, f = layer.filters, lOut = l - k + 1
        let w = layer.kernel.value.values, b = layer.bias.value.values
        var y = [Float](repeating: 0, count: n * lOut * f)
        for item in 0..<n {
            for position in 0..<lOut {
                for filter in 0..<f {
                    var sum = Double(b[filter])
                    for tap in 0..<k {
                        for channel in 0..<c {
                            sum += Double(x.values[(item * l + position + tap) * c + channel]) * Double(w[(tap * c + channel) * f + filter])
                        }
                    }
                    y[(item * lOut + position) * f + filter] = Float(sum)
                }
            }
        }
        return y
    }

    @Test(arguments: 0..<4) func forwardMatchesNaiveLoops(_ index: Int) {
        let (n, l, c, f, k) = Self.shapes[index]
        let layer = builtLayer(Conv1D(f, k), inputShape: [l, c], seed: UInt64(index))
        layer.bias.value = randomTensor([f], seed: 40)
        let x = randomTensor([n, l, c], seed: 41)
        let y = layer.forward(x, training: false)
        // Float32 sums of at most 40 products of values below 1: rounding stays near 1e-6.
        #expect(maxAbsoluteError(y.values, Self.naive(x, layer)) < 1e-5, "shape \(Self.shapes[index])")
    }

    @Test(arguments: 0..<4) func backwardMatchesFiniteDifferences(_ index: Int) {
        let (n, l, c, f, k) = Self.shapes[index]
        let layer = builtLayer(Conv1D(f, k), inputShape: [l, c], seed: UInt64(index))
        let errors = gradientErrors(layer, input: randomTensor([n, l, c], seed: 42))
        // As `GradientTests.tolerance`: float32 noise ~1e-5 against O(1) for a wrong index.
        #expect(errors.input < 1e-3, "shape \(Self.shapes[index])")
        #expect(errors.parameters.allSatisfy { $0 < 1e-3 }, "shape \(Self.shapes[index]): \(errors.parameters)")
    }

    /// ReLU fused: y = max(0, linear y), and its backward is the linear backward of dy masked
    /// where y > 0 (TensorFlow's `ReluGrad`), for both paths.
    @Test(arguments: 0..<4) func fusedReLUMatchesLinearWithAMask(_ index: Int) {
        let (n, l, c, f, k) = Self.shapes[index]
        let relu = builtLayer(Conv1D(f, k, activation: .relu), inputShape: [l, c], seed: 9)
        let linear = builtLayer(Conv1D(f, k), inputShape: [l, c], seed: 9)
        let x = randomTensor([n, l, c], seed: 43)
        let y = relu.forward(x, training: false), z = linear.forward(x, training: false)
        #expect(y.values == z.values.map { $0 < 0 ? 0 : $0 })
        let dy = randomTensor(y.shape, seed: 44)
        let dx = relu.backward(dy)
        let masked = Tensor(shape: dy.shape, values: zip(dy.values, y.values).map { $1 > 0 ? $0 : 0 })
        let dxLinear = linear.backward(masked)
        #expect(maxAbsoluteError(dx.values, dxLinear.values) < 1e-6)
        #expect(maxAbsoluteError(relu.kernel.gradient.values, linear.kernel.gradient.values) < 1e-6)
        #expect(maxAbsoluteError(relu.bias.gradient.values, linear.bias.gradient.values) < 1e-6)
    }

    /// `backwardParameters` (the first layer's shortcut) stores the same gradients as `backward`.
    @Test(arguments: 0..<4) func parameterOnlyBackwardGivesTheSameGradients(_ index: Int) {
        let (n, l, c, f, k) = Self.shapes[index]
        let layer = builtLayer(Conv1D(f, k, activation: .relu), inputShape: [l, c], seed: 3)
        let x = randomTensor([n, l, c], seed: 45)
        let dy = randomTensor(layer.forward(x, training: true).shape, seed: 46)
        _ = layer.backward(dy)
        let full = layer.parameters.map(\.gradient.values)
        _ = layer.forward(x, training: true)
        layer.backwardParameters(dy)
        #expect(layer.parameters.map(\.gradient.values) == full)
    }

    /// The same layer on the same batch twice gives the same bits (buffers are reused between
    /// calls, and nothing may leak from one call into the next).
    @Test func repeatedCallsGiveTheSameBits() {
        let layer = builtLayer(Conv1D(12, 3, activation: .relu), inputShape: [12, 8], seed: 5)
        let x = randomTensor([3, 12, 8], seed: 47), dy = randomTensor([3, 10, 12], seed: 48)
        let first = (layer.forward(x, training: true).values, layer.backward(dy).values, layer.kernel.gradient.values)
        let second = (layer.forward(x, training: true).values, layer.backward(dy).values, layer.kernel.gradient.values)
        #expect(first.0 == second.0 && first.1 == second.1 && first.2 == second.2)
    }
}

/// `layer` built for one example's `inputShape` from a generator seeded by `seed`, with a
/// non-zero bias so that the bias term is exercised too.
func builtLayer<L: Layer>(_ layer: L, inputShape: [Int], seed: UInt64) -> L {
    var generator = SplitMix64(seed: seed)
    _ = layer.build(inputShape: inputShape, generator: &generator)
    if let bias = layer.parameters.last, bias.name == "bias" {
        bias.value = randomTensor(bias.value.shape, seed: seed + 100, scale: 0.3)
    }
    return layer
}
