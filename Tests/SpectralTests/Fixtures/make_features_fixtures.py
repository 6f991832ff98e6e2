#!/usr/bin/env python3
"""Makes librosa_features.json: the FMA 518-feature set as librosa computes it, for test
signals that the Swift tests rebuild from the same formulas.

    .venv-peers/bin/python Tests/SpectralTests/Fixtures/make_features_fixtures.py

The recipe is FMA's `features.py` (mdeff/fma), run with current librosa but with the
semantics of librosa 0.5, which FMA used:
  * STFT and CQT centred with reflect padding (0.5's default; >= 0.10 pads with zeros), also
    inside the tuning estimate behind the CQT;
  * chroma from a CQT of 12 bins per octave (0.5's chroma_cqt defaulted bins_per_octave to
    n_chroma; >= 0.7 assumes 36);
  * chroma_stft and the spectral features called without `sr`, so 22050 Hz is assumed
    (`variant='fma'`), or with the true rate (`variant='corrected'`);
  * rmse as 0.5 computed it from a magnitude spectrogram, sqrt(mean(S^2)) over the bins
    (>= 0.7's rms(S=...) rescales by the frame length);
  * mel (with the true rate) and 20 MFCCs of its dB, as FMA did.
Statistics as FMA: numpy mean/std/median/min/max and scipy's biased skew and Fisher kurtosis
over frames. scipy gives NaN for a constant row; we store null there.

The signals are formulas, not samples, so the file stays small; the Swift tests compute the
same formulas in double precision and round to float, as numpy does.
"""
import json
import os

import librosa
import numpy as np
from scipy import stats

FEATURE_SIZES = dict(chroma_stft=12, chroma_cqt=12, chroma_cens=12, tonnetz=6, mfcc=20, rmse=1, zcr=1,
                     spectral_centroid=1, spectral_bandwidth=1, spectral_contrast=7, spectral_rolloff=1)
MOMENTS = ('mean', 'std', 'skew', 'kurtosis', 'median', 'min', 'max')


def columns():
    """FMA's columns: (feature, statistic, number) tuples, sorted as pandas sorts them."""
    cols = [(name, moment, f'{i + 1:02d}') for name, size in FEATURE_SIZES.items()
            for moment in MOMENTS for i in range(size)]
    return sorted(cols)


def fma_frames(x, sr, variant='fma'):
    """Each feature's (rows, frames) array, and the two tuning estimates."""
    spectral_sr = 22050 if variant == 'fma' else sr
    out = {}
    out['zcr'] = librosa.feature.zero_crossing_rate(x, frame_length=2048, hop_length=512)
    tuning_cqt = librosa.estimate_tuning(y=x, sr=sr, bins_per_octave=12, pad_mode='reflect')
    cqt = np.abs(librosa.cqt(x, sr=sr, hop_length=512, bins_per_octave=12, n_bins=7 * 12,
                             tuning=tuning_cqt, pad_mode='reflect'))
    out['chroma_cqt'] = librosa.feature.chroma_cqt(C=cqt, n_chroma=12, n_octaves=7, bins_per_octave=12)
    out['chroma_cens'] = librosa.feature.chroma_cens(C=cqt, n_chroma=12, n_octaves=7, bins_per_octave=12)
    out['tonnetz'] = librosa.feature.tonnetz(chroma=out['chroma_cens'])
    stft = np.abs(librosa.stft(x, n_fft=2048, hop_length=512, pad_mode='reflect'))
    S2 = stft ** 2
    tuning_stft = librosa.estimate_tuning(S=S2, sr=spectral_sr, bins_per_octave=12)
    out['chroma_stft'] = librosa.feature.chroma_stft(S=S2, n_chroma=12, sr=spectral_sr)
    out['rmse'] = np.sqrt(np.mean(np.abs(stft) ** 2, axis=0, keepdims=True))
    out['spectral_centroid'] = librosa.feature.spectral_centroid(S=stft, sr=spectral_sr)
    out['spectral_bandwidth'] = librosa.feature.spectral_bandwidth(S=stft, sr=spectral_sr)
    out['spectral_contrast'] = librosa.feature.spectral_contrast(S=stft, n_bands=6, sr=spectral_sr)
    out['spectral_rolloff'] = librosa.feature.spectral_rolloff(S=stft, sr=spectral_sr)
    mel = librosa.feature.melspectrogram(sr=sr, S=S2)
    out['mfcc'] = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    return out, float(tuning_cqt), float(tuning_stft), cqt


def statistics(frames):
    """The 518 values in FMA's column order (NaN where scipy gives NaN)."""
    values = {}
    for name, f in frames.items():
        f = np.asarray(f)
        with np.errstate(all='ignore'):
            moments = dict(mean=np.mean(f, axis=1), std=np.std(f, axis=1), skew=stats.skew(f, axis=1),
                           kurtosis=stats.kurtosis(f, axis=1), median=np.median(f, axis=1),
                           min=np.min(f, axis=1), max=np.max(f, axis=1))
        for moment, row in moments.items():
            for i, v in enumerate(row):
                values[(name, moment, f'{i + 1:02d}')] = float(v)
    return [values[c] for c in columns()]


