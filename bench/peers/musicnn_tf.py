#!/usr/bin/env python3
"""The peer of `genre-bench musicnn`: MSD_musicnn on TensorFlow-CPU, the graph of musicnn
0.1.0's models.py (build_musicnn) written with tf.nn ops (musicnn's own code needs
tf.compat.v1.layers, gone with Keras 3) and the weights read by TensorFlow's checkpoint reader,
run as one tf.function on the whole batch of patches. Best of `repeats` timings. With
--input PREFIX it runs genre-bench's dumped input and reports the largest difference between
the two taggrams, which checks that both sides compute the same network. Prints one JSON line.

    .venv-bench/bin/python bench/peers/musicnn_tf.py --checkpoint models/musicnn/MSD_musicnn/ \
        --input bench/out/musicnn [--patches 32] [--repeats 3]
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

EPSILON = 1e-3  # tf.compat.v1.layers.batch_normalization's default


def build(checkpoint):
    reader = tf.compat.v1.train.NewCheckpointReader(checkpoint)  # takes a prefix; musicnn's is a folder + '/'
    w = {name: tf.constant(reader.get_tensor(name)) for name in reader.get_variable_to_shape_map()
         if not name.endswith("Adam") and not name.endswith("Adam_1") and "power" not in name}

    def bn(x, index):
        scope = "batch_normalization" + ("" if index == 0 else "_%d" % index)
        return tf.nn.batch_normalization(x, w[scope + "/moving_mean"], w[scope + "/moving_variance"],
                                         w[scope + "/beta"], w[scope + "/gamma"], EPSILON)

    def conv(x, index, padding):
        scope = "conv2d" + ("" if index == 0 else "_%d" % index)
        return tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w[scope + "/kernel"], 1, padding), w[scope + "/bias"]))

    pad_time = [[0, 0], [3, 3], [0, 0], [0, 0]]

    @tf.function(input_signature=[tf.TensorSpec([None, 187, 96], tf.float32)])
    def forward(x):
        normalized = bn(tf.expand_dims(x, 3), 0)
        padded = tf.pad(normalized, pad_time)
        front = []
        for conv_index, bn_index in ((0, 1), (1, 2)):   # timbral 7x38, 7x67
            y = bn(conv(padded, conv_index, "VALID"), bn_index)
            front.append(tf.reduce_max(y, axis=2))
        for conv_index, bn_index in ((2, 3), (3, 4), (4, 5)):   # temporal 128, 64, 32
            y = bn(conv(normalized, conv_index, "SAME"), bn_index)
            front.append(tf.reduce_max(y, axis=2))
        front_end = tf.concat(front, 2)                              # [B, 187, 561]
        layers = [front_end]
        h = tf.expand_dims(front_end, 3)
        previous = None
        for conv_index, bn_index in ((5, 6), (6, 7), (7, 8)):
            y = bn(conv(tf.pad(h, pad_time), conv_index, "VALID"), bn_index)   # [B, 187, 1, 64]
            y = tf.transpose(y, [0, 1, 3, 2])                                  # [B, 187, 64, 1]
            if previous is not None:
                y = y + previous
            previous = y
            layers.append(tf.squeeze(y, 3))
            h = y
        stack = tf.concat(layers, 2)                                 # [B, 187, 753]
        pooled = tf.reshape(tf.stack([tf.reduce_max(stack, 1), tf.reduce_mean(stack, 1)], 2), [-1, 1506])
        hidden = tf.nn.relu(tf.matmul(bn(pooled, 9), w["dense/kernel"]) + w["dense/bias"])
        embedding = bn(hidden, 10)
        return tf.sigmoid(tf.matmul(embedding, w["dense_1/kernel"]) + w["dense_1/bias"]), embedding

    return forward


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default="models/musicnn/MSD_musicnn/")
    parser.add_argument("--input", help="genre-bench musicnn --dump prefix")
    parser.add_argument("--patches", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    forward = build(args.checkpoint)
    if args.input:
        patches = np.fromfile(args.input + ".f32", dtype=np.float32).reshape(-1, 187, 96)
    else:
        patches = np.random.default_rng(1).uniform(0, 4.8, size=(args.patches, 187, 96)).astype(np.float32)
    batch = tf.constant(patches)
    tags, _ = forward(batch)  # warm-up: tracing, oneDNN primitives
    best = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        tags, _ = forward(batch)
        tags = tags.numpy()
        best = min(best, time.perf_counter() - start)
    result = {"tensorflow": tf.__version__, "patches": len(patches), "seconds": best,
              "patches_per_second": len(patches) / best}
    if args.input and os.path.exists(args.input + ".tags.f32"):
        ours = np.fromfile(args.input + ".tags.f32", dtype=np.float32).reshape(tags.shape)
        result["max_abs_tag_difference"] = float(np.abs(ours - tags).max())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
