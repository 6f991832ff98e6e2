#!/usr/bin/env python3
"""Peer for step 03's TFRecord shards: TensorFlow writing and reading the article's Examples.

    tfrecords_tf.py write DIR [--records 8000 --floats 10000 --shards 16 --processes 2 --repeats 3]
        Builds tf.train.Examples (song: floats, class: int64 [1], one_hot_class: float [8])
        from `.tolist()` lists and writes them with tf.io.TFRecordWriter into DIR, the shards
        split over PROCESSES worker processes so that every core works. The random floats are
        made before the timing; building the Examples (tolist included) is timed.
        Prints {"records", "files", "bytes", "seconds", "tensorflow"}.

    tfrecords_tf.py read DIR [--repeats 3]
        Reads every *.tfrec in DIR with tf.data.TFRecordDataset(num_parallel_reads=AUTOTUNE),
        parses each record with tf.io.parse_single_example (the article's spec) in
        .map(num_parallel_calls=AUTOTUNE), and iterates to the end, once unbatched and once
        with .batch(64). Prints both times, the faster one as "seconds" and its name as "mode".

Times are the best of REPEATS runs (the dataset is built once, so tracing the parse function
is not timed). Run with TF_CPP_MIN_LOG_LEVEL=2 to keep TensorFlow's log lines quiet.
"""
import argparse
import glob
import json
import multiprocessing as mp
import os
import time

import numpy as np

CLASSES = 8

# Filled in the parent before the workers fork, so they share it without copying.
SONGS = None


def write_shard(job):
    """Writes records [start, stop) into one file, as the article's writer does."""
    import tensorflow as tf

    path, start, stop = job
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(start, stop):
            label = i % CLASSES
            one_hot = [0.0] * CLASSES
            one_hot[label] = 1.0
            example = tf.train.Example(features=tf.train.Features(feature={
                "song": tf.train.Feature(float_list=tf.train.FloatList(value=SONGS[i].tolist())),
                "class": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                "one_hot_class": tf.train.Feature(float_list=tf.train.FloatList(value=one_hot)),
            }))
            writer.write(example.SerializeToString())
    return os.path.getsize(path)


def import_tensorflow(barrier):
    """Each worker imports TensorFlow, then waits until all have, before any timing."""
    import tensorflow  # noqa: F401

    barrier.wait()


def write(args):
    global SONGS
    SONGS = np.random.default_rng(3).uniform(-1, 1, size=(args.records, args.floats)).astype(np.float32)
    os.makedirs(args.dir, exist_ok=True)
    per_shard = -(-args.records // args.shards)
    jobs = []
    for shard in range(args.shards):
        start, stop = shard * per_shard, min(args.records, (shard + 1) * per_shard)
        if start < stop:
            jobs.append((os.path.join(args.dir, f"songs{shard:02d}-{stop - start}.tfrec"), start, stop))
    # fork: the workers inherit SONGS; TensorFlow is imported only in them, after the fork.
    context = mp.get_context("fork")
    barrier = context.Barrier(args.processes + 1)
    with context.Pool(args.processes, initializer=import_tensorflow, initargs=(barrier,)) as pool:
        barrier.wait()  # every worker has imported TensorFlow
        best = float("inf")
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            sizes = pool.map(write_shard, jobs, chunksize=1)
            best = min(best, time.perf_counter() - t0)
    import tensorflow as tf

    print(json.dumps({"records": args.records, "files": len(jobs), "bytes": sum(sizes), "seconds": best,
                      "tensorflow": tf.__version__}))


def read(args):
    import tensorflow as tf

    files = sorted(glob.glob(os.path.join(args.dir, "*.tfrec")))
    if not files:
        raise SystemExit(f"no .tfrec files in {args.dir}")
    spec = {
        "song": tf.io.FixedLenFeature([args.floats], tf.float32),
        "class": tf.io.FixedLenFeature([1], tf.int64),
        "one_hot_class": tf.io.VarLenFeature(tf.float32),
    }

    def parse(record):
        return tf.io.parse_single_example(record, spec)

    base = tf.data.TFRecordDataset(files, num_parallel_reads=tf.data.AUTOTUNE).map(
        parse, num_parallel_calls=tf.data.AUTOTUNE)
    times = {}
    records = {}
    for mode, dataset in (("unbatched", base), ("batch(64)", base.batch(64))):
        best = float("inf")
        for _ in range(args.repeats):
            count = 0
            t0 = time.perf_counter()
            for element in dataset:
                count += int(element["class"].shape[0]) if mode != "unbatched" else 1
            best = min(best, time.perf_counter() - t0)
        times[mode] = best
        records[mode] = count
    mode = min(times, key=times.get)
    print(json.dumps({"records": records[mode], "files": len(files), "bytes": sum(map(os.path.getsize, files)),
                      "seconds": times[mode], "mode": mode, "seconds_unbatched": times["unbatched"],
                      "seconds_batched": times["batch(64)"], "tensorflow": tf.__version__}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["write", "read"])
    ap.add_argument("dir")
    ap.add_argument("--records", type=int, default=8000)
    ap.add_argument("--floats", type=int, default=10000)
    ap.add_argument("--shards", type=int, default=16)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    write(args) if args.task == "write" else read(args)


if __name__ == "__main__":
    main()
