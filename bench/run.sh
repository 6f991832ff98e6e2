#!/usr/bin/env bash
# make bench: each of genre-lab's steps timed beside the tool a Python user would reach for,
# on the same machine, in the same run, with the same inputs. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

out=bench/out
mkdir -p "$out"
bench=.build/release/genre-bench

# The peers live in their own virtualenv, made once (the first time, installing TensorFlow takes minutes).
venv=.venv-bench
export TF_CPP_MIN_LOG_LEVEL=2  # TensorFlow's C++ log lines stay out of the output
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c "import pandas, numpy, tensorflow, librosa" 2>/dev/null; then
  echo "bench: setting up the Python peers in $venv (pandas, numpy, tensorflow-cpu, librosa)..." >&2
  python3 -m venv "$venv"
  $venv/bin/pip install -q -r bench/peers/requirements.txt
fi
py=$venv/bin/python
field() { $py -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { $py -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{b/a:.2f}x')" "$1" "$2"; }
secs() { $py -c "import sys; print(f'{float(sys.argv[1]):.3f} s')" "$1"; }
msec() { $py -c "import sys; print(f'{float(sys.argv[1])*1e3:.1f} ms')" "$1"; }
# megabytes per second for a JSON result with "bytes" and "seconds"
mbps() { $py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"bytes\"]/1e6/r[\"seconds\"]:.0f} MB/s')" "$1"; }
# clips per second for a JSON result with "clips" and "seconds"
clips_per_sec() { $py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"clips\"]/r[\"seconds\"]:.1f} clips/s')" "$1"; }
# the last line a peer prints (its JSON), whatever a library printed before it
run_peer() { "$py" "$@" | tail -n 1; }

rows=()

# 1. Step 01: parsing FMA's tracks.csv (generated at its real size).
csv=$out/tracks.csv
if [[ ! -s $csv ]]; then
  echo "bench: writing a full-size tracks.csv..." >&2
  $bench make-tracks-csv --out "$csv" >&2
fi
mb=$($py -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1e6:.0f}')" "$csv")
echo "bench: parsing tracks.csv ($mb MB)..." >&2
ours=$($bench parse-tracks-csv "$csv")
peer=$($py bench/peers/read_tracks.py "$csv")
n=$(field "$ours" rows)
rows+=("| step01: read tracks.csv, $n rows, $mb MB (columns used) | $(secs "$(field "$ours" seconds_columns_used)") | pandas $(field "$peer" pandas) \`read_csv(header=[0,1])\` | $(secs "$(field "$peer" seconds)") | $(ratio "$(field "$ours" seconds_columns_used)" "$(field "$peer" seconds)") |")
rows+=("| step01: read tracks.csv, every field as a string | $(secs "$(field "$ours" seconds_all_fields)") | same | $(secs "$(field "$peer" seconds)") | $(ratio "$(field "$ours" seconds_all_fields)" "$(field "$peer" seconds)") |")

# 2. Step 02: MP3 to mono WAV on one core, against mpg123 -w decoding the same files.
clips=$out/clips
if [[ ! -s $clips/demo.json ]]; then
  echo "bench: writing demo clips..." >&2
  $bench make-clips --out "$clips" >&2
fi
echo "bench: converting clips..." >&2
peer=$($bench mpg123 "$clips")
for rate in 44100 22050; do
  ours=$($bench convert-clips "$clips" --sample-rate $rate)
  rows+=("| step02: $(field "$ours" clips) MP3 clips to $rate Hz mono WAV, one core | $(secs "$(field "$ours" seconds)") | \`mpg123 -w\` (decode only) | $(secs "$(field "$peer" seconds)") | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
done

# 3. Step 03: TFRecord shards. 8000 Examples of 10000 random floats (the article's keys) into
# 16 shards on both cores, against TensorFlow's Python writer in 2 processes; then reading
# and parsing them back, against tf.data. Both sides read the shards genre-lab wrote.
ours_dir=$out/tfrecord-ours
peer_dir=$out/tfrecord-tf
echo "bench: writing TFRecord shards..." >&2
ours=$($bench tfrecord-write --out "$ours_dir")
rm -rf "$peer_dir"
peer=$(run_peer bench/peers/tfrecords_tf.py write "$peer_dir")
tf="TensorFlow $(field "$peer" tensorflow)"
mb=$($py -c "import sys; print(f'{int(sys.argv[1])/1e6:.0f}')" "$(field "$ours" bytes)")
crc=$(field "$ours" crc32c)
rows+=("| step03: write $(field "$ours" records) Examples x 10000 floats, $(field "$ours" files) TFRecord shards, $mb MB, both cores | $(secs "$(field "$ours" seconds)") ($(mbps "$ours")) | $tf \`tf.train.Example\` + \`tf.io.TFRecordWriter\`, 2 processes | $(secs "$(field "$peer" seconds)") ($(mbps "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")

echo "bench: reading TFRecord shards..." >&2
ours=$($bench tfrecord-read "$ours_dir")
peer=$(run_peer bench/peers/tfrecords_tf.py read "$ours_dir")
tf_mode=$(field "$peer" mode)
rows+=("| step03: read + parse those shards, both cores | $(secs "$(field "$ours" seconds)") ($(mbps "$ours")) | $tf \`TFRecordDataset\` + \`parse_single_example\`, AUTOTUNE, $tf_mode | $(secs "$(field "$peer" seconds)") ($(mbps "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
tf_read_note="tf.data unbatched $(secs "$(field "$peer" seconds_unbatched)"), batch(64) $(secs "$(field "$peer" seconds_batched)")"
rm -rf "$ours_dir" "$peer_dir"  # 640 MB

# 4. Step 03's mel spectrograms: librosa's defaults (n_fft 2048, hop 512, 128 Slaney bands,
# power 2, power_to_db) on 16 clips of 30 s at 44.1 kHz, on both cores.
mel_clips=$out/mel-clips.f32
if [[ ! -s $mel_clips ]]; then
  echo "bench: writing mel test clips..." >&2
  $bench make-mel-clips --out "$mel_clips" >&2
fi
echo "bench: mel spectrograms..." >&2
# One BLAS thread per worker on both sides (the peer sets it too): the cores are shared by clip.
ours=$(OPENBLAS_NUM_THREADS=1 $bench mel "$mel_clips" --dump-first "$out/mel-clip0-db.f32" --breakdown)
peer=$(run_peer bench/peers/mel_librosa.py "$mel_clips" --compare "$out/mel-clip0-db.f32")
rows+=("| step03: mel spectrogram in dB, $(field "$ours" clips) clips of 30 s at 44.1 kHz, both cores | $(secs "$(field "$ours" seconds)") ($(clips_per_sec "$ours")) | librosa $(field "$peer" librosa) \`melspectrogram\` + \`power_to_db\`, \`Pool(2)\` | $(secs "$(field "$peer" seconds)") ($(clips_per_sec "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
mel_diff=$($py -c "import sys; print(f'{float(sys.argv[1]):.1e}')" "$(field "$peer" max_abs_db_difference)")
part() { msec "$(field "$ours" "$1")"; }
mel_note="genre-lab per clip on one core: STFT $(part seconds_stft_per_clip) (FFTW alone $(part seconds_fft_execute_per_clip)), mel projection $(part seconds_mel_projection_per_clip), decibels $(part seconds_decibels_per_clip)"

# 5 and on: the sections later steps add, bench/sections/NN-name.sh, each appending to rows
# (table lines) and notes (lines printed under the table).
notes=()
for section in bench/sections/*.sh; do
  [[ -e $section ]] || continue
  source "$section"
done

echo
echo "genre-lab benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| task | genre-lab | peer | peer time | speed vs peer |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Times are the best of 3 runs (the FMA feature rows: of 6 measurements, in two rounds with the two sides taking turns and each of ours as long as one of librosa's; see the notes). 'speed vs peer' = peer time / genre-lab time (above 1 = genre-lab faster)."
echo "TFRecord: the random floats are made before the timing, the Examples are built inside it (TensorFlow's from \`.tolist()\`); CRC32C by the $crc; $tf_read_note (the faster is in the table)."
echo "Mel: clip 0's decibels differ from librosa's by at most $mel_diff dB; $mel_note."
if (( ${#notes[@]} )); then printf '%s\n' "${notes[@]}"; fi
