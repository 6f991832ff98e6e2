#!/usr/bin/env python3
"""Writes the TensorBundle test fixtures with TensorFlow itself (TF 2.21, CPU).

    /work/main/.venv-bench/bin/python Tests/TensorBundleTests/Fixtures/make_fixtures.py

tf_small.{index,data-00000-of-00001}
    SaveV2 (what tf.compat.v1.train.Saver runs) of a few float32 tensors whose values are a
    formula of their index, exact in float32, so the Swift test recomputes them: the test
    checks our reader's values and that our writer's two files are byte-identical to these.
tf_types.*
    One tensor of each numeric dtype (float16, bfloat16, float64, int32, int64, uint8, bool),
    for the reader's conversions to Float.
tf_object.*
    A TF2 object-based checkpoint (tf.train.Checkpoint.write) with its string entry
    _CHECKPOINTABLE_OBJECT_GRAPH, whose CRC32C covers a different byte layout.

With --check PREFIX the script instead reads a bundle our writer produced with
tf.train.load_checkpoint and checks every tensor against the same formula (used once by
hand on the Swift round-trip output; see README.md).
"""
import os
import sys

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> shape; the values of tensor k are formula(count, k).
SMALL = {
    "conv1d/kernel": [3, 2, 4],
    "conv1d/bias": [4],
    "dense/kernel": [5, 3],
    "dense/bias": [3],
    "global_step_scalar": [],
    "empty": [0, 3],
}


def formula(count, k):
    """((i * 7 + 3 k) mod 251 - 125) / 64 * (k + 1): multiples of 1/64, exact in float32."""
    i = np.arange(count, dtype=np.int64)
    return (((i * 7 + 3 * k) % 251 - 125) / 64.0 * (k + 1)).astype(np.float32)


def small_tensors():
    tensors = {}
    for k, name in enumerate(sorted(SMALL)):
        shape = SMALL[name]
        tensors[name] = formula(int(np.prod(shape, dtype=np.int64)), k).reshape(shape)
    return tensors


def save(prefix, tensors):
    names = sorted(tensors)
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                      tensors=[tf.constant(tensors[n]) for n in names])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        reader = tf.train.load_checkpoint(sys.argv[2])
        expected = small_tensors()
        got = reader.get_variable_to_shape_map()
        assert sorted(got) == sorted(expected), (sorted(got), sorted(expected))
        for name, values in expected.items():
            np.testing.assert_array_equal(reader.get_tensor(name), values)
        print("TensorFlow %s reads %s: %d tensors equal" % (tf.__version__, sys.argv[2], len(expected)))
        return

    save(os.path.join(HERE, "tf_small"), small_tensors())

    base = formula(6, 0)  # -1.953125 ... exact in every type below after the casts
    types = {
        "t_float16": tf.constant(base.astype(np.float16)),
        "t_bfloat16": tf.cast(tf.constant(base), tf.bfloat16),
        "t_float64": tf.constant(base.astype(np.float64)),
        "t_int32": tf.constant(np.arange(-3, 3, dtype=np.int32) * 1000),
        "t_int64": tf.constant(np.arange(-3, 3, dtype=np.int64) * 100000),
        "t_uint8": tf.constant(np.arange(250, 256, dtype=np.uint8)),
        "t_bool": tf.constant(np.array([True, False, True, True, False, False])),
    }
    names = sorted(types)
    tf.raw_ops.SaveV2(prefix=os.path.join(HERE, "tf_types"), tensor_names=names,
                      shape_and_slices=[""] * len(names), tensors=[types[n] for n in names])

    checkpoint = tf.train.Checkpoint(weights=tf.Variable(formula(12, 1).reshape(3, 4)),
                                     bias=tf.Variable(formula(4, 2)))
    checkpoint.write(os.path.join(HERE, "tf_object"))

    for name in sorted(os.listdir(HERE)):
        if name.startswith("tf_"):
            print(name, os.path.getsize(os.path.join(HERE, name)))


if __name__ == "__main__":
    main()
