#!/usr/bin/env bash
# Fetches musicnn's MSD checkpoint (Pons and Serra, musicnn 0.1.0, ISC licence) for
# transfer learning: downloads the wheel with pip (no install, no dependencies), unpacks
# only musicnn/MSD_musicnn/ into models/musicnn/MSD_musicnn/ (ignored by git) and checks
# every CRC with our own reader (genre-ckpt verify). Nothing of the wheel is kept.
# Idempotent: when the checkpoint is already there with the expected sizes it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${MUSICNN_DIR:-models/musicnn/MSD_musicnn}
index_size=4948
data_size=9465596

size_of() { [[ -f "$1" ]] && wc -c <"$1" | tr -d ' ' || echo 0; }

if [[ $(size_of "$target/.index") == "$index_size" && $(size_of "$target/.data-00000-of-00001") == "$data_size" ]]; then
  echo "setup: musicnn checkpoint present in $target/."
  exit 0
fi

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -m pip --version >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing python3-pip to download the musicnn wheel"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends python3 python3-pip
    python=python3
  else
    echo "setup: musicnn needs python3 with pip (to run: python3 -m pip download --no-deps musicnn==0.1.0)." >&2
    exit 1
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "setup: downloading the musicnn 0.1.0 wheel (29 MB) for its MSD checkpoint"
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" musicnn==0.1.0
wheel=$(ls "$work"/musicnn-0.1.0-*.whl)

# A wheel is a zip; take only the MSD_musicnn files, write them under temporary names,
# then move them into place so an interrupted run leaves nothing half-written.
mkdir -p "$target"
"$python" - "$wheel" "$target" <<'PY'
import os, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
folder = "musicnn/MSD_musicnn/"
with zipfile.ZipFile(wheel) as archive:
    names = [n for n in archive.namelist() if n.startswith(folder) and not n.endswith("/")]
    if not any(n.endswith("/.index") for n in names):
        sys.exit("the wheel has no musicnn/MSD_musicnn/.index")
    for name in names:
        path = os.path.join(target, name[len(folder):])
        with archive.open(name) as source, open(path + ".part", "wb") as sink:
            sink.write(source.read())
    for name in names:
        path = os.path.join(target, name[len(folder):])
        os.replace(path + ".part", path)
    print("setup: unpacked %d files into %s/" % (len(names), target))
PY

# Check it with our own reader: every block and tensor CRC32C.
swift=${SWIFT:-swift}
"$swift" build --product genre-ckpt >/dev/null
.build/debug/genre-ckpt verify "$target/"
