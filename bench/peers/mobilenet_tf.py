#!/usr/bin/env python3
"""The peer of `genre-bench mobilenet`: Keras's MobileNetV2 (alpha 1.0, include_top=False,
pooling='avg') on TensorFlow-CPU, forward passes on batches of 224 x 224 x 3 images, best of
`repeats` timings of `batches` batches. Weights are Keras's initializers' (speed does not depend
on them; weights=None needs no download). Prints one JSON line.

    .venv-bench/bin/python bench/peers/mobilenet_tf.py [--batch 32] [--batches 2] [--repeats 3]
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()

    model = keras.applications.MobileNetV2(input_shape=(args.size, args.size, 3), alpha=1.0,
                                           include_top=False, weights=None, pooling="avg")
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, size=(args.batch, args.size, args.size, 3)).astype(np.float32)
    # A compiled inference function, as model.predict uses, without its per-call overhead.
    forward = tf.function(lambda x: model(x, training=False), jit_compile=False)
    forward(images).numpy()  # warm-up: tracing, oneDNN primitives
    best = float("inf")
    checksum = 0.0
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.batches):
            checksum += float(forward(images).numpy().sum())
        best = min(best, time.perf_counter() - start)
    count = args.batch * args.batches
    print(json.dumps({"tensorflow": tf.__version__, "keras": keras.__version__, "images": count,
                      "batch": args.batch, "seconds": best, "images_per_second": count / best,
                      "checksum": checksum}))


if __name__ == "__main__":
    main()
