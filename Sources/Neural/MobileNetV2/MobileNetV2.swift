// Dimensions: N batch, H height, W width, C channels, F filters (../README.md).

import CBLAS
import Dispatch
import Foundation

/// MobileNetV2 (alpha 1.0) without its classifier, frozen: the article's base network, giving
/// each 224 x 224 x 3 image a 1280-d embedding (the global average of the last feature map,
/// Keras's `MobileNetV2(include_top=False, pooling="avg")`).
///
/// Sandler, Howard, Zhu, Zhmoginov and Chen, "MobileNetV2: inverted residuals and linear
/// bottlenecks", CVPR 2018 (arXiv:1801.04381), table 2:
///
///     3 x 3 conv, 32, stride 2 (+ BN, ReLU6)                        TF-slim scope  Conv
///     17 inverted residual blocks (t expansion, c channels, n repeats, s stride of the first):
///       t 1 c 16 n 1 s 1 · t 6 c 24 n 2 s 2 · t 6 c 32 n 3 s 2 · t 6 c 64 n 4 s 2
///       t 6 c 96 n 3 s 1 · t 6 c 160 n 3 s 2 · t 6 c 320 n 1 s 1    expanded_conv, expanded_conv_1..16
///     1 x 1 conv, 1280 (+ BN, ReLU6)                                 Conv_1
///     global average pooling → 1280
///
/// Every convolution is followed by a batch norm (ε = 1e-3) and has no bias; the batch norms
/// are folded into the convolutions when the weights are loaded. Stride-2 layers pad as TF's
/// `SAME` (0 before, 1 after on even sizes), which is also what Keras's `correct_pad` does.
/// Inputs are RGB in [-1, 1] (Keras's `preprocess_input`, x / 127.5 - 1), any size of at least
/// 32 x 32; the weights were trained at 224 x 224.
///
/// Speed: each image runs through the whole network on one core, its activations (at most
/// 112 · 112 · 96 floats) staying in the cache, while the batch is shared among the cores.
/// The 1 x 1 convolutions, 95 % of the multiply-adds, are single-threaded SGEMMs; the depthwise
/// ones a SIMD loop over channels; batch norms cost nothing, and ReLU6 and the residual sum are
/// applied in the pass that adds the bias.
public final class MobileNetV2: Sendable {
    /// The embedding's size, F of the last convolution.
    public static let embeddingSize = 1280
    /// The training image size.
    public static let imageSize = 224
    /// ε of every batch norm (Keras's and TF-slim's).
    public static let batchNormEpsilon: Float = 1e-3

