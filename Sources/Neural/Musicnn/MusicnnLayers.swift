// Dimensions: T time frames (187 per patch), B mel bands (96), C channels or filters.

import CBLAS
import TensorBundle

/// A batch norm in inference mode folded into one scale and shift per channel:
/// `γ (x − μ) / √(σ² + ε) + β = scale · x + shift`, ε = 0.001 (`tf.compat.v1.layers`' default).
struct Affine: Sendable {
    let scale: [Float]
    let shift: [Float]

    init(batchNorm checkpoint: TensorBundleReader, scope: String, channels: Int) throws {
        let gamma = try checkpoint.floats(scope + "/gamma", shape: [channels])
        let beta = try checkpoint.floats(scope + "/beta", shape: [channels])
        let mean = try checkpoint.floats(scope + "/moving_mean", shape: [channels])
        let variance = try checkpoint.floats(scope + "/moving_variance", shape: [channels])
        let scale = (0..<channels).map { gamma[$0] / (variance[$0] + 0.001).squareRoot() }
        self.scale = scale
        shift = (0..<channels).map { beta[$0] - mean[$0] * scale[$0] }
    }

    /// `scale · relu(z + bias) + shift` for channel `c`: the tail of every musicnn block.
    @inline(__always)
    func block(_ z: Float, bias: Float, channel c: Int) -> Float {
        scale[c] * max(z + bias, 0) + shift[c]
    }
}

/// A "timbral" front-end filter bank: C = 204 filters spanning 7 frames × `bandWidth` bands,
/// VALID over the zero-padded [193, 96] input, then ReLU, batch norm, and max over the
/// 96 − `bandWidth` + 1 frequency positions → [187, 204].
struct TimbralFilter: Sendable {
    let bandWidth: Int
    /// [7 · bandWidth, 204]: TensorFlow's [7, bandWidth, 1, 204] kernel, row-major.
    let kernel: [Float]
    let bias: [Float]
    let norm: Affine
    static let filters = 204

    /// - Parameters:
    ///   - padded: the normalized input with 3 zero frames before and after, [193, 96].
    ///   - features: the [187, 561] front-end output; columns `column ..< column + 204` are written.
    func apply(padded: UnsafePointer<Float>, into features: UnsafeMutablePointer<Float>, column: Int, split: Bool) {
        let (t, b, c, w) = (MusicnnModel.patchFrames, MusicnnModel.melBandCount, Self.filters, bandWidth)
        let positions = b - w + 1, rows = t * positions, k = 7 * w
        // im2col: row (frame, position) holds the 7 × w patch under the filter, kernel order.
        var columns = [Float].uninitialized(rows * k)
        columns.withUnsafeMutableBufferPointer { col in
            for frame in 0..<t {
                for position in 0..<positions {
                    let row = col.baseAddress! + (frame * positions + position) * k
                    for i in 0..<7 { (row + i * w).update(from: padded + (frame + i) * b + position, count: w) }
                }
            }
        }
        var output = [Float].uninitialized(rows * c)
        musicnnProduct(m: rows, n: c, k: k, columns, kernel, &output, split: split)
        poolOverFrequency(output, frames: t, positions: positions, positionStride: c, frameStride: positions * c,
                          filters: c, bias: bias, norm: norm, into: features, column: column)
    }
}

/// A "temporal" front-end filter bank: C = 51 filters spanning `length` frames × 1 band,
/// "same" padding in time (TensorFlow: ⌊(length − 1) / 2⌋ before, the rest after), shared by
/// all 96 bands, then ReLU, batch norm, max over the bands → [187, 51].
struct TemporalFilter: Sendable {
    let length: Int
    /// [length, 51]: TensorFlow's [length, 1, 1, 51] kernel.
    let kernel: [Float]
    let bias: [Float]
    let norm: Affine
    static let filters = 51

    /// - Parameters:
    ///   - input: the normalized input, [187, 96].
    ///   - features: the [187, 561] front-end output; columns `column ..< column + 51` are written.
    func apply(input: UnsafePointer<Float>, into features: UnsafeMutablePointer<Float>, column: Int, split: Bool) {
        let (t, b, c, k) = (MusicnnModel.patchFrames, MusicnnModel.melBandCount, Self.filters, length)
        let before = (k - 1) / 2, paddedLength = t + k - 1
        // Band-major copy with the time padding, so that each band's frames are contiguous:
        // then row (band, frame) of the im2col matrix is one run of k values.
        var bands = [Float](repeating: 0, count: b * paddedLength)
        for frame in 0..<t {
            for band in 0..<b { bands[band * paddedLength + before + frame] = input[frame * b + band] }
        }
        let rows = b * t
        var columns = [Float].uninitialized(rows * k)
        bands.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { col in
                for band in 0..<b {
                    for frame in 0..<t {
                        (col.baseAddress! + (band * t + frame) * k)
                            .update(from: source.baseAddress! + band * paddedLength + frame, count: k)
                    }
                }
            }
        }
        var output = [Float].uninitialized(rows * c)
        musicnnProduct(m: rows, n: c, k: k, columns, kernel, &output, split: split)
        poolOverFrequency(output, frames: t, positions: b, positionStride: t * c, frameStride: c,
                          filters: c, bias: bias, norm: norm, into: features, column: column)
    }
}

