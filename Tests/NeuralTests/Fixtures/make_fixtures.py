#!/usr/bin/env python3
"""Makes keras_small_model.json: a small Keras model of the Neural module's layer types, with
fixed weights, one batch, its logits, loss, every gradient and the weights after one Adam step;
plus the article's model's summary: its rows (names, output shapes, parameter counts) and the
text of `model.summary()`.

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu
    /tmp/tfvenv/bin/python Tests/NeuralTests/Fixtures/make_fixtures.py

Weights come from numpy's seeded generator, not Keras's initializers, so that the Swift tests
load exactly the same numbers. Keras layouts are kept: Conv1D kernel (K, C, F), Dense kernel
(D_in, D), all flattened row-major.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def g9(values) -> list:
    """Float32 values with the 9 significant digits that round-trip a float32 exactly."""
    return [float(f"{float(v):.9g}") for v in np.asarray(values, dtype=np.float32).ravel()]


def small_model() -> keras.Model:
    """Input (32, 2) -> Conv1D(4, 3, relu) -> MaxPooling1D(2) -> Conv1D(3, 3, relu)
    -> MaxPooling1D(2) -> Flatten -> Dense(5, relu) -> Dense(4). The second pooling sees an
    odd length (13), so it also checks that the last element is dropped."""
    return keras.Sequential([
        keras.Input((32, 2)),
        keras.layers.Conv1D(4, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(3, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(5, activation="relu"),
        keras.layers.Dense(4),
    ])


def article_model() -> keras.Model:
    return keras.Sequential([
        keras.Input((10000, 1)),
        keras.layers.Conv1D(128, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(64, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(20, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(8),
    ])


def main() -> None:
    rng = np.random.default_rng(20240611)
    model = small_model()
    weights = []
    for w in model.get_weights():
        # Kernels large enough that most ReLUs are live; biases non-zero so their sums are tested.
        scale = 0.6 if w.ndim > 1 else 0.1
        weights.append(rng.uniform(-scale, scale, size=w.shape).astype(np.float32))
    model.set_weights(weights)

    n, classes = 3, 4
    x = rng.normal(size=(n, 32, 2)).astype(np.float32)
    labels = np.array([0, 2, 3])
    y = np.eye(classes, dtype=np.float32)[labels]

    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        logits = model(xt, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables + [xt])
    input_grad = grads[-1]
    grads = grads[:-1]

    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    after = model.get_weights()

    # A fresh session, so the layer names are the ones a notebook sees: conv1d, conv1d_1, ...
    keras.backend.clear_session()
    article = article_model()
    printed = []
    article.summary(print_fn=lambda text, **_: printed.append(text))
    summary = "\n".join(printed).rstrip("\n")
    rows = [
        {"name": layer.name, "type": type(layer).__name__,
         "output_shape": list(layer.output.shape[1:]), "params": int(layer.count_params())}
        for layer in article.layers
    ]

    fixture = {
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "small": {
            "weight_shapes": [list(w.shape) for w in weights],
            "weights": [g9(w) for w in weights],
            "input_shape": list(x.shape),
            "input": g9(x),
            "labels": g9(y),
            "logits": g9(logits.numpy()),
            "loss": float(loss.numpy()),
            "gradients": [g9(g.numpy()) for g in grads],
            "input_gradient": g9(input_grad.numpy()),
            "weights_after_adam": [g9(w) for w in after],
        },
        "article": {"layers": rows, "total_params": int(article.count_params()), "summary": summary},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_small_model.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    print(summary)


if __name__ == "__main__":
    main()
