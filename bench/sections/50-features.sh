# FMA's 518 features (step 03's features/ records, genre-features): eight demo music clips of
# 30 s at 44.1 kHz, one per genre, on one core, against FMA's features.py recipe with librosa
# in one process on the same clips (a second core does not help librosa, and a Pool of forked
# workers crashed in numba's piptrack kernel here); the peer also compares every value with ours.
# Sourced by bench/run.sh.
feature_clips=$out/feature-clips.f32
if [[ ! -s $feature_clips ]]; then
  echo "bench: rendering feature test clips..." >&2
  $bench features make-clips --out "$feature_clips" >&2
fi
echo "bench: FMA features..." >&2
ours=$(OPENBLAS_NUM_THREADS=1 $bench features run "$feature_clips" --workers 1 --repeats 3 --dump "$out/features-ours.f32")
peer=$(run_peer bench/peers/features_librosa.py "$feature_clips" --processes 1 --repeats 1 --compare "$out/features-ours.f32")
per_clip() { $py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"seconds\"]/r[\"clips\"]*1e3:.0f} ms/clip')" "$1"; }
rows+=("| step03: FMA's 518 features (11 librosa features x 7 statistics), $(field "$ours" clips) demo clips of 30 s at 44.1 kHz, one core | $(secs "$(field "$ours" seconds)") ($(per_clip "$ours")) | librosa $(field "$peer" librosa) FMA \`features.py\` recipe, one process | $(secs "$(field "$peer" seconds)") ($(per_clip "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
stage() { msec "$(field "$ours" "stage_$1")"; }
pct=$($py -c "import sys; print(f'{100*float(sys.argv[1]):.1f} %')" "$(field "$peer" within_1pct)")
worst=$($py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"worst_feature\"]} ({r[\"worst_column\"]}: {r[\"worst_ours\"]:.6g} vs librosa {r[\"worst_librosa\"]:.6g}, {100*r[\"worst_error\"]:.2f} %)')" "$peer")
notes+=("FMA features: $pct of $(field "$peer" compared) values within 1 % of librosa's, worst feature $worst. One clip on one core: STFT pass with every per-frame feature $(stage stft), chroma_stft $(stage chroma_stft), CQT $(stage cqt), chroma_cqt/cens/tonnetz $(stage cqt_chroma), MFCC $(stage mfcc), zcr $(stage zcr), statistics $(stage statistics).")
