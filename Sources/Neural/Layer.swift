// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import Seeded

/// A trainable value and its gradient, shared by reference between the layer that owns it
/// and the optimizer that updates it.
public final class Parameter {
    /// The parameter's role in its layer, as Keras names it: `kernel` or `bias`.
    public let name: String
    /// The current value.
    public var value: Tensor
    /// d(loss)/d(value) from the last `backward`, same shape as `value`.
    public var gradient: Tensor

    /// A parameter holding `value`, with a zero gradient.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        gradient = Tensor(shape: value.shape)
    }
}

/// One layer of a `Sequential` model, with its forward and backward passes.
///
/// Shapes passed to `build` exclude the batch axis (Keras's `input_shape`); the tensors
/// passed to `forward` and `backward` include it as their first axis N. `backward` must follow,
/// once, the `forward` whose input it differentiates (layers cache what they need), and it
/// overwrites the gradients of the layer's parameters rather than adding to them.
public protocol Layer: AnyObject {
    /// Keras's class name, shown in the summary: `Conv1D`, `Dense`, ...
    var typeName: String { get }
    /// The stem of Keras's automatic names: `conv1d`, `dense`, ...
    var nameStem: String { get }
    /// The layer's name in its model, set by `Sequential`: `conv1d`, `conv1d_1`, ...
    var name: String { get set }
    /// Allocates and initializes parameters for one example's input shape and returns one
    /// example's output shape.
    func build(inputShape: [Int], generator: inout SplitMix64) -> [Int]
    /// The output for a batch `x`; `training` switches layers such as dropout.
    func forward(_ x: Tensor, training: Bool) -> Tensor
    /// d(loss)/d(input) from d(loss)/d(output) `dy`; stores the parameters' gradients.
    func backward(_ dy: Tensor) -> Tensor
    /// As `backward`, for a layer whose input needs no gradient (the first of a model): stores
    /// the parameters' gradients and may skip d(loss)/d(input), often the costliest product.
    func backwardParameters(_ dy: Tensor)
    /// The trainable parameters, in Keras's order (kernel, then bias).
    var parameters: [Parameter] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }

    public func backwardParameters(_ dy: Tensor) { _ = backward(dy) }

    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
