import Foundation

/// Adam, with Keras 3's defaults and update (`keras/src/optimizers/adam.py`, `update_step`).
///
/// Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015. Keras folds the
/// bias corrections into the step size and adds epsilon to √v itself, not to the corrected
/// √v̂ (the "epsilon hat" form from the end of section 2 of the paper). At step t = 1, 2, ...:
///
///     α = lr · √(1 - β₂ᵗ) / (1 - β₁ᵗ)
///     m ← m + (g - m)(1 - β₁)
///     v ← v + (g² - v)(1 - β₂)
///     θ ← θ - α · m / (√v + ε)
///
/// All in float32, in Keras's order of operations, so one step matches Keras to rounding.
public final class Adam {
    /// lr, default 1e-3.
    public var learningRate: Float
    /// β₁, default 0.9.
    public let beta1: Float
    /// β₂, default 0.999.
    public let beta2: Float
    /// ε, default 1e-7 (Keras's, not the paper's 1e-8).
    public let epsilon: Float
    /// The number of steps taken so far (Keras's `iterations`).
    public private(set) var iterations = 0

    private var moments: [ObjectIdentifier: (m: [Float], v: [Float])] = [:]

    /// An optimizer with Keras's defaults unless given.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Applies one step to every parameter from its stored gradient.
    /// - Parameter parameters: the parameters to update; each keeps its own m and v.
    public func step(_ parameters: [Parameter]) {
        let t = Float(iterations + 1)
        let alpha = learningRate * (1 - power(beta2, t)).squareRoot() / (1 - power(beta1, t))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for parameter in parameters {
            let key = ObjectIdentifier(parameter)
            let count = parameter.value.count
            precondition(parameter.gradient.count == count, "gradient of \(parameter.name) has the wrong size")
            var state = moments[key] ?? ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
            moments[key] = nil
            // Element-wise and memory-bound (16 M parameters are 256 MB of θ, g, m and v read
            // and 192 MB written per step): blocks over the cores, each value updated by one
            // thread, so the split does not change the result.
            state.m.withUnsafeMutableBufferPointer { ms in
                state.v.withUnsafeMutableBufferPointer { vs in
                    parameter.gradient.values.withUnsafeBufferPointer { gs in
                        parameter.value.values.withUnsafeMutableBufferPointer { thetas in
                            guard let m = ms.baseAddress, let v = vs.baseAddress, let g = gs.baseAddress,
                                  let theta = thetas.baseAddress else { return }
                            let blocks = count < 1 << 16 ? 1 : Gemm.parts
                            parallelFor(blocks) { block in
                                for i in (count * block / blocks)..<(count * (block + 1) / blocks) {
                                    m[i] += (g[i] - m[i]) * (1 - b1)
                                    v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
                                    theta[i] -= m[i] * alpha / (v[i].squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
            moments[key] = state
        }
        iterations += 1
    }
}

/// xʸ for floats, as `ops.power` on float32 tensors.
private func power(_ x: Float, _ y: Float) -> Float {
    Float(pow(Double(x), Double(y)))
}
