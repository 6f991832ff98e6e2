#!/usr/bin/env python3
"""Makes mobilenet_v2_fixture.json: Keras's MobileNetV2 (alpha 1.0, include_top=False,
pooling='avg') with deterministic weights, run on deterministic images, for the Swift
MobileNetV2 to reproduce.

    .venv-bench/bin/python Tests/NeuralTests/Fixtures/make_mobilenet_fixtures.py

No weight file is committed: every variable's values come from `formula_values(name, shape)`,
a function of its TF-slim name (the names of the official `mobilenet_v2_1.0_224.ckpt`) and of
the flat row-major index, written with integer arithmetic so that the Swift test computes
exactly the same float32 values (`MobileNetFixtureTests.swift`, `formulaValues`). The script
maps each Keras layer to its slim scope (Conv1 -> Conv, block_i_expand -> expanded_conv_i/expand,
..._BN -> .../BatchNorm), fills it, and records:
  - the 1280-d embedding (global average of out_relu) of each image,
  - per-channel spatial means and a few single values of some intermediate activations,
    keyed by slim scope (a block's output is its project BN, plus the residual when it has one).
Images are a function of (image, row, column, channel), also integer arithmetic, in [-1, 1].
Two inputs: 224 x 224 (the article's) and 160 x 128 (not square, odd sizes deeper down).
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

MASK = 0xFFFFFFFF


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & MASK
    return h


def unit(name_hash: int, index: int) -> float:
    """A value in [0, 1) from a name hash and an index: a 32-bit integer mix, top 24 bits."""
    h = (index * 0x9E3779B1 + name_hash) & MASK
    h ^= h >> 15
    h = (h * 0x2C1B3C6D) & MASK
    h ^= h >> 12
    h = (h * 0x297A2D39) & MASK
    h ^= h >> 15
    return (h >> 8) / 16777216.0


def formula_values(name: str, shape) -> np.ndarray:
    """The deterministic values of slim variable `name` of `shape`, float32, row-major.

    Kernels are uniform in +-sqrt(3 / fan_in) (unit gain), gamma and moving_variance in
    [0.75, 1.25), beta in [-0.2, 0.2), moving_mean in [-0.1, 0.1)."""
    count = int(np.prod(shape))
    h = fnv1a(name)
    u = np.array([unit(h, i) for i in range(count)], dtype=np.float64)
    leaf = name.rsplit("/", 1)[1]
    if leaf in ("weights", "depthwise_weights"):
        fan_in = shape[0] * shape[1] * (shape[2] if leaf == "weights" else 1)
        values = (2 * u - 1) * np.sqrt(3.0 / fan_in)
    elif leaf in ("gamma", "moving_variance"):
        values = 0.75 + 0.5 * u
    elif leaf == "beta":
        values = 0.2 * (2 * u - 1)
    elif leaf == "moving_mean":
        values = 0.1 * (2 * u - 1)
    else:
        raise ValueError(name)
    return values.astype(np.float32).reshape(shape)


def fixture_image(index: int, height: int, width: int) -> np.ndarray:
    """Image `index` as float32 [height, width, 3] in [-1, 1]: smooth stripes plus a hash,
    all integer arithmetic before one division."""
    rows = np.arange(height)[:, None, None]
    cols = np.arange(width)[None, :, None]
    chans = np.arange(3)[None, None, :]
    stripes = (rows * (3 + index) + cols * (5 + 2 * index) + chans * 40) % 256
    noise = ((rows * 7919 + cols * 104729 + chans * 1299709 + index * 15485863) % 65) - 32
    level = np.clip(stripes + noise, 0, 255)
    return (level / 127.5 - 1.0).astype(np.float32)


def slim_scope(layer_name: str) -> str:
    """Keras layer name -> TF-slim scope under MobilenetV2/."""
    if layer_name == "Conv1":
        return "Conv"
    if layer_name == "bn_Conv1":
        return "Conv/BatchNorm"
    if layer_name == "Conv_1":
        return "Conv_1"
    if layer_name == "Conv_1_bn":
        return "Conv_1/BatchNorm"
    if layer_name.startswith("expanded_conv_"):
        block, part = "expanded_conv", layer_name[len("expanded_conv_"):]
    else:
        _, number, part = layer_name.split("_", 2)
        block = f"expanded_conv_{number}"
    if part.endswith("_BN"):
        return f"{block}/{part[:-3]}/BatchNorm"
    return f"{block}/{part}"


def fill(model: keras.Model) -> dict:
    """Sets every weight from the formula; returns slim name -> shape."""
    names = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            scope = slim_scope(layer.name)
            parts = ["gamma", "beta", "moving_mean", "moving_variance"]
        elif isinstance(layer, keras.layers.DepthwiseConv2D):
            scope, parts = slim_scope(layer.name), ["depthwise_weights"]
        elif isinstance(layer, keras.layers.Conv2D):
            scope, parts = slim_scope(layer.name), ["weights"]
        else:
            assert not layer.weights, layer.name
            continue
        weights = []
        for part, variable in zip(parts, layer.weights):
            name = f"MobilenetV2/{scope}/{part}"
            weights.append(formula_values(name, tuple(variable.shape)))
            names[name] = list(variable.shape)
        layer.set_weights(weights)
    return names


def taps(model: keras.Model) -> dict:
    """Slim scope -> Keras layer whose output is that stage's output."""
    out = {"Conv": "Conv1_relu", "Conv_1": "out_relu"}
    names = {layer.name for layer in model.layers}
    out["expanded_conv"] = "expanded_conv_project_BN"
    for i in range(1, 17):
        out[f"expanded_conv_{i}"] = f"block_{i}_add" if f"block_{i}_add" in names else f"block_{i}_project_BN"
    return out


