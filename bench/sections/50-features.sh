# FMA's 518 features (step 03's features/ records, genre-features): eight demo music clips of
# 30 s at 44.1 kHz, one per genre, against FMA's features.py recipe with librosa on the same
# clips. Two rows: the whole machine on each side (our two threads against librosa in one
# process or two spawned ones, whichever is faster), and one core each. The peer also compares
# every value with ours. Sourced by bench/run.sh.
feature_clips=$out/feature-clips.f32
if [[ ! -s $feature_clips ]]; then
  echo "bench: rendering feature test clips..." >&2
  $bench features make-clips --out "$feature_clips" >&2
fi
echo "bench: FMA features..." >&2
# Our values, once, for the peer to compare with its own value by value.
OPENBLAS_NUM_THREADS=1 $bench features run "$feature_clips" --workers 2 --repeats 1 --dump "$out/features-ours.f32" >/dev/null
# Timing rule. The host's speed drifts within minutes, between a quick and a slow state (our
# passes take about 1.5x as long in the slow one). So the two sides take turns, and every
# measurement of ours spans as much time as one of librosa's: each librosa pass over the clips
# (about 5 s on one core) is matched, right after, by a window of ours as long, our passes run
# back to back in it and timed together (`--window-seconds`). Two rounds of three each; each
# side keeps its best measurement (of 6), and the notes give the medians as well.
faster() { $py -c "
import json,sys
a,b=json.loads(sys.argv[1] or 'null'),json.loads(sys.argv[2])
samples=(a['samples'] if a else [])+b.get('window_seconds',b.get('pass_seconds'))
best=b if not a or b['seconds']<a['seconds'] else a
print(json.dumps(dict(best,samples=samples)))" "$1" "$2"; }
mean_pass() { $py -c "import json,sys; p=json.loads(sys.argv[1])['pass_seconds']; print(sum(p)/len(p))" "$1"; }
ours2='' ours1='' peer1='' peer2=''
for round in 1 2; do
  peer=$(run_peer bench/peers/features_librosa.py "$feature_clips" --processes 1 --repeats 3 --compare "$out/features-ours.f32")
  peer1=$(faster "$peer1" "$peer")
  ours1=$(faster "$ours1" "$(OPENBLAS_NUM_THREADS=1 $bench features run "$feature_clips" --workers 1 --repeats 3 --window-seconds "$(mean_pass "$peer")")")
  peer=$(run_peer bench/peers/features_librosa.py "$feature_clips" --processes 2 --repeats 3)
  peer2=$(faster "$peer2" "$peer")
  ours2=$(faster "$ours2" "$(OPENBLAS_NUM_THREADS=1 $bench features run "$feature_clips" --workers 2 --repeats 3 --window-seconds "$(mean_pass "$peer")")")
done
# The medians of those six measurements a side, one core each: "ours ms a clip, librosa ms, ratio".
medians=$($py -c "
import json,statistics as st,sys
o,p=json.loads(sys.argv[1]),json.loads(sys.argv[2])
mo,mp=st.median(o['samples'])/o['clips'],st.median(p['samples'])/p['clips']
print(f'{mo*1e3:.0f} ms a clip against librosa {mp*1e3:.0f} ms, {mp/mo:.1f}x')" "$ours1" "$peer1")
per_clip() { $py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"seconds\"]/r[\"clips\"]*1e3:.0f} ms/clip')" "$1"; }
# librosa at its best on this machine: one process or two, whichever finished first.
best=$($py -c "import json,sys; a,b=json.loads(sys.argv[1]),json.loads(sys.argv[2]); print(json.dumps(a if a['seconds']<=b['seconds'] else b))" "$peer1" "$peer2")
best_processes=$(field "$best" processes)
[[ $best_processes == 1 ]] && best_how="one process (two took $(secs "$(field "$peer2" seconds)"))" || best_how="two processes (one took $(secs "$(field "$peer1" seconds)"))"
librosa="librosa $(field "$peer1" librosa) FMA \`features.py\` recipe"
rows+=("| step03: FMA's 518 features (11 librosa features x 7 statistics), $(field "$ours2" clips) demo clips of 30 s at 44.1 kHz, both cores | $(secs "$(field "$ours2" seconds)") ($(clips_per_sec "$ours2")) | $librosa, at its best: $best_how | $(secs "$(field "$best" seconds)") ($(clips_per_sec "$best")) | $(ratio "$(field "$ours2" seconds)" "$(field "$best" seconds)") |")
rows+=("| step03: the same, one core each | $(secs "$(field "$ours1" seconds)") ($(per_clip "$ours1")) | $librosa, one process | $(secs "$(field "$peer1" seconds)") ($(per_clip "$peer1")) | $(ratio "$(field "$ours1" seconds)" "$(field "$peer1" seconds)") |")
stage() { msec "$(field "$ours1" "stage_$1")"; }
pct=$($py -c "import sys; print(f'{100*float(sys.argv[1]):.1f} %')" "$(field "$peer1" within_1pct)")
worst=$($py -c "import json,sys; r=json.loads(sys.argv[1]); print(f'{r[\"worst_feature\"]} ({r[\"worst_column\"]}: {r[\"worst_ours\"]:.6g} vs librosa {r[\"worst_librosa\"]:.6g}, {100*r[\"worst_error\"]:.2f} %)')" "$peer1")
notes+=("FMA features, timing: each side's best of 6 measurements in two alternating rounds, each of ours a window as long as one librosa pass; the medians on one core: $medians.")
notes+=("FMA features: $pct of $(field "$peer1" compared) values within 1 % of librosa's, worst feature $worst. One clip on one core: STFT pass with every per-frame feature $(stage stft), chroma_stft $(stage chroma_stft), CQT with its tuning estimate $(stage cqt), chroma_cqt/cens/tonnetz $(stage cqt_chroma), MFCC $(stage mfcc), zcr $(stage zcr), statistics $(stage statistics).")