    /// The bottleneck table of the paper: expansion t, output channels c, repeats n, stride s.
    public static let bottlenecks: [(expansion: Int, channels: Int, repeats: Int, stride: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    let stem: Conv2D
    let blocks: [InvertedResidual]
    let head: Conv2D
    /// How many variables were read from their `ExponentialMovingAverage` copy, of how many.
    public let movingAverageCount: Int
    public let variableCount: Int

    /// Every variable the network reads, as TF-slim names it, with its shape: 260 of them.
    public static var variables: [(name: String, shape: [Int])] {
        var list: [(String, [Int])] = []
        func conv(_ scope: String, _ shape: [Int], depthwise: Bool = false) {
            list.append(("MobilenetV2/\(scope)/\(depthwise ? "depthwise_weights" : "weights")", shape))
            let c = depthwise ? shape[2] : shape[3]
            for part in ["gamma", "beta", "moving_mean", "moving_variance"] {
                list.append(("MobilenetV2/\(scope)/BatchNorm/\(part)", [c]))
            }
        }
        conv("Conv", [3, 3, 3, 32])
        for block in blockPlan {
            if block.expansion != 1 {
                conv("\(block.scope)/expand", [1, 1, block.input, block.input * block.expansion])
            }
            conv("\(block.scope)/depthwise", [3, 3, block.input * block.expansion, 1], depthwise: true)
            conv("\(block.scope)/project", [1, 1, block.input * block.expansion, block.output])
        }
        conv("Conv_1", [1, 1, 320, embeddingSize])
        return list
    }

    /// The 17 blocks: slim scope, input and output channels, expansion, stride.
    static var blockPlan: [(scope: String, input: Int, output: Int, expansion: Int, stride: Int)] {
        var plan: [(String, Int, Int, Int, Int)] = []
        var channels = 32
        for row in bottlenecks {
            for repeatIndex in 0..<row.repeats {
                let scope = plan.isEmpty ? "expanded_conv" : "expanded_conv_\(plan.count)"
                plan.append((scope, channels, row.channels, row.expansion, repeatIndex == 0 ? row.stride : 1))
                channels = row.channels
            }
        }
        return plan
    }

    /// MobileNetV2 from any source of TF-slim-named variables.
    /// - Parameters:
    ///   - source: names the source in errors (a checkpoint's path).
    ///   - weights: the variable of a name, or nil when absent; each is looked up first as
    ///     `<name>/ExponentialMovingAverage`.
    /// - Throws: `MobileNetV2Error` for a missing variable or a wrong shape, naming it.
    public init(source: String, weights: @escaping MobileNetV2WeightLookup) throws {
        var reader = MobileNetV2WeightReader(lookup: weights, source: source)
        let (stemKernel, stemBias) = try reader.folded("MobilenetV2/Conv", kernel: "weights", shape: [3, 3, 3, 32], depthwise: false)
        stem = Conv2D(kernel: stemKernel, bias: stemBias, stride: 2, padding: .same, activation: .relu6)
        var blocks: [InvertedResidual] = []
        for plan in Self.blockPlan {
            let scope = "MobilenetV2/\(plan.scope)"
            let expanded = plan.input * plan.expansion
            var expand: Conv2D?
            if plan.expansion != 1 {
                let (w, b) = try reader.folded("\(scope)/expand", kernel: "weights", shape: [1, 1, plan.input, expanded], depthwise: false)
                expand = Conv2D(kernel: w, bias: b, activation: .relu6)
            }
            let (dw, db) = try reader.folded("\(scope)/depthwise", kernel: "depthwise_weights", shape: [3, 3, expanded, 1], depthwise: true)
            let (pw, pb) = try reader.folded("\(scope)/project", kernel: "weights", shape: [1, 1, expanded, plan.output], depthwise: false)
            blocks.append(InvertedResidual(
                scope: plan.scope, expand: expand,
                depthwise: DepthwiseConv2D(kernel: dw, bias: db, stride: plan.stride, padding: .same, activation: .relu6),
                project: Conv2D(kernel: pw, bias: pb, activation: .linear),
                residual: plan.stride == 1 && plan.input == plan.output))
        }
        self.blocks = blocks
        let (headKernel, headBias) = try reader.folded("MobilenetV2/Conv_1", kernel: "weights", shape: [1, 1, 320, Self.embeddingSize], depthwise: false)
        head = Conv2D(kernel: headKernel, bias: headBias, activation: .relu6)
        movingAverageCount = reader.averaged
        variableCount = reader.read
    }

    /// The 1280-d embeddings of a batch of images.
    /// - Parameter images: [N, H, W, 3], RGB in [-1, 1] (224 x 224 for the trained weights).
    /// - Returns: [N, 1280], each the mean over positions of the last feature map (after ReLU6,
    ///   so in [0, 6]).
    /// - Throws: `MobileNetV2Error.input` for another shape.
    public func embed(_ images: Tensor) throws -> Tensor {
        guard images.shape.count == 4, images.shape[3] == 3, images.shape[1] >= 32, images.shape[2] >= 32 else {
            throw MobileNetV2Error.input(shape: images.shape)
        }
        let (n, h, w) = (images.shape[0], images.shape[1], images.shape[2])
        var y = [Float](repeating: 0, count: n * Self.embeddingSize)
        let workers = min(n, ProcessInfo.processInfo.activeProcessorCount)
        // Images in parallel, each with a single-threaded BLAS: OpenBLAS's own threads would
        // otherwise fight the workers for the cores.
        let blasThreads = openblas_get_num_threads()
        if workers > 1 { openblas_set_num_threads(1) }
        defer { if workers > 1 { openblas_set_num_threads(blasThreads) } }
        images.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                nonisolated(unsafe) let (input, output) = (xs.baseAddress!, ys.baseAddress!)
                let run: @Sendable (Int) -> Void = { worker in
                    let scratch = Scratch(network: self, height: h, width: w)
                    for image in stride(from: worker, to: n, by: workers) {
                        self.forward(input + image * h * w * 3, height: h, width: w, scratch: scratch,
                                     embedding: output + image * Self.embeddingSize)
                    }
                }
                if workers > 1 {
                    DispatchQueue.concurrentPerform(iterations: workers, execute: run)
                } else if n > 0 {
                    run(0)
                }
            }
        }
        return Tensor(shape: [n, Self.embeddingSize], values: y)
    }

