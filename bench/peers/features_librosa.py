#!/usr/bin/env python3
"""Peer for the FMA 518-feature set: FMA's features.py recipe with librosa, clips spread over
processes.

    features_librosa.py FILE [--clips 8 --sample-rate 44100 --processes 2 --repeats 1 --compare OURS]

FILE holds the clips as raw little-endian float32 (genre-bench features make-clips writes it).
Each clip gets FMA's compute_features (mdeff/fma, features.py) with librosa 0.5's semantics, as
Tests/SpectralTests/Fixtures/make_features_fixtures.py documents: reflect padding, a 12 bins per
octave chroma, spectral features at an assumed 22050 Hz, rmse as sqrt(mean(S^2)). The clips are
split over PROCESSES spawned worker processes (one BLAS thread each); loading and starting the
workers are not timed. With --compare, OURS (clips x 518 float32, genre-bench features run --dump) is
compared value by value: the share within 1 % (relative; values near zero judged against 1e-3
of the largest magnitude of their feature and statistic) and the worst feature.

Prints {"clips", "seconds" (best of REPEATS), "pass_seconds" (every pass), "librosa", "within_1pct", "worst_feature", ...}.
"""
import argparse
import json
import multiprocessing as mp
import os
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# librosa's numba kernels compiled afresh into an empty cache: here, loading piptrack's
# parabolic-interpolation gufunc from numba's on-disk cache segfaults (numba 0.68), compiling
# it does not. The warm-up clip pays the compilation, outside the timing.
import tempfile  # noqa: E402
os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-features-")

import numpy as np  # noqa: E402

CLIPS = None
SAMPLE_RATE = 44100
SIZES = dict(chroma_stft=12, chroma_cqt=12, chroma_cens=12, tonnetz=6, mfcc=20, rmse=1, zcr=1,
             spectral_centroid=1, spectral_bandwidth=1, spectral_contrast=7, spectral_rolloff=1)
MOMENTS = ('mean', 'std', 'skew', 'kurtosis', 'median', 'min', 'max')
COLUMNS = sorted((name, moment, f'{i + 1:02d}') for name, size in SIZES.items()
                 for moment in MOMENTS for i in range(size))


def features(index):
    import librosa
    from scipy import stats

    x, sr = CLIPS[index], SAMPLE_RATE
    values = {}

    def feature_stats(name, f):
        with np.errstate(all='ignore'), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            moments = dict(mean=np.mean(f, axis=1), std=np.std(f, axis=1), skew=stats.skew(f, axis=1),
                           kurtosis=stats.kurtosis(f, axis=1), median=np.median(f, axis=1),
                           min=np.min(f, axis=1), max=np.max(f, axis=1))
        for moment, row in moments.items():
            for i, v in enumerate(row):
                values[(name, moment, f'{i + 1:02d}')] = float(v)

    feature_stats('zcr', librosa.feature.zero_crossing_rate(x, frame_length=2048, hop_length=512))
    tuning = librosa.estimate_tuning(y=x, sr=sr, bins_per_octave=12, pad_mode='reflect')
    cqt = np.abs(librosa.cqt(x, sr=sr, hop_length=512, bins_per_octave=12, n_bins=7 * 12, tuning=tuning,
                             pad_mode='reflect'))
    feature_stats('chroma_cqt', librosa.feature.chroma_cqt(C=cqt, n_chroma=12, n_octaves=7, bins_per_octave=12))
    f = librosa.feature.chroma_cens(C=cqt, n_chroma=12, n_octaves=7, bins_per_octave=12)
    feature_stats('chroma_cens', f)
    feature_stats('tonnetz', librosa.feature.tonnetz(chroma=f))
    stft = np.abs(librosa.stft(x, n_fft=2048, hop_length=512, pad_mode='reflect'))
    feature_stats('chroma_stft', librosa.feature.chroma_stft(S=stft ** 2, n_chroma=12))
    feature_stats('rmse', np.sqrt(np.mean(stft ** 2, axis=0, keepdims=True)))
    feature_stats('spectral_centroid', librosa.feature.spectral_centroid(S=stft))
    feature_stats('spectral_bandwidth', librosa.feature.spectral_bandwidth(S=stft))
    feature_stats('spectral_contrast', librosa.feature.spectral_contrast(S=stft, n_bands=6))
    feature_stats('spectral_rolloff', librosa.feature.spectral_rolloff(S=stft))
    mel = librosa.feature.melspectrogram(sr=sr, S=stft ** 2)
    feature_stats('mfcc', librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20))
    return [values[c] for c in COLUMNS]


