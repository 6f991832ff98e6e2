// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// A 1-D convolution, Keras's `layers.Conv1D(F, K, activation:)` with its defaults: stride 1,
/// `padding="valid"`, no dilation. Like every deep-learning "convolution" it is a
/// cross-correlation (the kernel is not flipped):
///
///     y[n, l, f] = act(b[f] + Σ_k Σ_c x[n, l + k, c] · W[k, c, f])
///
/// Shapes: input [N, L, C], kernel W [K, C, F] (Keras's layout), bias b [F],
/// output [N, L - K + 1, F]. Kernel Glorot-uniform with fan_in = K·C, fan_out = K·F; bias zero.
///
/// Channels-last makes the K·C inputs under output position l one contiguous run of x,
/// x[n, l..<l+K, 0..<C], so that y[n, l, :] = b + x[n, l..<l+K, :] · W with W seen as [K·C, F].
/// Two ways to compute it, chosen by the size of K·C:
/// - K·C ≥ 16 (the article's second layer, 3·128): im2col (Chellapilla, Puri and Simard, "High
///   performance convolutional neural networks for document processing", 2006), one batch item
///   at a time on each core. The runs are copied as the rows of `col` [L', K·C] and the item's
///   convolution is one SGEMM, `col · W`. Backward, dW = Σ_n colᵀ g is one SGEMM per item, and
///   dx is the "full" convolution of g with the flipped kernel, again one SGEMM with an inner
///   dimension of K·F: dx[p, :] = [g[p-K+1], …, g[p]] · Wr, rows of g outside 0..<L' zero,
///   Wr[(s, f), c] = W[K-1-s, c, f]. Working per item keeps each `col` (7.7 MB for the article's
///   layer) in the cache rather than a 245 MB matrix for the batch, and avoids the col2im pass.
/// - K·C < 16 (the first layer on raw audio, 3·1): a direct loop. A product with an inner
///   dimension of 3 is all memory traffic, and the loop writes y once with the bias, the taps
///   and the ReLU fused, vectorized over the F filters.
///
/// Sums over the batch (dW, db) are made per item and added in item order, so the result does
/// not depend on the number of threads.
public final class Conv1D: Layer {
    public let typeName = "Conv1D"
    public let nameStem = "conv1d"
    public var name = "conv1d"
    /// F, the number of filters (output channels).
    public let filters: Int
    /// K, the kernel size.
    public let kernelSize: Int
    /// The activation fused into the layer.
    public let activation: Activation
    /// W [K, C, F], once built.
    public private(set) var kernel: Parameter!
    /// b [F], once built.
    public private(set) var bias: Parameter!

    /// K·C below which the direct loop is used rather than im2col and SGEMM.
    static let directLimit = 16

    // What the backward pass needs from the last forward pass, and buffers kept for reuse.
    private var input = Tensor(shape: [0, 0, 0])
    private var output: [Float] = []       // y [N·L', F], after the activation
    private var inputGradient: [Float] = []
    private var scratch: [Float] = []      // per-core im2col and gradient rows

    /// A convolution of `filters` filters of width `kernelSize`.
    public init(_ filters: Int, _ kernelSize: Int, activation: Activation = .linear) {
        precondition(filters > 0 && kernelSize > 0, "Conv1D needs filters and a kernel size > 0")
        self.filters = filters
        self.kernelSize = kernelSize
        self.activation = activation
    }

    public var parameters: [Parameter] { kernel.map { [$0, bias] } ?? [] }

    /// Builds for input [L, C]; output [L - K + 1, F].
    public func build(inputShape: [Int], generator: inout SplitMix64) -> [Int] {
        precondition(inputShape.count == 2, "Conv1D expects [L, C] per example, got \(inputShape)")
        let (l, c, k, f) = (inputShape[0], inputShape[1], kernelSize, filters)
        precondition(l >= k, "Conv1D: length \(l) is shorter than the kernel \(k)")
        kernel = Parameter(name: "kernel", value: Tensor(
            shape: [k, c, f],
            values: GlorotUniform.values(count: k * c * f, fanIn: k * c, fanOut: k * f, generator: &generator)))
        bias = Parameter(name: "bias", value: Tensor(shape: [f]))
        return [l - k + 1, f]
    }

