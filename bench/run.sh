#!/usr/bin/env bash
# make bench: each of genre-lab's steps timed beside the tool a Python user would reach for,
# on the same machine, in the same run, with the same inputs. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

out=bench/out
mkdir -p "$out"
bench=.build/release/genre-bench

# The peers live in their own virtualenv, made once.
venv=.venv-bench
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c "import pandas" 2>/dev/null; then
  echo "bench: setting up the Python peers in $venv (pandas)..." >&2
  python3 -m venv "$venv"
  $venv/bin/pip install -q -r bench/peers/requirements.txt
fi
py=$venv/bin/python
field() { $py -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { $py -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{b/a:.2f}x')" "$1" "$2"; }
secs() { $py -c "import sys; print(f'{float(sys.argv[1]):.3f} s')" "$1"; }

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

echo
echo "genre-lab benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| task | genre-lab | peer | peer time | speed vs peer |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Times are the best of 3 runs. 'speed vs peer' = peer time / genre-lab time (above 1 = genre-lab faster)."
