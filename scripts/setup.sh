#!/usr/bin/env bash
# Installs the system libraries genre-lab links against, if any is missing.
# Idempotent: it asks dpkg first and calls apt-get only for what is absent.
# On a system without apt it prints what to install and fails.
set -euo pipefail

# C libraries (headers + pkg-config files) and the command-line tools the tests and the
# benchmark compare against (mpg123, lame).
packages=(
  pkg-config zlib1g-dev fonts-dejavu-core
  libmpg123-dev libsndfile1-dev libsoxr-dev libfftw3-dev libopenblas-dev libcairo2-dev libsvm-dev
  mpg123 lame
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian-like system. Install these (or your system's equivalents) and retry:" >&2
  echo "  ${packages[*]}" >&2
  echo "Homebrew: brew install pkg-config mpg123 libsndfile libsoxr fftw openblas cairo libsvm lame" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} system packages present."
else
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# musicnn's MSD checkpoint, the built-in base network for transfer learning (models/, not in git).
# Offline, everything else still works: say so loudly and go on (its tests will fail saying why).
if ! "$(dirname "$0")/fetch-musicnn.sh"; then
  echo "setup: WARNING: could not fetch musicnn's checkpoint (PyPI unreachable?); transfer learning" >&2
  echo "setup: with musicnn and its tests need it: run make setup again when online." >&2
fi
