import Foundation
import TensorBundle

/// A dense head of step 07 read back for prediction: the classifier step 07 trains on a frozen
/// base network's embeddings, whatever the base (musicnn, MobileNetV2).
///
/// Step 07 writes each head as a TensorFlow checkpoint holding the training split's mean and
/// deviation per embedding dimension and the two dense layers under their Keras names:
///
///     standardize/mean        [E]        standardize/deviation  [E]
///     dense/kernel            [E, H]     dense/bias             [H]
///     dense_1/kernel          [H, K]     dense_1/bias           [K]
///
/// (E embedding size, H hidden units, K classes.) A prediction is Keras's forward pass at
/// inference, dropout off: standardize, Dense(H, ReLU), Dense(K) to logits, softmax.
public struct TransferHead: Sendable {
    /// The names of the standardization's two tensors in the checkpoint, which step 07's
    /// writer shares (the dense layers' names come from their Keras layer names).
    public static let meanTensor = "standardize/mean", deviationTensor = "standardize/deviation"

    /// The embedding size E the head was trained on.
    public var inputSize: Int { mean.count }
    private let mean: [Float], deviation: [Float]
    private let hidden: (kernel: [Float], bias: [Float])
    private let output: (kernel: [Float], bias: [Float])

    /// The head whose checkpoint is at `prefix` (`.../07-transfer/musicnn/head`).
    /// - Parameters:
    ///   - classCount: K, the number of genres the head was trained on.
    ///   - inputSizes: the embedding sizes the base network can give (musicnn: 200, or 400 with
    ///     the maximum over patches; MobileNetV2: 1280).
    /// - Throws: `TensorBundleError` naming the file and the tensor when the checkpoint is
    ///   missing, damaged, or holds a head of another size.
    public init(prefix: String, classCount: Int, inputSizes: [Int]) throws {
        let reader = try TensorBundleReader(prefix: prefix)
        mean = try reader.floats(Self.meanTensor)
        guard inputSizes.contains(mean.count) else {
            throw TensorBundleError.shapeMismatch(path: reader.indexPath, tensor: Self.meanTensor,
                                                  expected: [inputSizes.first ?? 0], actual: [mean.count])
        }
        deviation = try reader.floats(Self.deviationTensor, shape: [mean.count])
        guard let hiddenShape = reader.shape("dense/kernel") else {
            throw TensorBundleError.missingTensor(path: reader.indexPath, tensor: "dense/kernel")
        }
        guard hiddenShape.count == 2, hiddenShape[0] == mean.count else {
            throw TensorBundleError.shapeMismatch(path: reader.indexPath, tensor: "dense/kernel",
                                                  expected: [mean.count, -1], actual: hiddenShape)
        }
        let units = hiddenShape[1]
        hidden = (try reader.floats("dense/kernel"), try reader.floats("dense/bias", shape: [units]))
        output = (try reader.floats("dense_1/kernel", shape: [units, classCount]),
                  try reader.floats("dense_1/bias", shape: [classCount]))
    }

    /// The class probabilities of one embedding.
    /// - Parameter embedding: E values, as the base network gives them (not standardized).
    /// - Returns: K probabilities summing to 1.
    public func probabilities(_ embedding: [Float]) -> [Double] {
        precondition(embedding.count == inputSize, "an embedding of \(embedding.count) values for a head on \(inputSize)")
        let x = embedding.indices.map { (embedding[$0] - mean[$0]) / deviation[$0] }
        let h = dense(x, hidden.kernel, hidden.bias).map { max($0, 0) }
        return softmax(dense(h, output.kernel, output.bias))
    }

    /// x · kernel + bias, with the kernel in Keras's layout [inputs, outputs].
    private func dense(_ x: [Float], _ kernel: [Float], _ bias: [Float]) -> [Float] {
        var y = bias
        for (i, value) in x.enumerated() where value != 0 {
            for o in y.indices { y[o] += value * kernel[i * y.count + o] }
        }
        return y
    }
}

extension TransferHead {
    /// The folder of step 07's MobileNetV2 outputs, `<transfer>/mobilenet_v2/`, as
    /// `transfer.bases` names the base.
    public static let mobileNetBase = "mobilenet_v2"

    /// Step 07's id of the MobileNetV2 head trained on each image set: `mobilenet_v2` on the
    /// article's `mel2d` image, `mobilenet_v2_full` on the whole-clip `mel2d-full` image.
    public static func mobileNetVariant(of set: RecordSet) -> String {
        set == .mel2dFull ? "\(mobileNetBase)_full" : mobileNetBase
    }

    /// The checkpoint name (prefix, without `.index`) of a head in its base's folder: `head` for
    /// the variant named after the base, `head-<variant>` for another (`head-mobilenet_v2_full`).
    public static func checkpointName(base: String, variant: String) -> String {
        variant == base ? "head" : "head-\(variant)"
    }
}
