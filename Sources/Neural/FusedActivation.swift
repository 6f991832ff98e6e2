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
                var v = load8(out + c) + load8(bias + c)
                if let skip { v += load8(skip + c) }
                store8(self(v), out + c)
                c += 8
            }
            while c < channels {
                out[c] = self(out[c] + bias[c] + (skip?[c] ?? 0))
                c += 1
            }
        }
    }
}

/// Eight consecutive floats from any alignment.
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at any alignment.
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// A standalone ReLU6 layer, Keras's `layers.ReLU(max_value=6.0)`: y = min(max(0, x), 6), any
/// shape.
public final class ReLU6: Layer {
    public let typeName = "ReLU"
    public let nameStem = "re_lu"
    public var name = "re_lu"
    private var output: [Float] = []

    public init() {}

    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] { inputShape }

    /// y = min(max(0, x), 6), elementwise.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var y = x
        for i in y.values.indices { y.values[i] = FusedActivation.relu6(y.values[i]) }
        output = y.values
        return y
    }

    /// dx = dy where 0 < y < 6, else 0 (TF's `Relu6Grad`: `gradients * (features > 0) * (features < 6)`).
    public func backward(_ dy: Tensor) -> Tensor {
        var dx = dy
        for i in dx.values.indices where output[i] <= 0 || output[i] >= 6 { dx.values[i] = 0 }
        return dx
    }
}
