// Dimensions: N batch, H height, W width, C channels, F filters, KH x KW kernel (README.md).

import CBLAS

/// How a 2-D window meets the border, as TensorFlow's `padding=` (`"SAME"` or `"VALID"`).
public enum Padding2D: String, Sendable {
    /// Output ceil(in / stride); the zeros needed, max((out - 1)·stride + k - in, 0), are split
    /// with the smaller half before: for a 3 x 3 window with stride 2 on an even size, 0 before
    /// and 1 after (TF's `GetWindowedOutputSize`; Keras's `correct_pad` + `valid` gives the same).
    case same
    /// No padding: output (in - k) / stride + 1.
    case valid

    /// The output extent along one axis and the zeros added before the input.
    public func output(_ size: Int, kernel: Int, stride: Int) -> (size: Int, before: Int) {
        switch self {
        case .same:
            let out = (size + stride - 1) / stride
            return (out, max((out - 1) * stride + kernel - size, 0) / 2)
        case .valid:
            return ((size - kernel) / stride + 1, 0)
        }
    }
}

/// A frozen 2-D convolution, Keras's `layers.Conv2D(F, (KH, KW), strides, padding)` in
/// inference: a cross-correlation over channels-last images,
///
///     y[n, i, j, f] = act(b[f] + Σ_kh Σ_kw Σ_c x[n, i·s - top + kh, j·s - left + kw, c] · W[kh, kw, c, f])
///
/// with x taken as 0 outside the image. Shapes: input [N, H, W, C], kernel W [KH, KW, C, F]
/// (TF's HWIO layout, Keras's and TF-slim's), bias b [F], output [N, H', W', F].
///
/// A 1 x 1 convolution with stride 1 is one SGEMM per image, x [H·W, C] · W [C, F], with no
/// copy (channels-last makes each pixel a row). Any other is im2col then SGEMM (Chellapilla et
/// al., 2006): the KH·KW·C inputs under each output pixel become a row of `col`
/// [H'·W', KH·KW·C], zeros where the window leaves the image. The bias, a residual and the
/// activation are added in one pass after the product (`FusedActivation.finish`). Forward
/// only: the layer is a frozen feature extractor (its weights come from a checkpoint).
public struct Conv2D: Sendable {
    /// W [KH, KW, C, F].
    public let kernel: Tensor
    /// b [F].
    public let bias: [Float]
    /// The step between windows, the same along both axes.
    public let stride: Int
    public let padding: Padding2D
    public let activation: FusedActivation

    /// KH, KW, C, F.
    public var kernelHeight: Int { kernel.shape[0] }
    public var kernelWidth: Int { kernel.shape[1] }
    public var inputChannels: Int { kernel.shape[2] }
    public var filters: Int { kernel.shape[3] }

    /// A convolution from its weights.
    /// - Parameters:
    ///   - kernel: W [KH, KW, C, F].
    ///   - bias: b [F]; zeros when nil (`use_bias=False`).
    public init(kernel: Tensor, bias: [Float]? = nil, stride: Int = 1, padding: Padding2D = .same,
                activation: FusedActivation = .linear) {
        precondition(kernel.shape.count == 4, "Conv2D kernel must be [KH, KW, C, F], got \(kernel.shape)")
        precondition(stride >= 1, "Conv2D stride must be at least 1")
        precondition(bias == nil || bias!.count == kernel.shape[3],
                     "Conv2D bias has \(bias!.count) values for \(kernel.shape[3]) filters")
        self.kernel = kernel
        self.bias = bias ?? [Float](repeating: 0, count: kernel.shape[3])
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// H', W' for an input of H x W.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (padding.output(height, kernel: kernelHeight, stride: stride).size,
         padding.output(width, kernel: kernelWidth, stride: stride).size)
    }

    /// Whether the convolution is a plain matrix product (1 x 1, stride 1), needing no im2col.
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 }

    /// The floats of im2col scratch one image of H x W needs (0 for a pointwise convolution).
    public func columnCount(height: Int, width: Int) -> Int {
        guard !isPointwise else { return 0 }
        let out = outputSize(height: height, width: width)
        return out.height * out.width * kernelHeight * kernelWidth * inputChannels
    }

    /// y [N, H', W', F] for x [N, H, W, C].
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[3] == inputChannels,
                     "Conv2D expects [N, H, W, \(inputChannels)], got \(x.shape)")
        let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let out = outputSize(height: h, width: w)
        var y = [Float](repeating: 0, count: n * out.height * out.width * filters)
        var columns = [Float](repeating: 0, count: columnCount(height: h, width: w))
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                columns.withUnsafeMutableBufferPointer { cs in
                    for image in 0..<n {
                        apply(xs.baseAddress! + image * h * w * inputChannels, height: h, width: w,
                              into: ys.baseAddress! + image * out.height * out.width * filters,
                              columns: cs.baseAddress)
                    }
                }
            }
        }
        return Tensor(shape: [n, out.height, out.width, filters], values: y)
    }

    /// One image: y [H', W', F] from x [H, W, C].
    /// - Parameters:
    ///   - columns: `columnCount(height:width:)` floats of scratch (unused when pointwise).
    ///   - residual: [H', W', F] added before the activation, or nil.
    func apply(_ x: UnsafePointer<Float>, height: Int, width: Int, into y: UnsafeMutablePointer<Float>,
               columns: UnsafeMutablePointer<Float>?, residual: UnsafePointer<Float>? = nil) {
        let (c, f) = (inputChannels, filters)
        let rowsOut = padding.output(height, kernel: kernelHeight, stride: stride)
        let colsOut = padding.output(width, kernel: kernelWidth, stride: stride)
        let pixels = rowsOut.size * colsOut.size
        let a: UnsafePointer<Float>
        let depth: Int
        if isPointwise {
            a = x
            depth = c
        } else {
            let columns = columns!
            let span = kernelWidth * c
            depth = kernelHeight * span
            for i in 0..<rowsOut.size {
                for j in 0..<colsOut.size {
                    let row = columns + (i * colsOut.size + j) * depth
                    for kh in 0..<kernelHeight {
                        let target = row + kh * span
                        let sourceRow = i * stride - rowsOut.before + kh
                        guard sourceRow >= 0 && sourceRow < height else {
                            target.update(repeating: 0, count: span)
                            continue
                        }
                        let firstColumn = j * stride - colsOut.before
                        if firstColumn >= 0 && firstColumn + kernelWidth <= width {
                            target.update(from: x + (sourceRow * width + firstColumn) * c, count: span)
                        } else {
                            for kw in 0..<kernelWidth {
                                let column = firstColumn + kw
                                if column >= 0 && column < width {
                                    (target + kw * c).update(from: x + (sourceRow * width + column) * c, count: c)
                                } else {
                                    (target + kw * c).update(repeating: 0, count: c)
                                }
                            }
                        }
                    }
                }
            }
            a = UnsafePointer(columns)
        }
        kernel.values.withUnsafeBufferPointer { weights in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(pixels), Int32(f), Int32(depth),
                        1, a, Int32(depth), weights.baseAddress, Int32(f), 0, y, Int32(f))
        }
        bias.withUnsafeBufferPointer { b in
            activation.finish(y, rows: pixels, channels: f, bias: b.baseAddress!, residual: residual)
        }
    }
}
