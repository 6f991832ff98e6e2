#!/usr/bin/env python3
"""Writes the TFRecord fixtures of Tests/TFRecordTests with TensorFlow itself.

Run it from anywhere with a Python that has TensorFlow (CPU is enough):

    python3 -m venv /tmp/tfvenv
    /tmp/tfvenv/bin/pip install tensorflow-cpu numpy
    /tmp/tfvenv/bin/python Tests/TFRecordTests/Fixtures/make_fixtures.py

It writes, next to itself:

    examples.tfrec       the Examples below, uncompressed, by tf.io.TFRecordWriter
    examples.gzip.tfrec  the same records with TFRecordOptions(compression_type="GZIP")
    examples.zlib.tfrec  the same records with TFRecordOptions(compression_type="ZLIB")
    examples.json        what each record decodes to, and the versions that wrote them

Records are serialized with SerializeToString(deterministic=True): Python's default
SerializeToString() (protobuf's upb backend) writes map entries in the order of a hash table
seeded per process, so the bytes change from run to run; the deterministic order is the only
reproducible one and the one the Swift encoder reproduces.

In examples.json a float is its IEEE 754 bit pattern (so NaN, infinities and -0.0 survive),
an int64 a decimal string (JSON numbers lose precision past 2^53), bytes are hex.
"""
import json
import os
import struct
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import google.protobuf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
N_CLASSES = 8
WINDOW = 16


def article_example(song, label):
    """One record as the article writes it: the window, its class, and the one-hot class."""
    one_hot = np.zeros(N_CLASSES, np.float32)
    one_hot[label] = 1.0
    return {
        "song": ("float", song.astype(np.float32).tolist()),
        "class": ("int64", [int(label)]),
        "one_hot_class": ("float", one_hot.tolist()),
    }


def all_examples():
    rng = np.random.default_rng(20240601)
    examples = [article_example(rng.standard_normal(WINDOW, dtype=np.float32), label) for label in (0, 3, 7)]
    examples.append({
        # Bytes of every sort, including empty and non-UTF-8 values.
        "name": ("bytes", [b"blues", b"", b"\x00\xff\x80", "Électronique".encode()]),
        # Negative numbers take 10 varint bytes; 127/128 straddle the one-byte boundary.
        "ids": ("int64", [-1, 0, 1, -(2 ** 63), 2 ** 63 - 1, 127, 128, 300, -300]),
        # "id" is a prefix of "ids": shows how the deterministic order treats prefixes.
        "id": ("int64", [42]),
        "scores": ("float", [float("inf"), float("-inf"), -0.0, 1e-45, 3.4028234663852886e38, float("nan"), 0.1]),
        "empty_floats": ("float", []),
        "empty_ints": ("int64", []),
        "empty_bytes": ("bytes", []),
        "": ("bytes", [b"a feature with an empty name"]),
        # 300 floats: lengths above 127 need two-byte varints.
        "long": ("float", np.linspace(-1, 1, 300, dtype=np.float32).tolist()),
    })
    examples.append({})  # an Example with no features: the record is 0A 00
    return examples


def to_proto(features):
    def feature(kind, values):
        if kind == "float":
            return tf.train.Feature(float_list=tf.train.FloatList(value=values))
        if kind == "int64":
            return tf.train.Feature(int64_list=tf.train.Int64List(value=values))
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))

    return tf.train.Example(features=tf.train.Features(feature={k: feature(*v) for k, v in features.items()}))


def to_json(features):
    out = {}
    for key, (kind, values) in features.items():
        if kind == "float":
            out[key] = {"kind": kind, "bits": [struct.unpack("<I", struct.pack("<f", v))[0] for v in values]}
        elif kind == "int64":
            out[key] = {"kind": kind, "values": [str(v) for v in values]}
        else:
            out[key] = {"kind": kind, "hex": [v.hex() for v in values]}
    return out


def main():
    examples = all_examples()
    records = [to_proto(e).SerializeToString(deterministic=True) for e in examples]
    for name, compression in (("examples.tfrec", None), ("examples.gzip.tfrec", "GZIP"),
                              ("examples.zlib.tfrec", "ZLIB")):
        options = tf.io.TFRecordOptions(compression_type=compression) if compression else None
        with tf.io.TFRecordWriter(os.path.join(HERE, name), options) as writer:
            for record in records:
                writer.write(record)
        # Read back with TensorFlow's own reader, as a check of the fixture itself.
        read = list(tf.data.TFRecordDataset(os.path.join(HERE, name), compression_type=compression or "")
                    .as_numpy_iterator())
        assert read == records, name
    with open(os.path.join(HERE, "examples.json"), "w") as handle:
        json.dump({
            "written_by": {"tensorflow": tf.__version__, "protobuf": google.protobuf.__version__,
                           "python": sys.version.split()[0]},
            "serialization": "SerializeToString(deterministic=True)",
            "examples": [to_json(e) for e in examples],
        }, handle, indent=1)
        handle.write("\n")
    for name in sorted(os.listdir(HERE)):
        print(f"{os.path.getsize(os.path.join(HERE, name)):7d}  {name}")


if __name__ == "__main__":
    main()
