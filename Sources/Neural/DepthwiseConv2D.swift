// Dimensions: N batch, H height, W width, C channels, KH x KW kernel (README.md).

/// A frozen depthwise 2-D convolution with depth multiplier 1, Keras's
/// `layers.DepthwiseConv2D((KH, KW), strides, padding)` in inference: each channel is
/// filtered by its own KH x KW window, with no sum across channels,
///
///     y[n, i, j, c] = act(b[c] + Σ_kh Σ_kw x[n, i·s - top + kh, j·s - left + kw, c] · W[kh, kw, c, 0])
///
/// Shapes: input [N, H, W, C], kernel W [KH, KW, C, 1] (TF's layout for
/// `depthwise_conv2d`, Keras's `depthwise_kernel`, TF-slim's `depthwise_weights`), bias b [C],
/// output [N, H', W', C].
///
/// There is no matrix product to hand to BLAS (9 multiply-adds per output value), so this is a
/// direct loop: channels-last puts the C values of a pixel side by side, and the C values of
/// one tap of the kernel too, so each output pixel is KH·KW vector multiply-adds over 8
/// channels at a time, the accumulator staying in registers until the bias and activation are
/// applied and it is stored once. MobileNets (Howard et al., arXiv:1704.04861, section 3.1)
/// factor a convolution into this and a 1 x 1 `Conv2D`.
public struct DepthwiseConv2D: Sendable {
    /// W [KH, KW, C, 1].
    public let kernel: Tensor
    /// b [C].
    public let bias: [Float]
    public let stride: Int
    public let padding: Padding2D
    public let activation: FusedActivation

    public var kernelHeight: Int { kernel.shape[0] }
    public var kernelWidth: Int { kernel.shape[1] }
    public var channels: Int { kernel.shape[2] }

    /// A depthwise convolution from its weights.
    /// - Parameters:
    ///   - kernel: W [KH, KW, C, 1].
    ///   - bias: b [C]; zeros when nil (`use_bias=False`).
    public init(kernel: Tensor, bias: [Float]? = nil, stride: Int = 1, padding: Padding2D = .same,
                activation: FusedActivation = .linear) {
        precondition(kernel.shape.count == 4 && kernel.shape[3] == 1,
                     "DepthwiseConv2D kernel must be [KH, KW, C, 1], got \(kernel.shape)")
        precondition(stride >= 1, "DepthwiseConv2D stride must be at least 1")
        precondition(bias == nil || bias!.count == kernel.shape[2],
                     "DepthwiseConv2D bias has \(bias!.count) values for \(kernel.shape[2]) channels")
        self.kernel = kernel
        self.bias = bias ?? [Float](repeating: 0, count: kernel.shape[2])
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// H', W' for an input of H x W.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (padding.output(height, kernel: kernelHeight, stride: stride).size,
         padding.output(width, kernel: kernelWidth, stride: stride).size)
    }

    /// y [N, H', W', C] for x [N, H, W, C].
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[3] == channels,
                     "DepthwiseConv2D expects [N, H, W, \(channels)], got \(x.shape)")
        let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let out = outputSize(height: h, width: w)
        var y = [Float](repeating: 0, count: n * out.height * out.width * channels)
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                for image in 0..<n {
                    apply(xs.baseAddress! + image * h * w * channels, height: h, width: w,
                          into: ys.baseAddress! + image * out.height * out.width * channels)
                }
            }
        }
        return Tensor(shape: [n, out.height, out.width, channels], values: y)
    }

    /// One image: y [H', W', C] from x [H, W, C].
    func apply(_ x: UnsafePointer<Float>, height: Int, width: Int, into y: UnsafeMutablePointer<Float>) {
        let c = channels, kh = kernelHeight, kw = kernelWidth, s = stride
        let rows = padding.output(height, kernel: kh, stride: s)
        let cols = padding.output(width, kernel: kw, stride: s)
        let vectorEnd = c - c % 8
        let act = activation
        kernel.values.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { biases in
                let k = weights.baseAddress!, b = biases.baseAddress!
                for i in 0..<rows.size {
                    let top = i * s - rows.before
                    let khFirst = max(0, -top), khEnd = min(kh, height - top)
                    for j in 0..<cols.size {
                        let left = j * s - cols.before
                        let kwFirst = max(0, -left), kwEnd = min(kw, width - left)
                        let out = y + (i * cols.size + j) * c
                        let origin = x + (top * width + left) * c
                        // Four vectors at a time give the multiply-adds independent chains.
                        var ch = 0
                        while ch + 32 <= vectorEnd {
                            var a0 = b.load8(ch), a1 = b.load8(ch + 8)
                            var a2 = b.load8(ch + 16), a3 = b.load8(ch + 24)
                            for r in khFirst..<khEnd {
                                for q in kwFirst..<kwEnd {
                                    let xp = origin + (r * width + q) * c + ch
                                    let kp = k + (r * kw + q) * c + ch
                                    a0 += xp.load8() * kp.load8()
                                    a1 += xp.load8(8) * kp.load8(8)
                                    a2 += xp.load8(16) * kp.load8(16)
                                    a3 += xp.load8(24) * kp.load8(24)
                                }
                            }
                            out.store8(act(a0), ch)
                            out.store8(act(a1), ch + 8)
                            out.store8(act(a2), ch + 16)
                            out.store8(act(a3), ch + 24)
                            ch += 32
                        }
                        while ch < vectorEnd {
                            var a0 = b.load8(ch)
                            for r in khFirst..<khEnd {
                                for q in kwFirst..<kwEnd {
                                    a0 += origin.load8((r * width + q) * c + ch) * k.load8((r * kw + q) * c + ch)
                                }
                            }
                            out.store8(act(a0), ch)
                            ch += 8
                        }
                        while ch < c {
                            var a = b[ch]
                            for r in khFirst..<khEnd {
                                for q in kwFirst..<kwEnd {
                                    a += origin[(r * width + q) * c + ch] * k[(r * kw + q) * c + ch]
                                }
                            }
                            out[ch] = act(a)
                            ch += 1
                        }
                    }
                }
            }
        }
    }
}
