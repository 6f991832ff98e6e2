/// Where MobileNetV2's weights come from: a function from a TF-slim variable name
/// (`MobilenetV2/Conv/weights`) to its tensor, or nil when the source has no such name.
///
/// The checkpoint reader (`MobileNetV2(checkpoint:)`) is one source; tests pass a formula.
public typealias MobileNetV2WeightLookup = (_ name: String) throws -> Tensor?

/// A MobileNetV2 checkpoint that does not hold what the network needs.
public enum MobileNetV2Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// A variable is in neither its `ExponentialMovingAverage` form nor its plain one.
    case missing(name: String, source: String)
    /// A variable has another shape than the architecture's.
    case shape(name: String, expected: [Int], found: [Int], source: String)
    /// The image batch is not [N, H, W, 3] with H and W at least 32.
    case input(shape: [Int])

    public var description: String {
        switch self {
        case let .missing(name, source):
            "\(source) has no tensor \(name) (nor \(name)/ExponentialMovingAverage): it is not TF-slim's mobilenet_v2_1.0_224 checkpoint."
        case let .shape(name, expected, found, source):
            "\(source): tensor \(name) has shape \(found), but MobileNetV2 (alpha 1.0) needs \(expected)."
        case let .input(shape):
            "MobileNetV2 takes images [N, H, W, 3] of at least 32 x 32 pixels, got \(shape)."
        }
    }
}

/// Reads the variables of MobileNetV2, preferring each one's exponential moving average.
///
/// TF-slim's official checkpoints keep, next to a trained variable `v`, its shadow
/// `v/ExponentialMovingAverage` (decay 0.9999 in `train_image_classifier`); the published
/// accuracy is the shadow's (the slim README's example restores
/// `tf.train.ExponentialMovingAverage(0.999).variables_to_restore()`, "1.5-2 % higher
/// accuracy"). Batch norms' moving statistics have no shadow and are read as they are.
struct MobileNetV2WeightReader {
    let lookup: MobileNetV2WeightLookup
    let source: String
    /// How many variables came from their moving average, and how many were read.
    private(set) var averaged = 0
    private(set) var read = 0

    mutating func values(_ name: String, shape: [Int]) throws -> Tensor {
        let tensor: Tensor
        if let shadow = try lookup(name + "/ExponentialMovingAverage") {
            tensor = shadow
            averaged += 1
        } else if let plain = try lookup(name) {
            tensor = plain
        } else {
            throw MobileNetV2Error.missing(name: name, source: source)
        }
        guard tensor.shape == shape else {
            throw MobileNetV2Error.shape(name: name, expected: shape, found: tensor.shape, source: source)
        }
        read += 1
        return tensor
    }

    /// A convolution's kernel and its batch norm, folded: `<scope>/weights` (or
    /// `depthwise_weights`) and `<scope>/BatchNorm/{gamma,beta,moving_mean,moving_variance}`.
    mutating func folded(_ scope: String, kernel: String, shape: [Int], depthwise: Bool) throws -> (kernel: Tensor, bias: [Float]) {
        let w = try values("\(scope)/\(kernel)", shape: shape)
        let c = depthwise ? shape[2] : shape[3]
        let norm = BatchNormalization(
            gamma: try values("\(scope)/BatchNorm/gamma", shape: [c]).values,
            beta: try values("\(scope)/BatchNorm/beta", shape: [c]).values,
            movingMean: try values("\(scope)/BatchNorm/moving_mean", shape: [c]).values,
            movingVariance: try values("\(scope)/BatchNorm/moving_variance", shape: [c]).values,
            epsilon: MobileNetV2.batchNormEpsilon)
        return norm.folded(kernel: w, depthwise: depthwise)
    }
}
