import Foundation
@testable import Neural
import Seeded
import Testing

@Suite struct LayerTests {
    @Test func conv1DMatchesNaiveLoops() {
        let (n, l, c, f, k) = (3, 11, 3, 4, 3)
        let layer = Conv1D(f, k)
        var generator = SplitMix64(seed: 21)
        #expect(layer.build(inputShape: [l, c], generator: &generator) == [l - k + 1, f])
        layer.bias.value = randomTensor([f], seed: 22)
        let x = randomTensor([n, l, c], seed: 23)
        let y = layer.forward(x, training: false)
        #expect(y.shape == [n, l - k + 1, f])
        let w = layer.kernel.value.values, b = layer.bias.value.values
        var naive = [Float](repeating: 0, count: n * (l - k + 1) * f)
        for item in 0..<n {
            for position in 0..<(l - k + 1) {
                for filter in 0..<f {
                    var sum = b[filter]
                    for tap in 0..<k {
                        for channel in 0..<c {
                            sum += x.values[(item * l + position + tap) * c + channel]
                                * w[(tap * c + channel) * f + filter]
                        }
                    }
                    naive[(item * (l - k + 1) + position) * f + filter] = sum
                }
            }
        }
        #expect(maxAbsoluteError(y.values, naive) < 1e-5)
    }

    @Test func conv1DReLUClampsNegatives() {
        let layer = Conv1D(2, 2, activation: .relu)
        var generator = SplitMix64(seed: 1)
        _ = layer.build(inputShape: [6, 1], generator: &generator)
        let y = layer.forward(randomTensor([2, 6, 1], seed: 2), training: true)
        #expect(y.values.allSatisfy { $0 >= 0 })
        #expect(y.values.contains { $0 > 0 })
    }

    @Test func maxPoolingPairsAndDropsTheOddLast() {
        let layer = MaxPooling1D()
        var generator = SplitMix64(seed: 0)
        #expect(layer.build(inputShape: [5, 2], generator: &generator) == [2, 2])
        // [N=1, L=5, C=2]: channel 0 = 1, 4, 3, 2, 9; channel 1 = -1, -2, 7, 7, 8.
        let x = Tensor(shape: [1, 5, 2], values: [1, -1, 4, -2, 3, 7, 2, 7, 9, 8])
        let y = layer.forward(x, training: true)
        #expect(y.shape == [1, 2, 2])
        #expect(y.values == [4, -1, 3, 7])
        let dx = layer.backward(Tensor(shape: [1, 2, 2], values: [10, 20, 30, 40]))
        // Winners: (l=1, c=0), (l=0, c=1), (l=2, c=0), and the tie at l=2, 3 of c=1 goes to l=2.
        #expect(dx.values == [0, 20, 10, 0, 30, 40, 0, 0, 0, 0])
    }

    @Test func flattenKeepsRowMajorOrder() {
        let layer = Flatten()
        var generator = SplitMix64(seed: 0)
        #expect(layer.build(inputShape: [3, 2], generator: &generator) == [6])
        let x = randomTensor([2, 3, 2], seed: 3)
        let y = layer.forward(x, training: true)
        #expect(y.shape == [2, 6])
        #expect(y.values == x.values)
        #expect(layer.backward(y).shape == [2, 3, 2])
    }

    @Test func dropoutScalesKeptValuesAndMasksGradients() {
        let rate: Float = 0.25
        let layer = Dropout(rate)
        var generator = SplitMix64(seed: 4)
        _ = layer.build(inputShape: [1000], generator: &generator)
        let x = Tensor(shape: [10, 1000], repeating: 2)
        #expect(layer.forward(x, training: false) == x)
        let y = layer.forward(x, training: true)
        #expect(y.values.allSatisfy { $0 == 0 || $0 == 2 / (1 - rate) })
        let dropped = Float(y.values.filter { $0 == 0 }.count) / Float(y.count)
        // Binomial(10 000, 0.25): one standard deviation of the fraction is 0.0043.
        #expect(abs(dropped - rate) < 0.02)
        let dy = randomTensor([10, 1000], seed: 5)
        let dx = layer.backward(dy)
        for i in 0..<dx.count {
            #expect(dx.values[i] == (y.values[i] == 0 ? 0 : dy.values[i] * (1 / (1 - rate))))
        }
        let again = layer.forward(x, training: true)
        #expect(again != y, "each training pass draws a new mask")
    }

    @Test func dropoutMasksFollowTheSeed() {
        func mask(seed: UInt64) -> [Float] {
            let layer = Dropout(0.5)
            var generator = SplitMix64(seed: seed)
            _ = layer.build(inputShape: [64], generator: &generator)
            return layer.forward(Tensor(shape: [1, 64], repeating: 1), training: true).values
        }
        #expect(mask(seed: 1) == mask(seed: 1))
        #expect(mask(seed: 1) != mask(seed: 2))
    }

