// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// Max pooling along the length, Keras's `layers.MaxPooling1D()` with its defaults:
/// pool 2, stride 2, `padding="valid"`, so an odd last element is dropped:
///
///     y[n, i, c] = max(x[n, 2i, c], x[n, 2i + 1, c]),   i < ⌊L / 2⌋
///
/// Shapes: input [N, L, C], output [N, ⌊L / 2⌋, C]. The backward pass routes each gradient
/// to the input that won the max (the first of a tie, as TensorFlow's `MaxPoolGrad`); the
/// others, and a dropped last element, get zero.
public final class MaxPooling1D: Layer {
    public let typeName = "MaxPooling1D"
    public let nameStem = "max_pooling1d"
    public var name = "max_pooling1d"
    /// The pool size, which is also the stride.
    public let poolSize: Int

    private var inputShape: [Int] = []
    // The winner of each output value: its offset 0..<pool in the window, as a float so that
    // the backward pass compares it with one vector instruction.
    private var winners: [Float] = []
    private var output: [Float] = []
    private var inputGradient: [Float] = []

    /// Pools windows of `poolSize` (Keras's default 2) with stride `poolSize`.
    public init(_ poolSize: Int = 2) {
        precondition(poolSize > 0, "pool size must be positive")
        self.poolSize = poolSize
    }

    /// Builds for input [L, C]; output [⌊L / pool⌋, C].
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        precondition(inputShape.count == 2, "MaxPooling1D expects [L, C] per example, got \(inputShape)")
        precondition(inputShape[0] >= poolSize, "MaxPooling1D: length \(inputShape[0]) is shorter than the pool")
        return [inputShape[0] / poolSize, inputShape[1]]
    }

    /// y [N, ⌊L / pool⌋, C]: the maximum of each window, per channel.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 3, "MaxPooling1D expects [N, L, C], got \(x.shape)")
        let n = x.shape[0], l = x.shape[1], c = x.shape[2], p = poolSize, lOut = l / p
        var y = [Float].reusing(&output, count: n * lOut * c)
        if winners.count != n * lOut * c { winners = [Float](repeating: 0, count: n * lOut * c) }
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                winners.withUnsafeMutableBufferPointer { bs in
                    let xBase = xs.baseAddress!, yBase = ys.baseAddress!, bBase = bs.baseAddress!
                    parallelFor(n) { item in
                        for i in 0..<lOut {
                            let out = yBase + (item * lOut + i) * c, best = bBase + (item * lOut + i) * c
                            let window = UnsafePointer(xBase + (item * l + i * p) * c)
                            var channel = 0
                            while channel + 8 <= c {
                                var top = window.load8(channel)
                                var mark = Float8(repeating: 0)
                                for offset in 1..<max(p, 1) {
                                    let candidate = window.load8(offset * c + channel)
                                    let wins = candidate .> top
                                    top.replace(with: candidate, where: wins)
                                    mark.replace(with: Float(offset), where: wins)
                                }
                                out.store8(top, channel)
                                best.store8(mark, channel)
                                channel += 8
                            }
                            for channel in channel..<c {
                                var top = window[channel], mark: Float = 0
                                for offset in 1..<max(p, 1) where window[offset * c + channel] > top {
                                    top = window[offset * c + channel]
                                    mark = Float(offset)
                                }
                                out[channel] = top
                                best[channel] = mark
                            }
                        }
                    }
                }
            }
        }
        inputShape = x.shape
        output = y
        return Tensor(shape: [n, lOut, c], values: y)
    }

    /// dx [N, L, C]: each dy at its window's winner, zero elsewhere. Windows do not overlap,
    /// so every value of dx is written exactly once.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == winners.count, "MaxPooling1D backward: \(dy.shape) does not match the forward pass")
        let n = inputShape[0], l = inputShape[1], c = inputShape[2], p = poolSize, lOut = l / p
        var dx = [Float].reusing(&inputGradient, count: n * l * c)
        dx.withUnsafeMutableBufferPointer { xs in
            dy.values.withUnsafeBufferPointer { ds in
                winners.withUnsafeBufferPointer { ws in
                    let xBase = xs.baseAddress!, dBase = ds.baseAddress!, wBase = ws.baseAddress!
                    parallelFor(n) { item in
                        for i in 0..<lOut {
                            let source = dBase + (item * lOut + i) * c, best = wBase + (item * lOut + i) * c
                            for offset in 0..<p {
                                let target = xBase + (item * l + i * p + offset) * c
                                var channel = 0
                                while channel + 8 <= c {
                                    let marks = best.load8(channel)
                                    target.store8(Float8(repeating: 0).replacing(
                                        with: source.load8(channel), where: marks .== Float(offset)), channel)
                                    channel += 8
                                }
                                for channel in channel..<c {
                                    target[channel] = best[channel] == Float(offset) ? source[channel] : 0
                                }
                            }
                        }
                        // The positions past the last whole window were dropped: zero gradient.
                        (xBase + (item * l + lOut * p) * c).update(repeating: 0, count: (l - lOut * p) * c)
                    }
                }
            }
        }
        inputGradient = dx
        return Tensor(shape: inputShape, values: dx)
    }
}
