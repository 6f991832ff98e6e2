// Dimensions: H height, W width, C channels, F filters (../README.md).

/// One bottleneck block of MobileNetV2, frozen, with its batch norms folded into the
/// convolutions (Sandler et al., "MobileNetV2: inverted residuals and linear bottlenecks",
/// CVPR 2018, arXiv:1801.04381, table 1 and figure 3b):
///
///     1 x 1 expand to t·C (+ BN, ReLU6)   — absent when t = 1 (the first block)
///     3 x 3 depthwise, stride s (+ BN, ReLU6)
///     1 x 1 project to F (+ BN, linear: the "linear bottleneck")
///     + the block's input when s = 1 and C = F
///
/// TF-slim's scope is `MobilenetV2/expanded_conv[_i]/{expand,depthwise,project}`; Keras's
/// layers are `block_i_{expand,depthwise,project}[_BN]`.
struct InvertedResidual: Sendable {
    /// The slim scope: `expanded_conv`, `expanded_conv_1`, ...
    let scope: String
    let expand: Conv2D?
    let depthwise: DepthwiseConv2D
    let project: Conv2D
    /// Whether the input is added to the output.
    let residual: Bool

    var inputChannels: Int { expand?.inputChannels ?? depthwise.channels }
    var outputChannels: Int { project.filters }

    /// One image: y [H', W', F] from x [H, W, C].
    /// - Parameters:
    ///   - expanded, filtered: scratch for the expand and depthwise outputs.
    func apply(_ x: UnsafePointer<Float>, height: Int, width: Int, into y: UnsafeMutablePointer<Float>,
               expanded: UnsafeMutablePointer<Float>, filtered: UnsafeMutablePointer<Float>) -> (height: Int, width: Int) {
        var source = x
        if let expand {
            expand.apply(x, height: height, width: width, into: expanded, columns: nil)
            source = UnsafePointer(expanded)
        }
        depthwise.apply(source, height: height, width: width, into: filtered)
        let out = depthwise.outputSize(height: height, width: width)
        project.apply(filtered, height: out.height, width: out.width, into: y, columns: nil,
                      residual: residual ? x : nil)
        return out
    }
}