def g9(values) -> list:
    return [float(f"{float(v):.9g}") for v in np.asarray(values, dtype=np.float32).ravel()]


def run(height: int, width: int, images: list) -> dict:
    keras.utils.clear_session()
    model = keras.applications.MobileNetV2(
        input_shape=(height, width, 3), alpha=1.0, include_top=False, weights=None, pooling="avg")
    names = fill(model)
    x = np.stack([fixture_image(i, height, width) for i in images])
    tap_layers = taps(model)
    wanted = ["Conv", "expanded_conv", "expanded_conv_2", "expanded_conv_6", "expanded_conv_13",
              "expanded_conv_16", "Conv_1"]
    probe = keras.Model(model.input, [model.get_layer(tap_layers[s]).output for s in wanted] + [model.output])
    outputs = probe.predict(x, verbose=0)
    stages = {}
    for scope, value in zip(wanted, outputs[:-1]):
        # per-channel means over the image, and a few single values [image, row, col, channel]
        n, h, w, c = value.shape
        points = [[i, (7 * k) % h, (11 * k + 3) % w, (13 * k + 5) % c] for i in range(n) for k in range(4)]
        stages[scope] = {
            "shape": [n, h, w, c],
            "channel_means": g9(value.mean(axis=(1, 2))),
            "points": points,
            "point_values": g9([value[p[0], p[1], p[2], p[3]] for p in points]),
        }
    embedding = outputs[-1]
    return {
        "height": height, "width": width, "images": images,
        "embedding": g9(embedding),
        "embedding_stats": {"min": float(embedding.min()), "max": float(embedding.max()),
                            "mean": float(embedding.mean()), "std": float(embedding.std())},
        "stages": stages,
        "variables": len(names),
        "parameters": int(sum(np.prod(s) for s in names.values())),
    }


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    fixture = {
        "keras": keras.__version__, "tensorflow": tf.__version__,
        "cases": [run(224, 224, [0, 1]), run(160, 128, [2])],
        "check_values": {name: g9(formula_values(name, shape).ravel()[:5]) for name, shape in [
            ("MobilenetV2/Conv/weights", (3, 3, 3, 32)),
            ("MobilenetV2/expanded_conv_3/depthwise/BatchNorm/moving_variance", (144,)),
        ]},
        "check_image": g9(fixture_image(1, 224, 224)[5, 7]),
    }
    path = os.path.join(here, "mobilenet_v2_fixture.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(path, os.path.getsize(path), "bytes")
    for case in fixture["cases"]:
        print(case["height"], case["width"], case["embedding_stats"], case["parameters"])


if __name__ == "__main__":
    main()
