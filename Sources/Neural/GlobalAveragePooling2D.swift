// Dimensions: N batch, H height, W width, C channels (README.md).

/// The mean over all positions of each channel, Keras's `layers.GlobalAveragePooling2D()`:
///
///     y[n, c] = (1 / (H·W)) Σ_i Σ_j x[n, i, j, c]
///
/// Shapes: input [N, H, W, C], output [N, C]. Lin, Chen and Yan, "Network in network",
/// ICLR 2014, section 3.2. Sums are kept in Double, so the order of the H·W terms does not
/// matter to float32 precision.
public enum GlobalAveragePooling2D {
    /// y [N, C] for x [N, H, W, C].
    public static func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4, "GlobalAveragePooling2D expects [N, H, W, C], got \(x.shape)")
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = [Float](repeating: 0, count: n * c)
        x.values.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                for image in 0..<n {
                    mean(xs.baseAddress! + image * h * w * c, positions: h * w, channels: c,
                         into: ys.baseAddress! + image * c)
                }
            }
        }
        return Tensor(shape: [n, c], values: y)
    }

    /// One image: y [C], the mean of the `positions` rows of x [positions, C].
    static func mean(_ x: UnsafePointer<Float>, positions: Int, channels: Int, into y: UnsafeMutablePointer<Float>) {
        var sums = [Double](repeating: 0, count: channels)
        for p in 0..<positions {
            let row = x + p * channels
            for ch in 0..<channels { sums[ch] += Double(row[ch]) }
        }
        for ch in 0..<channels { y[ch] = Float(sums[ch] / Double(max(positions, 1))) }
    }
}