    /// y [N, L', F] = act(col [N·L', K·C] · W [K·C, F] + b), L' = L - K + 1.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        precondition(x.shape.count == 3 && x.shape[2] == c, "Conv1D expects [N, L, \(c)], got \(x.shape)")
        let n = x.shape[0], l = x.shape[1], lOut = l - k + 1, kc = k * c, rows = n * lOut
        precondition(lOut > 0, "Conv1D: length \(l) is shorter than the kernel \(k)")
        var y = [Float].reusing(&output, count: rows * f)
        let relu = activation == .relu
        x.values.withUnsafeBufferPointer { xs in
            kernel.value.values.withUnsafeBufferPointer { ws in
                bias.value.values.withUnsafeBufferPointer { bs in
                    y.withUnsafeMutableBufferPointer { ys in
                        let (xBase, wBase, bBase, yBase) = (xs.baseAddress!, ws.baseAddress!, bs.baseAddress!, ys.baseAddress!)
                        if kc < Self.directLimit {
                            parallelFor(n) { item in
                                for position in 0..<lOut {
                                    let row = yBase + (item * lOut + position) * f
                                    let taps = xBase + (item * l + position) * c
                                    var j = 0
                                    while j + 8 <= f {
                                        var sum = bBase.load8(j)
                                        for t in 0..<kc { sum += taps[t] * wBase.load8(t * f + j) }
                                        row.store8(relu ? sum.replacing(with: 0, where: sum .< 0) : sum, j)
                                        j += 8
                                    }
                                    for j in j..<f {
                                        var sum = bBase[j]
                                        for t in 0..<kc { sum += taps[t] * wBase[t * f + j] }
                                        row[j] = relu && sum < 0 ? 0 : sum
                                    }
                                }
                            }
                        } else {
                            // im2col, item by item: row l of `col` is x[n, l..<l+K, :], and y starts as b.
                            let size = lOut * kc
                            if scratch.count < Gemm.parts * size { scratch = .uninitialized(Gemm.parts * size) }
                            scratch.withUnsafeMutableBufferPointer { ss in
                                let sBase = ss.baseAddress!
                                parallelParts(n) { part, items in
                                    let col = sBase + part * size
                                    for item in items {
                                        let yItem = yBase + item * lOut * f
                                        for position in 0..<lOut {
                                            (col + position * kc).update(from: xBase + (item * l + position) * c, count: kc)
                                            (yItem + position * f).update(from: bBase, count: f)
                                        }
                                        Gemm.multiply(m: lOut, n: f, k: kc, col, wBase, beta: 1, yItem, split: false)
                                        if relu { Activation.relu.apply(UnsafeMutableBufferPointer(start: yItem, count: lOut * f), split: false) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        input = x
        output = y
        return Tensor(shape: [n, lOut, f], values: y)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        backward(dy, inputGradient: true)!
    }

    public func backwardParameters(_ dy: Tensor) {
        _ = backward(dy, inputGradient: false)
    }

    /// With g = dy through the activation, [N·L', F]:
    /// dW [K·C, F] = colᵀ g, db [F] = Σ_rows g, dcol [N·L', K·C] = g Wᵀ, and col2im adds each
    /// row of dcol back onto the K·C inputs it was copied from (skipped for the first layer,
    /// whose input needs no gradient).
    private func backward(_ dy: Tensor, inputGradient needed: Bool) -> Tensor? {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        let n = input.shape[0], l = input.shape[1], lOut = l - k + 1, kc = k * c
        precondition(dy.shape == [n, lOut, f], "Conv1D backward expects [\(n), \(lOut), \(f)], got \(dy.shape)")
        var dx: [Float] = needed ? .reusing(&inputGradient, count: n * l * c) : []
        if kc < Self.directLimit {
            directBackward(dy, dx: &dx, wantDx: needed)
        } else {
            gemmBackward(dy, dx: &dx, wantDx: needed)
        }
        input = Tensor(shape: [0, 0, 0])
        guard needed else { return nil }
        inputGradient = dx
        return Tensor(shape: [n, l, c], values: dx)
    }

    /// The im2col backward pass, item by item on each core: g = dy through the activation;
    /// dW_n = col_nᵀ g_n and db_n = Σ_l g_n into per-item partials; dx_n = gcol_n · Wr, where row
    /// p of gcol_n is g_n[p-K+1 ..< p+1] (zero outside 0..<L').
    private func gemmBackward(_ dy: Tensor, dx: inout [Float], wantDx: Bool) {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        let n = input.shape[0], l = input.shape[1], lOut = l - k + 1, kc = k * c, kf = k * f
        let relu = activation == .relu
        let size = lOut * kc + lOut * f + l * kf
        if scratch.count < Gemm.parts * size { scratch = .uninitialized(Gemm.parts * size) }
        var partials = [Float].uninitialized(n * (kc * f + f))
        // Wr [(s, f), c] = W[K-1-s, c, f]: the kernel flipped along K and transposed per tap.
        var flipped = [Float].uninitialized(kf * c)
        for s in 0..<k {
            for channel in 0..<c {
                for filter in 0..<f {
                    flipped[(s * f + filter) * c + channel] = kernel.value.values[((k - 1 - s) * c + channel) * f + filter]
                }
            }
        }
        input.values.withUnsafeBufferPointer { xs in
            dy.values.withUnsafeBufferPointer { dys in
                output.withUnsafeBufferPointer { ys in
                    flipped.withUnsafeBufferPointer { wrs in
                        partials.withUnsafeMutableBufferPointer { ps in
                            scratch.withUnsafeMutableBufferPointer { ss in
                                dx.withUnsafeMutableBufferPointer { dxs in
                                    let (xBase, dyBase, yBase, wrBase, pBase, sBase) =
                                        (xs.baseAddress!, dys.baseAddress!, ys.baseAddress!, wrs.baseAddress!,
                                         ps.baseAddress!, ss.baseAddress!)
                                    let dxBase = dxs.baseAddress
                                    parallelParts(n) { part, items in
                                        let col = sBase + part * size, g = col + lOut * kc, gcol = g + lOut * f
                                        for item in items {
                                            let dyItem = dyBase + item * lOut * f, yItem = yBase + item * lOut * f
                                            for i in 0..<(lOut * f) { g[i] = relu && yItem[i] <= 0 ? 0 : dyItem[i] }
                                            for position in 0..<lOut {
                                                (col + position * kc).update(from: xBase + (item * l + position) * c, count: kc)
                                            }
                                            let dW = pBase + item * (kc * f + f)
                                            Gemm.multiply(transposeA: true, m: kc, n: f, k: lOut, col, g, dW, split: false)
                                            columnSums(g, rows: lOut, columns: f, into: dW + kc * f)
                                            guard wantDx, let dxBase else { continue }
                                            for p in 0..<l {
                                                for s in 0..<k {
                                                    let source = p - (k - 1) + s, target = gcol + p * kf + s * f
                                                    if source >= 0 && source < lOut {
                                                        target.update(from: g + source * f, count: f)
                                                    } else {
                                                        target.update(repeating: 0, count: f)
                                                    }
                                                }
                                            }
                                            Gemm.multiply(m: l, n: c, k: kf, gcol, wrBase, dxBase + item * l * c, split: false)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        sumPartials(partials, items: n, kernelCount: kc * f)
    }

    /// Adds the per-item partial sums [N, K·C·F + F] into the kernel's and the bias's
    /// gradients, in item order.
    private func sumPartials(_ partials: [Float], items n: Int, kernelCount: Int) {
        let f = filters, stride = kernelCount + f
        kernel.gradient.values.withUnsafeMutableBufferPointer { dW in
            bias.gradient.values.withUnsafeMutableBufferPointer { db in
                partials.withUnsafeBufferPointer { ps in
                    dW.update(repeating: 0)
                    db.update(repeating: 0)
                    for item in 0..<n {
                        let base = ps.baseAddress! + item * stride
                        for j in 0..<kernelCount { dW[j] += base[j] }
                        for j in 0..<f { db[j] += base[kernelCount + j] }
                    }
                }
            }
        }
    }

    /// The direct loop's backward pass: per batch item, partial sums of dW and db over its
    /// positions (and its slice of dx), then the partials added in item order, so that the
    /// result does not depend on how the items were spread over threads.
    private func directBackward(_ dy: Tensor, dx dxValues: inout [Float], wantDx: Bool) {
        let k = kernelSize, f = filters, c = kernel.value.shape[1]
        let n = input.shape[0], l = input.shape[1], lOut = l - k + 1, kc = k * c
        let stride = kc * f + f
        var partials = [Float](repeating: 0, count: n * stride)
        let relu = activation == .relu
        input.values.withUnsafeBufferPointer { xs in
            dy.values.withUnsafeBufferPointer { dys in
                output.withUnsafeBufferPointer { ys in
                    kernel.value.values.withUnsafeBufferPointer { ws in
                        partials.withUnsafeMutableBufferPointer { ps in
                            dxValues.withUnsafeMutableBufferPointer { dxs in
                                let (xBase, dyBase, yBase, wBase, pBase) =
                                    (xs.baseAddress!, dys.baseAddress!, ys.baseAddress!, ws.baseAddress!, ps.baseAddress!)
                                let dxBase = dxs.baseAddress
                                parallelFor(n) { item in
                                    let dW = pBase + item * stride, db = dW + kc * f
                                    var g = [Float](repeating: 0, count: f)
                                    g.withUnsafeMutableBufferPointer { gs in
                                        let gBase = gs.baseAddress!
                                        if wantDx { for j in 0..<(l * c) { dxBase![item * l * c + j] = 0 } }
                                        for position in 0..<lOut {
                                            let r = item * lOut + position
                                            let dRow = dyBase + r * f, yRow = yBase + r * f
                                            let taps = xBase + (item * l + position) * c
                                            var j = 0
                                            while j + 8 <= f {
                                                let d = dRow.load8(j)
                                                let g = relu ? Float8(repeating: 0).replacing(with: d, where: yRow.load8(j) .> 0) : d
                                                db.store8(db.load8(j) + g, j)
                                                for t in 0..<kc {
                                                    let row = dW + t * f
                                                    row.store8(row.load8(j) + taps[t] * g, j)
                                                }
                                                gBase.store8(g, j)
                                                j += 8
                                            }
                                            for j in j..<f {
                                                let g = relu && yRow[j] <= 0 ? 0 : dRow[j]
                                                db[j] += g
                                                for t in 0..<kc { dW[t * f + j] += taps[t] * g }
                                                gBase[j] = g
                                            }
                                            if wantDx {
                                                let target = dxBase! + (item * l + position) * c
                                                for t in 0..<kc {
                                                    let weights = wBase + t * f
                                                    var sum: Float = 0
                                                    for j in 0..<f { sum += gBase[j] * weights[j] }
                                                    target[t] += sum
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        sumPartials(partials, items: n, kernelCount: kc * f)
    }
}
