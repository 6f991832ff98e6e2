// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

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
    private var winners: [Int32] = []

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
        var y = [Float](repeating: 0, count: n * lOut * c)
        var best = [Int32](repeating: 0, count: n * lOut * c)
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                best.withUnsafeMutableBufferPointer { bs in
                    let xBase = xs.baseAddress!, yBase = ys.baseAddress!, bBase = bs.baseAddress!
                    parallelFor(n) { item in
                        for i in 0..<lOut {
                            let out = (item * lOut + i) * c
                            let first = (item * l + i * p) * c
                            for channel in 0..<c {
                                var index = first + channel
                                var value = xBase[index]
                                for offset in 1..<p {
                                    let candidate = first + offset * c + channel
                                    if xBase[candidate] > value { value = xBase[candidate]; index = candidate }
                                }
                                yBase[out + channel] = value
                                bBase[out + channel] = Int32(index)
                            }
                        }
                    }
                }
            }
        }
        inputShape = x.shape
        winners = best
        return Tensor(shape: [n, lOut, c], values: y)
    }

    /// dx [N, L, C]: each dy added at its window's winner, zero elsewhere. Windows do not
    /// overlap, so every dx is written at most once.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == winners.count, "MaxPooling1D backward: \(dy.shape) does not match the forward pass")
        var dx = [Float](repeating: 0, count: inputShape.reduce(1, *))
        dx.withUnsafeMutableBufferPointer { xs in
            dy.values.withUnsafeBufferPointer { ds in
                winners.withUnsafeBufferPointer { ws in
                    for i in ds.indices { xs[Int(ws[i])] = ds[i] }
                }
            }
        }
        return Tensor(shape: inputShape, values: dx)
    }
}