    /// The output of each stage for one image, by TF-slim scope (`Conv`, `expanded_conv`,
    /// `expanded_conv_1`, ..., `Conv_1`), each [1, H', W', C'], then the embedding [1, 1280]
    /// under `embedding`. For tests and for looking inside the network.
    public func stages(_ image: Tensor) throws -> [(scope: String, output: Tensor)] {
        guard image.shape.count == 4, image.shape[0] == 1, image.shape[3] == 3 else {
            throw MobileNetV2Error.input(shape: image.shape)
        }
        let (h, w) = (image.shape[1], image.shape[2])
        var list: [(String, Tensor)] = []
        var embedding = [Float](repeating: 0, count: Self.embeddingSize)
        image.values.withUnsafeBufferPointer { xs in
            embedding.withUnsafeMutableBufferPointer { e in
                forward(xs.baseAddress!, height: h, width: w, scratch: Scratch(network: self, height: h, width: w),
                        embedding: e.baseAddress!) { scope, height, width, channels, values in
                    list.append((scope, Tensor(shape: [1, height, width, channels],
                                               values: Array(UnsafeBufferPointer(start: values, count: height * width * channels)))))
                }
            }
        }
        list.append(("embedding", Tensor(shape: [1, Self.embeddingSize], values: embedding)))
        return list
    }

    /// One image through the network: x [H, W, 3] → embedding [1280].
    /// - Parameter tap: called with each stage's output, when given.
    private func forward(_ x: UnsafePointer<Float>, height: Int, width: Int, scratch: Scratch,
                         embedding: UnsafeMutablePointer<Float>,
                         tap: ((String, Int, Int, Int, UnsafePointer<Float>) -> Void)? = nil) {
        var current = scratch.a, next = scratch.b
        stem.apply(x, height: height, width: width, into: current, columns: scratch.columns)
        var (h, w) = stem.outputSize(height: height, width: width)
        tap?("Conv", h, w, stem.filters, current)
        for block in blocks {
            (h, w) = block.apply(current, height: h, width: w, into: next, expanded: scratch.expanded, filtered: scratch.filtered)
            swap(&current, &next)
            tap?(block.scope, h, w, block.outputChannels, current)
        }
        head.apply(current, height: h, width: w, into: scratch.expanded, columns: nil)
        tap?("Conv_1", h, w, head.filters, scratch.expanded)
        GlobalAveragePooling2D.mean(scratch.expanded, positions: h * w, channels: head.filters, into: embedding)
    }

    /// One worker's buffers for images of H x W, allocated once and reused image after image
    /// (fresh pages for every image cost more than the depthwise convolutions).
    private final class Scratch {
        let a, b, expanded, filtered, columns: UnsafeMutablePointer<Float>

        init(network: MobileNetV2, height: Int, width: Int) {
            var (h, w) = network.stem.outputSize(height: height, width: width)
            var largest = h * w * network.stem.filters
            for block in network.blocks {
                largest = max(largest, h * w * block.depthwise.channels)
                (h, w) = block.depthwise.outputSize(height: h, width: w)
                largest = max(largest, h * w * max(block.depthwise.channels, block.outputChannels))
            }
            largest = max(largest, h * w * network.head.filters)
            func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
                p.initialize(repeating: 0, count: max(count, 1))
                return p
            }
            a = buffer(largest)
            b = buffer(largest)
            expanded = buffer(largest)
            filtered = buffer(largest)
            columns = buffer(network.stem.columnCount(height: height, width: width))
        }

        deinit {
            for p in [a, b, expanded, filtered, columns] { p.deallocate() }
        }
    }
}
