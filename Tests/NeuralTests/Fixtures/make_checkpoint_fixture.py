#!/usr/bin/env python3
"""Makes keras_checkpoint/: a TensorFlow checkpoint that Keras 3 writes for a small model of the
Neural module's layer types (`tf.train.Checkpoint(model).write`), and keras_checkpoint.json with
one batch of input and the logits Keras computes for it, plus the variable names and shapes
`tf.train.list_variables` reports.

    .venv-bench/bin/python Tests/NeuralTests/Fixtures/make_checkpoint_fixture.py

The second convolution has K·C = 3·12 = 36 inputs per position, so the Swift side runs it
through its im2col + SGEMM path (the first, K·C = 3, through its direct loop). Weights come
from numpy's seeded generator.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def g9(values) -> list:
    """Float32 values with the 9 significant digits that round-trip a float32 exactly."""
    return [float(f"{float(v):.9g}") for v in np.asarray(values, dtype=np.float32).ravel()]


def main() -> None:
    model = keras.Sequential([
        keras.Input((40, 1)),
        keras.layers.Conv1D(12, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(8, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(6, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(3),
    ])
    rng = np.random.default_rng(2024)
    model.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in model.get_weights()])
    x = rng.uniform(-1, 1, (4, 40, 1)).astype(np.float32)
    logits = model(x, training=False).numpy()
    folder = os.path.join(HERE, "keras_checkpoint")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    path = tf.train.Checkpoint(model).write(os.path.join(folder, "model"))
    os.remove(os.path.join(folder, "checkpoint")) if os.path.exists(os.path.join(folder, "checkpoint")) else None
    variables = [(name, shape) for name, shape in tf.train.list_variables(path) if not name.startswith("_CHECKPOINTABLE")]
    with open(os.path.join(HERE, "keras_checkpoint.json"), "w") as f:
        json.dump({
            "keras": keras.__version__, "tensorflow": tf.__version__,
            "input_shape": list(x.shape), "input": g9(x), "logits": g9(logits),
            "variables": [{"name": name, "shape": shape} for name, shape in variables],
        }, f, indent=1)


if __name__ == "__main__":
    main()