def warm_up(barrier, file, clips, sample_rate):
    """Each worker (a fresh interpreter) loads the clips, imports librosa and runs the recipe
    once on a short clip, then waits for the others."""
    global CLIPS, SAMPLE_RATE
    SAMPLE_RATE = sample_rate
    CLIPS = [np.sin(np.arange(SAMPLE_RATE * 2, dtype=np.float32) * 0.05)]
    features(0)
    CLIPS = np.fromfile(file, dtype='<f4').reshape(clips, -1)
    barrier.wait()


def compare(ours, theirs):
    """Share of values within 1 %, and each feature's worst relative difference."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    scale = {}
    for j, (name, moment, _) in enumerate(COLUMNS):
        scale[(name, moment)] = max(scale.get((name, moment), 0.0), float(np.nanmax(np.abs(theirs[:, j]))))
    within, compared, worst = 0, 0, {}
    for i in range(theirs.shape[0]):
        for j, (name, moment, number) in enumerate(COLUMNS):
            if not np.isfinite(theirs[i, j]):
                continue
            floor = max(1e-3 * scale[(name, moment)], 1e-6)
            error = abs(ours[i, j] - theirs[i, j]) / max(abs(theirs[i, j]), floor)
            compared += 1
            within += error <= 0.01
            if error > worst.get(name, (-1,))[0]:
                worst[name] = (error, f'{name}/{moment}/{number}', float(ours[i, j]), float(theirs[i, j]), i)
    return within / max(compared, 1), compared, worst


def main():
    global CLIPS, SAMPLE_RATE
    ap = argparse.ArgumentParser()
    ap.add_argument('file')
    ap.add_argument('--clips', type=int, default=8)
    ap.add_argument('--sample-rate', type=int, default=44100)
    ap.add_argument('--processes', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=1)
    ap.add_argument('--compare')
    args = ap.parse_args()
    SAMPLE_RATE = args.sample_rate
    CLIPS = np.fromfile(args.file, dtype='<f4').reshape(args.clips, -1)

    passes = []
    if args.processes <= 1:
        # In this process, after one warm-up clip (numba compiles librosa's kernels once).
        clips = CLIPS
        CLIPS = [np.sin(np.arange(SAMPLE_RATE * 2, dtype=np.float32) * 0.05)]
        features(0)
        CLIPS = clips
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            results = [features(i) for i in range(args.clips)]
            passes.append(time.perf_counter() - t0)
    else:
        # Spawned, not forked: a forked worker crashed in numba's piptrack kernel, which the
        # parent had compiled; each spawned interpreter compiles its own in the warm-up.
        context = mp.get_context('spawn')
        barrier = context.Barrier(args.processes + 1)
        with context.Pool(args.processes, initializer=warm_up,
                          initargs=(barrier, args.file, args.clips, args.sample_rate)) as pool:
            barrier.wait()
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                results = pool.map(features, range(args.clips), chunksize=1)
                passes.append(time.perf_counter() - t0)

    import librosa

    out = {'clips': args.clips, 'seconds': min(passes), 'pass_seconds': passes, 'processes': args.processes,
           'librosa': librosa.__version__}
    if args.compare:
        ours = np.fromfile(args.compare, dtype='<f4').reshape(args.clips, len(COLUMNS))
        share, compared, worst = compare(ours, np.asarray(results))
        name, (error, column, mine, theirs, clip) = max(worst.items(), key=lambda kv: kv[1][0])
        out.update(within_1pct=share, compared=compared, worst_feature=name, worst_error=error,
                   worst_column=column, worst_ours=mine, worst_librosa=theirs, worst_clip=clip,
                   worst_by_feature={k: round(v[0], 6) for k, v in sorted(worst.items())})
    print(json.dumps(out))


if __name__ == '__main__':
    main()
