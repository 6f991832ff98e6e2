// Dimensions: T time frames (187 per patch), B mel bands (96), C channels or filters.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MusicnnModel {
    /// The front end's width: 2 × 204 timbral + 3 × 51 temporal features per frame.
    static let frontEndWidth = 561
    /// The back end's input width: front end + cnn1 + cnn2 + cnn3.
    static let poolInputWidth = 753

    /// One patch through the network, with every intermediate musicnn exposes.
    struct PatchResult {
        /// The front end's output [187, 561] (musicnn's `timbral` ++ `temporal`).
        var frontEnd: [Float]
        /// Max and mean over time of [front end, cnn1, cnn2, cnn3], interleaved, 1506.
        var pooled: [Float]
        /// The embedding (`penultimate`), 200.
        var embedding: [Float]
        /// The 50 logits.
        var logits: [Float]
        /// The 50 tag probabilities.
        var tags: [Float]
    }

    /// Runs one patch, [187, 96] log-mel row-major.
    /// - Parameter splitProducts: cut each matrix product over the cores (for a single patch).
    func forward(patch: UnsafeBufferPointer<Float>, splitProducts: Bool = true) -> PatchResult {
        let (t, b) = (Self.patchFrames, Self.melBandCount)
        precondition(patch.count == t * b, "musicnn: a patch is 187 x 96 values, not \(patch.count)")

        // Input batch norm (one channel), then the same map zero-padded by 3 frames each side
        // for the timbral filters (musicnn pads after normalizing).
        var normalized = [Float](repeating: 0, count: (t + 6) * b)
        for index in 0..<(t * b) {
            normalized[3 * b + index] = inputNorm.scale[0] * patch[index] + inputNorm.shift[0]
        }

        // Front end → [187, 561]: timbral 7×38, 7×67, then temporal 128, 64, 32.
        var frontEnd = [Float](repeating: 0, count: t * Self.frontEndWidth)
        normalized.withUnsafeBufferPointer { padded in
            frontEnd.withUnsafeMutableBufferPointer { features in
                let out = features.baseAddress!
                for (index, filter) in timbral.enumerated() {
                    filter.apply(padded: padded.baseAddress!, into: out, column: index * TimbralFilter.filters,
                                 split: splitProducts)
                }
                for (index, filter) in temporal.enumerated() {
                    filter.apply(input: padded.baseAddress! + 3 * b, into: out,
                                 column: 2 * TimbralFilter.filters + index * TemporalFilter.filters, split: splitProducts)
                }
            }
        }

        // Mid end: three width-7 convolutions over time, the second and third residual.
        // `stack` is [187, 753] = [front end, cnn1, cnn2, cnn3], the back end's input.
        let width = Self.poolInputWidth, midFilters = MidEndConvolution.filters
        var stack = [Float](repeating: 0, count: t * width)
        var padded = [Float](repeating: 0, count: (t + 6) * Self.frontEndWidth)
        for frame in 0..<t {
            for j in 0..<Self.frontEndWidth {
                let value = frontEnd[frame * Self.frontEndWidth + j]
                padded[(frame + 3) * Self.frontEndWidth + j] = value
                stack[frame * width + j] = value
            }
        }
        var layerOutput = [Float](repeating: 0, count: t * midFilters)
        var previous = [Float](repeating: 0, count: t * midFilters)
        for (index, layer) in mid.enumerated() {
            padded.withUnsafeBufferPointer { input in
                layerOutput.withUnsafeMutableBufferPointer { output in
                    layer.apply(padded: input.baseAddress!, into: output.baseAddress!, split: splitProducts)
                }
            }
            if index > 0 {
                for i in 0..<(t * midFilters) { layerOutput[i] += previous[i] }
            }
            let column = Self.frontEndWidth + index * midFilters
            if padded.count != (t + 6) * midFilters { padded = [Float](repeating: 0, count: (t + 6) * midFilters) }
            for frame in 0..<t {
                for j in 0..<midFilters {
                    let value = layerOutput[frame * midFilters + j]
                    stack[frame * width + column + j] = value
                    padded[(frame + 3) * midFilters + j] = value
                }
            }
            swap(&previous, &layerOutput)
        }

        // Back end: max and mean over time, interleaved [max₀, mean₀, max₁, mean₁, …].
        var pooled = [Float](repeating: 0, count: 2 * width)
        for j in 0..<width {
            var largest = stack[j], sum: Float = 0
            for frame in 0..<t {
                let value = stack[frame * width + j]
                largest = max(largest, value)
                sum += value
            }
            pooled[2 * j] = largest
            pooled[2 * j + 1] = sum / Float(t)
        }
        let normalizedPool = (0..<pooled.count).map { poolNorm.scale[$0] * pooled[$0] + poolNorm.shift[$0] }
        let hidden = dense.apply(normalizedPool)
        let embedding = (0..<hidden.count).map { denseNorm.block(hidden[$0], bias: 0, channel: $0) }
        let logits = output.apply(embedding)
        let tags = logits.map { 1 / (1 + expf(-$0)) }
        return PatchResult(frontEnd: frontEnd, pooled: pooled, embedding: embedding, logits: logits, tags: tags)
    }
}