/// Max over frequency positions of `norm(relu(z + bias))`, for every frame and filter.
///
/// `x ↦ scale · relu(x + bias) + shift` is monotone, increasing when scale ≥ 0 and decreasing
/// otherwise (also in floating point, since rounding is monotone), so its maximum over the
/// positions is its value at the largest z, or at the smallest when scale < 0: the pooling
/// runs on the raw products and the block's tail once per frame and filter.
private func poolOverFrequency(
    _ z: [Float], frames: Int, positions: Int, positionStride: Int, frameStride: Int, filters: Int,
    bias: [Float], norm: Affine, into features: UnsafeMutablePointer<Float>, column: Int
) {
    var largest = [Float](repeating: 0, count: filters)
    var smallest = [Float](repeating: 0, count: filters)
    z.withUnsafeBufferPointer { zs in
        for frame in 0..<frames {
            let first = zs.baseAddress! + frame * frameStride
            for c in 0..<filters { largest[c] = first[c]; smallest[c] = first[c] }
            for position in 1..<positions {
                let row = first + position * positionStride
                for c in 0..<filters {
                    largest[c] = max(largest[c], row[c])
                    smallest[c] = min(smallest[c], row[c])
                }
            }
            let out = features + frame * MusicnnModel.frontEndWidth + column
            for c in 0..<filters {
                out[c] = norm.block(norm.scale[c] >= 0 ? largest[c] : smallest[c], bias: bias[c], channel: c)
            }
        }
    }
}

/// A mid-end layer: a 1-D convolution over time, 64 filters of width 7 over `inputChannels`,
/// zero padding 3 + 3, then ReLU and batch norm (TensorFlow: a [7, C, 1, 64] VALID conv2d
/// over the padded [193, C, 1] map).
struct MidEndConvolution: Sendable {
    let inputChannels: Int
    /// [7 · C, 64]: TensorFlow's [7, C, 1, 64] kernel.
    let kernel: [Float]
    let bias: [Float]
    let norm: Affine
    static let filters = 64

    /// - Parameters:
    ///   - padded: the input with 3 zero frames before and after, [193, C].
    ///   - output: [187, 64], written.
    func apply(padded: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, split: Bool) {
        let (t, c, f) = (MusicnnModel.patchFrames, inputChannels, Self.filters)
        // No im2col: the 7 kernel rows are 7 products over shifted views of the input,
        // accumulated (x[t + i, :] · W[i] summed over i).
        kernel.withUnsafeBufferPointer { w in
            for i in 0..<7 {
                musicnnProduct(m: t, n: f, k: c, padded + i * c, w.baseAddress! + i * c * f, output,
                               accumulate: i > 0, split: split)
            }
        }
        for frame in 0..<t {
            for j in 0..<f { output[frame * f + j] = norm.block(output[frame * f + j], bias: bias[j], channel: j) }
        }
    }
}

/// A dense layer's weights: kernel [inputs, units] (TensorFlow's layout), bias [units].
struct DenseWeights: Sendable {
    let inputs: Int
    let units: Int
    let kernel: [Float]
    let bias: [Float]

    /// y = x · W + b for one input vector.
    func apply(_ x: [Float]) -> [Float] {
        var y = bias
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(inputs), Int32(units), 1, kernel, Int32(units),
                    x, 1, 1, &y, 1)
        return y
    }
}

/// C [M, N] = A [M, K] · B [K, N] (+ C when `accumulate`), row-major, lda = K, ldb = ldc = N.
/// With `split`, the product is cut over the cores (`Gemm`); else it runs on this thread.
private func musicnnProduct(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ c: UnsafeMutablePointer<Float>, accumulate: Bool = false, split: Bool) {
    if split {
        Gemm.multiply(m: m, n: n, k: k, a, b, beta: accumulate ? 1 : 0, c)
    } else {
        _ = musicnnSingleThreadedBLAS
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k),
                    b, Int32(n), accumulate ? 1 : 0, c, Int32(n))
    }
}

private func musicnnProduct(m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float], _ c: inout [Float], split: Bool) {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                musicnnProduct(m: m, n: n, k: k, a.baseAddress!, b.baseAddress!, c.baseAddress!, split: split)
            }
        }
    }
}

/// OpenBLAS on the calling thread: musicnn runs whole patches on separate cores.
private let musicnnSingleThreadedBLAS: Void = openblas_set_num_threads(1)
