// Dimensions: N batch, H height, W width, C channels, F filters (README.md).

/// The activation a frozen 2-D layer (`Conv2D`, `DepthwiseConv2D`) applies in the same pass
/// that adds its bias, so that the output is read and written once: Keras's `activation=`
/// argument, or the `ReLU(6.0)` layer that follows each batch norm in MobileNetV2.
public enum FusedActivation: String, Sendable {
    /// The identity.
    case linear
    /// max(0, x).
    case relu
    /// min(max(0, x), 6): Keras's `layers.ReLU(6.0)`, TF's `tf.nn.relu6`, the activation of
    /// MobileNets (Howard et al., arXiv:1704.04861, section 3.1 footnote; Sandler et al.,
    /// arXiv:1801.04381, section 3.2: robust in low-precision arithmetic).
    case relu6

    /// The activation of one value.
    @inline(__always)
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .linear: x
        case .relu: max(x, 0)
        case .relu6: min(max(x, 0), 6)
        }
    }

    /// The activation of 8 values at once.
    @inline(__always)
    func callAsFunction(_ x: SIMD8<Float>) -> SIMD8<Float> {
        switch self {
        case .linear: x
        case .relu: x.replacing(with: 0, where: x .< 0)
        case .relu6:
            // Two compare-and-selects: the standard library's `clamped` and `pointwiseMin` go
            // element by element (they order NaNs) and cost four times the whole pass.
            x.replacing(with: 0, where: x .< 0).replacing(with: 6, where: x .> 6)
        }
    }

    /// y[r, c] ← act(y[r, c] + bias[c] + residual[r, c]) for `rows` rows of `channels` values:
    /// the pass after an SGEMM, vectorized over channels.
    /// - Parameters:
    ///   - y: [rows, channels], updated in place.
    ///   - bias: [channels].
    ///   - residual: [rows, channels] added before the activation (a residual connection), or nil.
    func finish(_ y: UnsafeMutablePointer<Float>, rows: Int, channels: Int, bias: UnsafePointer<Float>,
                residual: UnsafePointer<Float>? = nil) {
        let vectorEnd = channels - channels % 8
        for row in 0..<rows {
            let out = y + row * channels
            let skip = residual.map { $0 + row * channels }
            var c = 0
            while c < vectorEnd {
                var v = out.load8(c) + bias.load8(c)
                if let skip { v += skip.load8(c) }
                out.store8(self(v), c)
                c += 8
            }
            while c < channels {
                out[c] = self(out[c] + bias[c] + (skip?[c] ?? 0))
                c += 1
            }
        }
    }
}
