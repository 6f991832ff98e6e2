#!/usr/bin/env python3
"""Peer for step 01: pandas reading FMA's tracks.csv as FMA's own utils.load does.

    read_tracks.py FILE [--repeats 3]   prints {"rows": N, "seconds": best}
"""
import argparse
import json
import time

import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    best = float("inf")
    rows = 0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        tracks = pd.read_csv(args.file, index_col=0, header=[0, 1])
        best = min(best, time.perf_counter() - t0)
        rows = len(tracks)
    print(json.dumps({"rows": rows, "seconds": best, "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
