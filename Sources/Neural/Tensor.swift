// Dimension legend, used in every file of this module:
//   N = batch, L = length, C = channels, F = filters, K = kernel size, D = units.
// Tensors are channels-last as in Keras: a batch of sequences is [N, L, C], a batch of
// vectors is [N, D].

/// A dense float32 tensor: an explicit shape and its values in row-major order.
///
/// The last axis varies fastest, so `[N, L, C]` stores example `n`, position `l`, channel `c`
/// at `(n * L + l) * C + c`, exactly as numpy and Keras lay it out.
public struct Tensor: Equatable, Sendable {
    /// The extent of each axis, outermost first.
    public var shape: [Int]
    /// The values, row-major; `values.count` is the product of `shape`.
    public var values: [Float]

    /// A tensor from its shape and row-major values.
    /// - Parameters:
    ///   - shape: the extent of each axis.
    ///   - values: `shape.reduce(1, *)` values, row-major.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == values.count,
                     "shape \(shape) holds \(shape.reduce(1, *)) values, not \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` filled with `value` (zeros by default).
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// The number of values: the product of the shape.
    public var count: Int { values.count }

    /// The extent of the first axis, the batch N for the tensors layers exchange.
    public var batch: Int { shape.first ?? 1 }

    /// The same values under another shape of the same count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, values: values)
    }

    /// One-hot rows `[N, classes]` for class indices `labels` (N of them).
    public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
        var values = [Float](repeating: 0, count: labels.count * classes)
        for (n, label) in labels.enumerated() {
            precondition((0..<classes).contains(label), "label \(label) outside 0..<\(classes)")
            values[n * classes + label] = 1
        }
        return Tensor(shape: [labels.count, classes], values: values)
    }
}
