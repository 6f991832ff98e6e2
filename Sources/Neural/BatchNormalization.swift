// Dimensions: N batch, H height, W width, C channels, F filters (README.md).

/// Batch normalization in inference mode, Keras's `layers.BatchNormalization(epsilon)` called
/// with `training=False`: each channel is normalized with the moving statistics learned in
/// training, then scaled and shifted,
///
///     y[..., c] = γ[c] · (x[..., c] - μ[c]) / √(σ²[c] + ε) + β[c]
///               = x[..., c] · scale[c] + shift[c],   scale = γ / √(σ² + ε),  shift = β - μ · scale
///
/// over the last axis of any shape. Ioffe and Szegedy, "Batch normalization", ICML 2015,
/// algorithm 2. TF-slim names the four vectors `gamma`, `beta`, `moving_mean`,
/// `moving_variance`; Keras and TF-slim's MobileNetV2 both use ε = 1e-3.
///
/// Since the map is affine per channel it folds into the convolution before it (`folded`):
/// W'[..., f] = W[..., f] · scale[f], b' = b · scale + shift, so a frozen network pays nothing
/// for its batch norms.
public struct BatchNormalization: Sendable {
    public let gamma: [Float]
    public let beta: [Float]
    public let movingMean: [Float]
    public let movingVariance: [Float]
    public let epsilon: Float

    /// γ / √(σ² + ε), per channel.
    public let scale: [Float]
    /// β - μ · scale, per channel.
    public let shift: [Float]

    /// A batch norm from its four vectors of C values each.
    public init(gamma: [Float], beta: [Float], movingMean: [Float], movingVariance: [Float], epsilon: Float = 1e-3) {
        let c = gamma.count
        precondition(beta.count == c && movingMean.count == c && movingVariance.count == c,
                     "batch norm vectors differ in length: \(c), \(beta.count), \(movingMean.count), \(movingVariance.count)")
        self.gamma = gamma
        self.beta = beta
        self.movingMean = movingMean
        self.movingVariance = movingVariance
        self.epsilon = epsilon
        // In Double, then rounded once: Keras computes in float32, which differs by an ulp.
        let scale = (0..<c).map { Float(Double(gamma[$0]) / (Double(movingVariance[$0]) + Double(epsilon)).squareRoot()) }
        self.scale = scale
        shift = (0..<c).map { Float(Double(beta[$0]) - Double(movingMean[$0]) * Double(scale[$0])) }
    }

    /// C, the number of channels.
    public var channels: Int { gamma.count }

    /// y = x · scale + shift over the last axis of x (any shape whose last extent is C).
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == channels, "BatchNormalization over \(channels) channels got \(x.shape)")
        var y = x
        for i in y.values.indices {
            let c = i % channels
            y.values[i] = y.values[i] * scale[c] + shift[c]
        }
        return y
    }

    /// A kernel and bias that give the convolution followed by this batch norm: the last axis
    /// of `kernel` (F, the output channels: [KH, KW, C, F] for `Conv2D`, and [KH, KW, C, 1]
    /// for `DepthwiseConv2D`, whose outputs are its C channels) is scaled.
    /// - Parameters:
    ///   - kernel: the convolution's kernel; its output channels must number C.
    ///   - bias: its bias, or nil for none.
    /// - Returns: W' and b'.
    public func folded(kernel: Tensor, bias: [Float]? = nil, depthwise: Bool = false) -> (kernel: Tensor, bias: [Float]) {
        let outputs = depthwise ? kernel.shape[kernel.shape.count - 2] : kernel.shape.last!
        precondition(outputs == channels, "cannot fold a batch norm of \(channels) channels into a kernel \(kernel.shape)")
        let stride = depthwise ? kernel.shape.last! : 1
        var w = kernel
        for i in w.values.indices { w.values[i] *= scale[(i / stride) % channels] }
        let b = (0..<channels).map { (bias?[$0] ?? 0) * scale[$0] + shift[$0] }
        return (w, b)
    }
}
