#!/usr/bin/env python3
"""Peer for step 03's mel spectrograms: librosa with its defaults, clips spread over processes.

    mel_librosa.py FILE [--clips 16 --sample-rate 44100 --processes 2 --repeats 3 --compare DB]

FILE holds the clips as raw little-endian float32, one after another (genre-bench
make-mel-clips writes it). Each clip gets librosa.feature.melspectrogram (n_fft 2048, hop 512,
128 Slaney mel bands, power 2) and librosa.power_to_db, the clips split over PROCESSES worker
processes by a multiprocessing Pool, each worker's BLAS kept to one thread so that the
processes, not BLAS threads, share the cores. Loading the file and starting the workers are
not timed. With --compare, the largest difference from clip 0's decibels in DB (raw float32,
bands x frames, as genre-bench mel --dump-first writes them) is reported too.

Prints {"clips", "seconds" (best of REPEATS), "librosa", "max_abs_db_difference"}.
"""
import argparse
import json
import multiprocessing as mp
import os
import time

# One BLAS thread per worker; set before numpy loads its BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

# Filled in the parent before the workers fork, so they share it without copying.
CLIPS = None
SAMPLE_RATE = 44100


def mel_db(index):
    import librosa

    power = librosa.feature.melspectrogram(y=CLIPS[index], sr=SAMPLE_RATE, n_fft=2048, hop_length=512,
                                           n_mels=128, power=2.0)
    return librosa.power_to_db(power)


def warm_up(barrier):
    """Each worker imports librosa and runs it once on a short signal, then waits for the others."""
    import librosa

    librosa.power_to_db(librosa.feature.melspectrogram(y=np.zeros(SAMPLE_RATE, np.float32), sr=SAMPLE_RATE))
    barrier.wait()


def main():
    global CLIPS, SAMPLE_RATE
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--clips", type=int, default=16)
    ap.add_argument("--sample-rate", type=int, default=44100)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--compare")
    args = ap.parse_args()
    SAMPLE_RATE = args.sample_rate
    CLIPS = np.fromfile(args.file, dtype="<f4").reshape(args.clips, -1)

    context = mp.get_context("fork")
    barrier = context.Barrier(args.processes + 1)
    with context.Pool(args.processes, initializer=warm_up, initargs=(barrier,)) as pool:
        barrier.wait()
        best = float("inf")
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            results = pool.map(mel_db, range(args.clips), chunksize=1)
            best = min(best, time.perf_counter() - t0)

    import librosa

    out = {"clips": args.clips, "seconds": best, "frames": results[0].shape[1], "bands": results[0].shape[0],
           "librosa": librosa.__version__}
    if args.compare:
        ours = np.fromfile(args.compare, dtype="<f4").reshape(results[0].shape)
        out["max_abs_db_difference"] = float(np.max(np.abs(ours - results[0])))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
