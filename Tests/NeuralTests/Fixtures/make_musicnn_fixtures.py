#!/usr/bin/env python3
"""The musicnn reference for Tests/NeuralTests/Musicnn*: the real MSD_musicnn weights run by
TensorFlow through musicnn 0.1.0's own graph code (models.define_model), not by our Swift.

Environment (not part of the product; musicnn's graph uses tf.compat.v1.layers, which
TensorFlow 2.21 provides only with the legacy tf-keras package):

    python3 -m venv .venv-musicnn
    .venv-musicnn/bin/pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0 librosa==0.11.0
    make setup        # unpacks the checkpoint into models/musicnn/MSD_musicnn/
    .venv-musicnn/bin/python Tests/NeuralTests/Fixtures/make_musicnn_fixtures.py

musicnn itself is imported from its wheel (downloaded with `pip download --no-deps
musicnn==0.1.0` into a temporary folder, used as a zip on sys.path), because its declared
dependencies (numpy<1.17, TF 1.x) cannot be installed beside TF 2.21.

Writes, for three 6-second clips made by a formula of the sample index that the Swift test
repeats (a chord with tremolo, noise bursts over a kick, a chirp over faint noise):
  musicnn_logmel.f16       each clip's log-mel input [376, 96], float16 little-endian, clips
                           back to back: musicnn's own float16 compression
                           (`np.log10(10000 * mel.astype(np.float16) + 1)`), of librosa's mel
                           with reflect padding (librosa 0.7's default, used in training)
  musicnn_reference.json   per clip and patch: the taggram (50 sigmoid outputs) and the
                           embedding (`penultimate`, 200), plus the first patch's max_pool.

The stale-features bug of musicnn's extractor (rows after the first patch of `penultimate`
repeat the first) is avoided: all patches of a clip go through the graph as one batch and
each row of every output is the patch's own.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import librosa
import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CHECKPOINT = os.path.join(ROOT, "models", "musicnn", "MSD_musicnn") + "/"

SR, N = 16000, 96000  # 6 s: 376 frames, two whole patches of 187


def lcg_noise(count, seed):
    """Uniform noise in [-1, 1) from the 31-bit LCG x -> (1103515245 x + 12345) mod 2^31."""
    out = np.empty(count, dtype=np.float64)
    state = seed
    for i in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out[i] = state / 2147483648.0 * 2.0 - 1.0
    return out


def clips():
    n = np.arange(N, dtype=np.float64)
    t = n / SR
    chord = 0.06 * (np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 277.18 * t) + np.sin(2 * np.pi * 329.63 * t)) \
        * (0.6 + 0.4 * np.sin(2 * np.pi * 2 * t))
    local = (n % 4000) / SR
    kick_time = (n % 8000) / SR
    beat = 0.2 * lcg_noise(N, 7) * np.exp(-local * 40) + 0.1 * np.sin(2 * np.pi * 80 * kick_time) * np.exp(-kick_time * 25)
    sweep = 0.1 * np.sin(2 * np.pi * (100 * t + (3900 / (2 * 6.0)) * t * t)) + 0.02 * lcg_noise(N, 11)
    return [("chord", chord.astype(np.float32)), ("beat", beat.astype(np.float32)), ("sweep", sweep.astype(np.float32))]


def log_mel(audio):
    mel = librosa.feature.melspectrogram(y=audio, sr=SR, hop_length=256, n_fft=512, n_mels=96, pad_mode="reflect").T
    print("  max mel power %.3f" % mel.max())
    assert mel.max() < 65504 / 10000, "mel power %.2f would overflow musicnn's float16 log" % mel.max()
    audio_rep = mel.astype(np.float16)                 # as musicnn's extractor.batch_data
    audio_rep = np.log10(10000 * audio_rep + 1)
    assert audio_rep.dtype == np.float16 and np.isfinite(audio_rep).all()
    return audio_rep


def import_musicnn():
    try:
        import musicnn  # noqa: F401
    except ImportError:
        folder = tempfile.mkdtemp(prefix="musicnn-wheel-")
        if os.environ.get("MUSICNN_WHEEL"):
            folder = os.path.dirname(os.environ["MUSICNN_WHEEL"])
        else:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                            "--dest", folder, "musicnn==0.1.0"], check=True)
        sys.path.insert(0, glob.glob(os.path.join(folder, "musicnn-0.1.0-*.whl"))[0])
    from musicnn import configuration, models
    return configuration, models


def main():
    configuration, models = import_musicnn()
    tf.compat.v1.disable_eager_execution()
    with tf.name_scope("model"):
        x = tf.compat.v1.placeholder(tf.float32, [None, 187, 96])
        is_training = tf.compat.v1.placeholder(tf.bool)
        y, timbral, temporal, cnn1, cnn2, cnn3, mean_pool, max_pool, penultimate = \
            models.define_model(x, is_training, "MSD_musicnn", len(configuration.MSD_LABELS))
        taggram = tf.nn.sigmoid(y)
    session = tf.compat.v1.Session()
    tf.compat.v1.train.Saver().restore(session, CHECKPOINT)

    reference = {"made_by": "make_musicnn_fixtures.py: TensorFlow %s, librosa %s, musicnn 0.1.0 models.py, MSD_musicnn"
                 % (tf.__version__, librosa.__version__),
                 "frames": None, "clips": []}
    logmels = []
    for name, audio in clips():
        rep = log_mel(audio)
        logmels.append(rep)
        starts = list(range(0, rep.shape[0] - 187 + 1, 187))
        batch = np.stack([rep[s:s + 187] for s in starts]).astype(np.float32)
        tags, embeddings, maxima = session.run([taggram, penultimate, max_pool], {x: batch, is_training: False})
        reference["frames"] = int(rep.shape[0])
        top = np.argsort(-tags.mean(axis=0))[:5]
        print(name, "patches", len(starts), "top tags", [configuration.MSD_LABELS[i] for i in top])
        reference["clips"].append({
            "name": name,
            "taggram": [[float("%.7g" % v) for v in row] for row in tags],
            "embeddings": [[float("%.7g" % v) for v in row] for row in embeddings],
            "max_pool_first": [float("%.7g" % v) for v in maxima[0]],
        })
    np.concatenate(logmels).astype("<f2").tofile(os.path.join(HERE, "musicnn_logmel.f16"))
    with open(os.path.join(HERE, "musicnn_reference.json"), "w") as out:
        json.dump(reference, out)
    for name in ("musicnn_logmel.f16", "musicnn_reference.json"):
        print(name, os.path.getsize(os.path.join(HERE, name)), "bytes")


if __name__ == "__main__":
    main()
