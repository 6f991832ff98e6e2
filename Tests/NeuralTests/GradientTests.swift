@testable import Neural
import Seeded
import Testing

/// Every layer's backward pass against central finite differences (see `gradientErrors` for
/// the step and the 1e-3 relative tolerance).
@Suite struct GradientTests {
    static let tolerance: Float = 1e-3

    /// A built layer whose bias is made non-zero, so that the bias term is exercised too.
    func built<L: Layer>(_ layer: L, inputShape: [Int], seed: UInt64 = 1) -> L {
        var generator = SplitMix64(seed: seed)
        _ = layer.build(inputShape: inputShape, generator: &generator)
        if let bias = layer.parameters.last, bias.name == "bias" {
            bias.value = randomTensor(bias.value.shape, seed: seed + 100, scale: 0.3)
        }
        return layer
    }

    @Test func denseLinear() {
        let layer = built(Dense(5), inputShape: [7])
        let errors = gradientErrors(layer, input: randomTensor([3, 7], seed: 2))
        #expect(errors.input < Self.tolerance)
        #expect(errors.parameters.count == 2)
        #expect(errors.parameters.allSatisfy { $0 < Self.tolerance }, "\(errors.parameters)")
    }

    @Test func denseReLU() {
        // The bias is set so that every pre-activation is exactly ±0.5: units on both sides of
        // ReLU, none within the step of its kink. One example suffices for that control; the
        // Keras fixture checks ReLU layers on a whole batch.
        let layer = built(Dense(4, activation: .relu), inputShape: [6], seed: 5)
        let x = randomTensor([1, 6], seed: 6)
        layer.bias.value = Tensor(shape: [4])
        let pre = (0..<4).map { j in (0..<6).reduce(Float(0)) { $0 + x.values[$1] * layer.kernel.value.values[$1 * 4 + j] } }
        layer.bias.value = Tensor(shape: [4], values: (0..<4).map { j in (j % 2 == 0 ? 0.5 : -0.5) - pre[j] })
        let y = layer.forward(x, training: false)
        #expect(maxAbsoluteError(y.values, [0.5, 0, 0.5, 0]) < 1e-6)
        let errors = gradientErrors(layer, input: x)
        #expect(errors.input < Self.tolerance)
        #expect(errors.parameters.allSatisfy { $0 < Self.tolerance }, "\(errors.parameters)")
    }

    @Test func conv1DLinear() {
        let layer = built(Conv1D(4, 3), inputShape: [9, 2])
        let errors = gradientErrors(layer, input: randomTensor([2, 9, 2], seed: 3))
        #expect(errors.input < Self.tolerance)
        #expect(errors.parameters.count == 2)
        #expect(errors.parameters.allSatisfy { $0 < Self.tolerance }, "\(errors.parameters)")
    }

    @Test func conv1DKernelWiderThanOne() {
        let layer = built(Conv1D(2, 5), inputShape: [7, 3], seed: 8)
        let errors = gradientErrors(layer, input: randomTensor([3, 7, 3], seed: 9))
        #expect(errors.input < Self.tolerance)
        #expect(errors.parameters.allSatisfy { $0 < Self.tolerance }, "\(errors.parameters)")
    }

    @Test func relu() {
        let layer = built(ReLU(), inputShape: [5, 2])
        let x = kinkFreeTensor([2, 5, 2], seed: 4)
        let errors = gradientErrors(layer, input: x)
        #expect(errors.input < Self.tolerance)
        #expect(errors.parameters.isEmpty)
    }

    @Test func maxPoolingOddLength() {
        let layer = built(MaxPooling1D(), inputShape: [7, 3])
        let errors = gradientErrors(layer, input: kinkFreeTensor([2, 7, 3], seed: 5))
        #expect(errors.input < Self.tolerance)
    }

    @Test func flatten() {
        let layer = built(Flatten(), inputShape: [4, 3])
        let errors = gradientErrors(layer, input: randomTensor([2, 4, 3], seed: 6))
        #expect(errors.input < Self.tolerance)
    }

    @Test func dropoutInTraining() {
        // Re-building with the same seed before every forward pass fixes the mask, so the
        // differences see one function, x ↦ x · m.
        let layer = Dropout(0.5)
        let errors = gradientErrors(layer, input: randomTensor([3, 6], seed: 7), training: true) {
            var generator = SplitMix64(seed: 12)
            _ = layer.build(inputShape: [6], generator: &generator)
        }
        #expect(errors.input < Self.tolerance)
        #expect(layer.forward(Tensor(shape: [3, 6], repeating: 1), training: true).values.contains(0),
                "the mask drops something, so the check is not of the identity")
    }

    @Test func dropoutAtInferenceIsIdentity() {
        let layer = built(Dropout(0.5), inputShape: [6])
        let errors = gradientErrors(layer, input: randomTensor([3, 6], seed: 7))
        #expect(errors.input < Self.tolerance)
    }

    @Test func softmaxCrossEntropy() {
        let logits = randomTensor([4, 5], seed: 10, scale: 3)
        let targets = Tensor.oneHot([0, 3, 4, 1], classes: 5)
        let analytic = SoftmaxCrossEntropy.lossAndGradient(logits: logits, targets: targets).gradient
        // The loss is smooth, so a smaller step keeps the O(h²) truncation error down.
        let h: Float = 1e-3
        var z = logits
        var numeric = [Float](repeating: 0, count: z.count)
        for i in 0..<z.count {
            let saved = z.values[i]
            z.values[i] = saved + h
            let plus = Double(SoftmaxCrossEntropy.loss(logits: z, targets: targets))
            z.values[i] = saved - h
            let minus = Double(SoftmaxCrossEntropy.loss(logits: z, targets: targets))
            z.values[i] = saved
            numeric[i] = Float((plus - minus) / (2 * Double(h)))
        }
        // The loss is a float32 of order 1, so each difference carries ~1e-7 / 2e-3 = 5e-5 of
        // rounding against gradients of order 0.2: 1e-2 relative is the honest bound here.
        #expect(relativeError(analytic.values, numeric) < 1e-2)
    }
}
