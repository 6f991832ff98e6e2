#!/usr/bin/env python3
"""The peer of `genre-bench raw-cnn`: the article's raw-audio CNN in Keras 3 on TensorFlow-CPU,
trained on batches of 32 random clips of 10 000 samples with random labels (Adam, softmax
cross-entropy from logits), one `train_on_batch` per batch after untimed warm-up batches
(graph tracing). Prints one JSON line: examples per second, batch times, peak memory.

    .venv-bench/bin/python bench/peers/raw_cnn_keras.py [--batches 12]
"""
import argparse
import json
import os
import resource
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--window", type=int, default=10000)
    parser.add_argument("--classes", type=int, default=8)
    args = parser.parse_args()

    keras.utils.set_random_seed(42)
    model = keras.Sequential([
        keras.Input((args.window, 1)),
        keras.layers.Conv1D(128, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Conv1D(64, 3, activation="relu"),
        keras.layers.MaxPooling1D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(20, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(args.classes),
    ])
    model.compile(optimizer=keras.optimizers.Adam(),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    rng = np.random.default_rng(7)
    count = args.warmup + args.batches
    x = rng.uniform(-1, 1, (count * args.batch_size, args.window, 1)).astype(np.float32)
    y = np.eye(args.classes, dtype=np.float32)[rng.integers(0, args.classes, count * args.batch_size)]
    times = []
    for index in range(count):
        rows = slice(index * args.batch_size, (index + 1) * args.batch_size)
        start = time.perf_counter()
        model.train_on_batch(x[rows], y[rows])
        if index >= args.warmup:
            times.append(time.perf_counter() - start)
    seconds = sum(times)
    print(json.dumps({
        "keras": keras.__version__, "tensorflow": tf.__version__,
        "examples": args.batches * args.batch_size, "seconds": seconds,
        "examples_per_second": args.batches * args.batch_size / seconds,
        "best_batch_seconds": min(times), "median_batch_seconds": sorted(times)[len(times) // 2],
        "parameters": model.count_params(),
        "peak_memory_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
