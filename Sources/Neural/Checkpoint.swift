import TensorBundle

/// A model's weights as a TensorFlow checkpoint (tensor bundle: `<prefix>.index` and
/// `<prefix>.data-00000-of-00001`), under the names Keras 3 gives them.
///
/// `tf.train.Checkpoint(model).write(prefix)` on a Keras 3 `Sequential` names each variable by
/// its path through the model's functional graph, where operation 0 is the input layer:
///
///     _functional/_operations/1/_kernel/.ATTRIBUTES/VARIABLE_VALUE     [3, 1, 128]  (conv1d)
///     _functional/_operations/1/bias/.ATTRIBUTES/VARIABLE_VALUE        [128]
///     _functional/_operations/6/_kernel/.ATTRIBUTES/VARIABLE_VALUE     [159872, 100] (dense)
///
/// (read with `tf.train.list_variables` from a checkpoint Keras 3.15 wrote for this layer
/// stack; `Tests/NeuralTests/Fixtures/make_checkpoint_fixture.py`). Layer i of our model (0-based) is operation i + 1, and shapes are Keras's own, so
/// `tf.train.load_checkpoint(prefix).get_tensor(name)` returns exactly the arrays that
/// `model.layers[i].kernel` holds. Only the variables are written, not the object graph that
/// `tf.train.Checkpoint.restore` also needs, so a Keras user copies them with `assign`.
extension Sequential {
    /// The checkpoint name of every parameter, in `parameters` order.
    public var checkpointNames: [String] {
        layers.enumerated().flatMap { index, layer in
            layer.parameters.map { parameter in
                // Keras 3 keeps a kernel in `_kernel` (behind a `kernel` property) and a bias in `bias`.
                let attribute = parameter.name == "kernel" ? "_kernel" : parameter.name
                return "_functional/_operations/\(index + 1)/\(attribute)/.ATTRIBUTES/VARIABLE_VALUE"
            }
        }
    }

    /// Writes every parameter as a checkpoint at `prefix` (a path without extension).
    /// - Throws: `TensorBundleError` naming the file when it cannot be written.
    public func saveWeights(prefix: String) throws {
        var writer = TensorBundleWriter()
        for (name, parameter) in zip(checkpointNames, parameters) {
            writer.add(name, shape: parameter.value.shape, values: parameter.value.values)
        }
        try writer.write(prefix: prefix)
    }

    /// Loads every parameter from a checkpoint written by `saveWeights` (or by Keras 3 for the
    /// same layer stack), checking each tensor's shape.
    /// - Throws: `TensorBundleError` naming the file and tensor when one is missing, damaged or
    ///   of another shape.
    public func loadWeights(prefix: String) throws {
        let reader = try TensorBundleReader(prefix: prefix)
        for (name, parameter) in zip(checkpointNames, parameters) {
            parameter.value.values = try reader.floats(name, shape: parameter.value.shape)
        }
    }
}
