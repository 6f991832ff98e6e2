@testable import Neural
import Seeded

/// A tensor of `shape` with values uniform in [-scale, scale), fixed by `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in (2 * generator.nextUnitFloat() - 1) * scale })
}

/// The largest |a - b| over the largest |b|: one relative figure for a whole array.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    let scale = b.reduce(Float(0)) { max($0, abs($1)) }
    let worst = zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    return worst / max(scale, 1e-12)
}

/// The largest |a - b|.
func maxAbsoluteError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    return zip(a, b).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
}

/// Analytic against numeric gradients of one layer, for the scalar loss L = Σ w·y with fixed
/// random weights w (so dL/dy = w).
///
/// Central differences (L(θ + h) - L(θ - h)) / 2h, with L summed in Double from the float32
/// outputs. Every layer here is piecewise linear or smooth, so with inputs kept off the kinks
/// the truncation error is zero or O(h²); what remains is float32 rounding in the outputs,
/// about 1e-7 relative, which a sum of ~100 outputs and the division by 2h = 2e-2 turn into
/// ~1e-5 of a gradient of order 1. The tests ask for 1e-3 relative, a wide margin over that
/// noise yet far below any real mistake (a missed term, a wrong index), which is O(1).
/// - Parameters:
///   - training: the mode of every forward pass.
///   - reset: run before every forward pass, e.g. to re-seed a dropout mask so that all the
///     passes see the same one.
/// - Returns: the relative error of d L / d input and of each parameter's gradient.
func gradientErrors(_ layer: any Layer, input: Tensor, step h: Float = 1e-2, training: Bool = false,
                    beforeEachForward reset: () -> Void = {}) -> (input: Float, parameters: [Float]) {
    reset()
    let y = layer.forward(input, training: training)
    let w = randomTensor(y.shape, seed: 99)
    let dx = layer.backward(w)
    let analytic = layer.parameters.map(\.gradient.values)

    var x = input
    var numericInput = [Float](repeating: 0, count: x.count)
    func lossAt(_ probe: Tensor) -> Double {
        reset()
        let out = layer.forward(probe, training: training)
        return zip(out.values, w.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    for i in 0..<x.count {
        let saved = x.values[i]
        x.values[i] = saved + h
        let plus = lossAt(x)
        x.values[i] = saved - h
        let minus = lossAt(x)
        x.values[i] = saved
        numericInput[i] = Float((plus - minus) / (2 * Double(h)))
    }
    var parameterErrors: [Float] = []
    for (p, parameter) in layer.parameters.enumerated() {
        var numeric = [Float](repeating: 0, count: parameter.value.count)
        for i in 0..<parameter.value.count {
            let saved = parameter.value.values[i]
            parameter.value.values[i] = saved + h
            let plus = lossAt(input)
            parameter.value.values[i] = saved - h
            let minus = lossAt(input)
            parameter.value.values[i] = saved
            numeric[i] = Float((plus - minus) / (2 * Double(h)))
        }
        parameterErrors.append(relativeError(analytic[p], numeric))
    }
    return (relativeError(dx.values, numericInput), parameterErrors)
}

/// Values ±0.05, ±0.1, ±0.15, ... in a seeded order: no two within 0.05 of each other
/// (except a value and its negative) and none within 0.05 of zero, so a step of 1e-2 crosses
/// neither ReLU's kink nor a max-pooling tie.
func kinkFreeTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    let count = shape.reduce(1, *)
    var generator = SplitMix64(seed: seed)
    let grid = (0..<count).map { i -> Float in
        let magnitude = 0.05 * Float(i / 2 + 1)
        return i % 2 == 0 ? magnitude : -magnitude
    }
    return Tensor(shape: shape, values: grid.shuffled(using: &generator))
}