    @Test func softmaxCrossEntropyValuesAndStability() {
        // Uniform logits over 4 classes: loss ln 4, gradient (1/4 - t) / N.
        let targets = Tensor.oneHot([2, 0], classes: 4)
        let uniform = SoftmaxCrossEntropy.lossAndGradient(logits: Tensor(shape: [2, 4], repeating: 3), targets: targets)
        #expect(abs(uniform.loss - 1.3862944) < 1e-6)
        #expect(maxAbsoluteError(uniform.gradient.values, [0.125, 0.125, -0.375, 0.125, -0.375, 0.125, 0.125, 0.125]) < 1e-7)
        // Huge logits overflow a naive exp; the stable form gives the exact answer.
        let huge = SoftmaxCrossEntropy.lossAndGradient(
            logits: Tensor(shape: [1, 3], values: [1000, 0, -1000]), targets: Tensor.oneHot([1], classes: 3))
        #expect(huge.loss == 1000)
        #expect(huge.gradient.values == [1, -1, 0])
    }

    @Test func tensorChecksItsShape() {
        let t = Tensor(shape: [2, 3], repeating: 1)
        #expect(t.count == 6 && t.batch == 2)
        #expect(t.reshaped([3, 2]).shape == [3, 2])
        #expect(Tensor.oneHot([1, 0], classes: 2).values == [0, 1, 1, 0])
    }
}

@Suite struct InitializerTests {
    @Test func splitMix64MatchesTheReference() {
        // Vigna's splitmix64.c from state 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func glorotUniformLimitsAndMoments() {
        #expect(abs(GlorotUniform.limit(fanIn: 100, fanOut: 20) - 0.2236068) < 1e-6)
        let layer = Conv1D(64, 3)
        var generator = SplitMix64(seed: 7)
        _ = layer.build(inputShape: [50, 128], generator: &generator)
        // Conv1D: fan_in = K·C = 384, fan_out = K·F = 192.
        let limit = GlorotUniform.limit(fanIn: 384, fanOut: 192)
        let values = layer.kernel.value.values
        #expect(values.count == 3 * 128 * 64)
        #expect(values.allSatisfy { abs($0) <= limit })
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(values.count)
        // Uniform(-a, a): mean 0, variance a²/3; 24 576 draws pin both to about 1 %.
        #expect(abs(mean) < 0.01 * Double(limit))
        #expect(abs(variance / (Double(limit * limit) / 3) - 1) < 0.03)
        #expect(layer.bias.value.values.allSatisfy { $0 == 0 })
    }

    @Test func sameSeedSameWeights() {
        func weights(_ seed: UInt64) -> [Float] {
            Sequential(inputShape: [8, 1], layers: [Conv1D(2, 3), Flatten(), Dense(3)], seed: seed)
                .parameters.flatMap(\.value.values)
        }
        #expect(weights(3) == weights(3))
        #expect(weights(3) != weights(4))
    }
}

@Suite struct AdamTests {
    @Test func threeStepsMatchTheFormula() {
        let parameter = Parameter(name: "kernel", value: Tensor(shape: [3], values: [0.5, -1, 2]))
        let gradients: [[Float]] = [[0.1, -2, 0], [0.3, 1, 1e-3], [-0.2, 0.5, 4]]
        let adam = Adam()
        var theta = parameter.value.values.map(Double.init)
        var m = [Double](repeating: 0, count: 3), v = m
        for (t, g) in gradients.enumerated() {
            parameter.gradient = Tensor(shape: [3], values: g)
            adam.step([parameter])
            let step = Double(t + 1)
            let alpha = 1e-3 * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step))
            for i in 0..<3 {
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                theta[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
        }
        #expect(adam.iterations == 3)
        #expect(maxAbsoluteError(parameter.value.values, theta.map(Float.init)) < 1e-6)
    }

    @Test func firstStepMovesByTheLearningRate() {
        // At t = 1, m = 0.1 g, √v = √0.001 |g| and α = lr · √0.001 / 0.1, so a weight moves by
        // lr · √0.001 |g| / (√0.001 |g| + ε): lr for a large gradient, a little less for a tiny
        // one (epsilon sits outside the square root), nothing for a zero gradient.
        let parameter = Parameter(name: "bias", value: Tensor(shape: [3], values: [0, 0, 0]))
        parameter.gradient = Tensor(shape: [3], values: [5, -0.01, 0])
        Adam(learningRate: 0.01).step([parameter])
        let small = 0.01 * (0.001.squareRoot() * 0.01) / (0.001.squareRoot() * 0.01 + 1e-7)
        #expect(maxAbsoluteError(parameter.value.values, [-0.01, Float(small), 0]) < 1e-7)
        #expect(parameter.value.values[1] < 0.009999)
    }
}
