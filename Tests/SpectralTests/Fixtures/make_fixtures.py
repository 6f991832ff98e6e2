#!/usr/bin/env python3
"""Makes librosa_mel.json: librosa's mel filter banks, STFTs, mel spectrograms and dB values
for test signals that the Swift tests rebuild from the same formula.

    python3 -m venv .venv-peers && .venv-peers/bin/pip install numpy scipy librosa
    .venv-peers/bin/python Tests/SpectralTests/Fixtures/make_fixtures.py

The signal (see test_signal) is a formula, not stored samples, so the fixture stays small.
"""
import json
import os

import librosa
import numpy as np


def test_signal(sr: int, seconds: float) -> np.ndarray:
    """Two tones, a chirp from 100 Hz to 0.4 sr, and a click every 0.25 s; float32."""
    n = int(sr * seconds)
    t = np.arange(n, dtype=np.float64) / sr
    f0, f1 = 100.0, 0.4 * sr
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    y = 0.4 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3150 * t) + 0.2 * chirp
    clicks = (np.arange(n) % int(0.25 * sr)) == 0
    y[clicks] += 0.8
    return y.astype(np.float32)


def g7(values) -> list:
    """Float32 values at the 7 significant digits float32 holds, to keep the file small."""
    return np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(np.asarray(values, np.float64)).tolist()


def sparse(weights: np.ndarray) -> dict:
    rows, cols = np.nonzero(weights)
    return {"shape": list(weights.shape), "rows": rows.tolist(), "cols": cols.tolist(),
            "values": g7(weights[rows, cols])}


def main():
    out = {"librosa": librosa.__version__, "filter_banks": [], "spectrograms": []}
    for sr, n_fft, n_mels, htk in [(22050, 2048, 128, False), (16000, 512, 40, False),
                                   (44100, 4096, 224, False), (16000, 512, 40, True)]:
        w = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, htk=htk)
        out["filter_banks"].append({"sr": sr, "n_fft": n_fft, "n_mels": n_mels, "htk": htk, "weights": sparse(w)})

    for sr, seconds, n_fft, hop, n_mels, pad_mode in [(22050, 1.0, 2048, 512, 128, "constant"),
                                                      (16000, 0.5, 512, 160, 40, "reflect")]:
        y = test_signal(sr, seconds)
        mag = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop, pad_mode=pad_mode))
        mel = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels,
                                             pad_mode=pad_mode)
        db = librosa.power_to_db(mel)  # ref=1.0, amin=1e-10, top_db=80
        out["spectrograms"].append({
            "sr": sr, "seconds": seconds, "n_fft": n_fft, "hop": hop, "n_mels": n_mels, "pad_mode": pad_mode,
            # (bins, frames) as librosa returns them; only a few frames of the STFT, to stay small.
            "stft_magnitude_frames_0_3": g7(mag[:, :4].T),
            "mel_power": g7(mel.T),  # frames x bands
            "mel_db": g7(db.T),
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "librosa_mel.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) / 1e3:.0f} kB) with librosa {librosa.__version__}")


if __name__ == "__main__":
    main()