def lcg_noise(n, seed):
    """Uniform noise in [-1, 1) from a 32-bit LCG (Numerical Recipes' constants), so that
    Swift makes the same samples: state = 1664525 state + 1013904223 mod 2^32."""
    out = np.empty(n, dtype=np.float64)
    state = seed & 0xFFFFFFFF
    for i in range(n):
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        out[i] = state / 2147483648.0 - 1.0
    return out


def tones_signal(sr, seconds):
    """Two tones, a chirp from 100 Hz to 0.4 sr, a click every 0.25 s (make_fixtures.py's), and a
    noise floor 50 dB down: without one, the quietest bins that spectral contrast averages into
    its valleys hold only float32 rounding noise, which no two FFT libraries share."""
    n = int(sr * seconds)
    t = np.arange(n, dtype=np.float64) / sr
    f0, f1 = 100.0, 0.4 * sr
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    y = 0.4 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3150 * t) + 0.2 * chirp
    y += 0.003 * lcg_noise(n, 777)
    clicks = (np.arange(n) % int(0.25 * sr)) == 0
    y[clicks] += 0.8
    return y.astype(np.float32)


def chords_signal(sr, seconds):
    """Music-like: four chords (0.5 s each, repeating) of harmonic tones tuned to A = 446 Hz
    with decaying envelopes, a bass line, noise bursts on the beat (hi-hat) and a noise floor."""
    n = int(sr * seconds)
    t = np.arange(n, dtype=np.float64) / sr
    chords = [(57, 60, 64), (53, 57, 60), (55, 59, 62), (52, 55, 59)]  # Am F G Em (MIDI)
    y = np.zeros(n)
    beat = 0.5
    index = np.floor(t / beat).astype(int)
    local = t - index * beat
    envelope = np.exp(-3.0 * local)
    for c in range(4):
        mask = (index % 4) == c
        for note in chords[c]:
            f = 446.0 * 2.0 ** ((note - 69) / 12)
            for h in range(1, 5):
                y[mask] += 0.08 / h * np.sin(2 * np.pi * f * h * t[mask]) * envelope[mask]
        bass = 446.0 * 2.0 ** ((chords[c][0] - 12 - 69) / 12)
        y[mask] += 0.15 * np.sin(2 * np.pi * bass * t[mask]) * envelope[mask]
    noise = lcg_noise(n, 12345)
    hat = np.exp(-60.0 * (t - np.floor(t / 0.25) * 0.25))
    y += 0.1 * noise * hat
    y += 0.003 * lcg_noise(n, 999)
    return y.astype(np.float32)


SIGNALS = [
    # name, formula, sample rate, seconds, variant
    ('tones-22050', tones_signal, 22050, 3.0, 'fma'),
    ('tones-44100', tones_signal, 44100, 2.0, 'fma'),
    ('chords-22050', chords_signal, 22050, 4.0, 'fma'),
    ('chords-44100', chords_signal, 44100, 3.0, 'fma'),
    ('chords-44100-corrected', chords_signal, 44100, 3.0, 'corrected'),
    ('chords-16000-corrected', chords_signal, 16000, 3.0, 'corrected'),
]


def g7(values):
    return [None if not np.isfinite(v) else float(f'{v:.7g}') for v in np.asarray(values, np.float64).ravel()]


def main():
    out = {'librosa': librosa.__version__, 'columns': [list(c) for c in columns()], 'signals': []}
    for name, formula, sr, seconds, variant in SIGNALS:
        x = formula(sr, seconds)
        frames, tuning_cqt, tuning_stft, cqt = fma_frames(x, sr, variant)
        entry = {'name': name, 'formula': formula.__name__.replace('_signal', ''), 'sr': sr, 'seconds': seconds,
                 'variant': variant, 'tuning_cqt': tuning_cqt, 'tuning_stft': tuning_stft,
                 'frames': int(frames['zcr'].shape[1]), 'cqt_frames': int(cqt.shape[1]),
                 'features': g7(statistics(frames))}
        if name == 'chords-22050':
            # Frame-level values of a few frames, to locate a disagreement.
            entry['cqt_frames_8_10'] = g7(cqt[:, 8:10].T)
            entry['chroma_stft_frames_8_10'] = g7(frames['chroma_stft'][:, 8:10].T)
        out['signals'].append(entry)
        print(f'{name}: {entry["frames"]} frames, tuning {tuning_cqt:+.2f} (CQT) {tuning_stft:+.2f} (STFT)')
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'librosa_features.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print(f'wrote {path} ({os.path.getsize(path) / 1e3:.0f} kB) with librosa {librosa.__version__}')


if __name__ == '__main__':
    main()
