# musicnn forward (step 07's musicnn base, genre-tags): 3-second log-mel patches to
# embeddings and tags with the real MSD checkpoint, both cores, against the same network on
# TensorFlow-CPU fed the same input. Sourced by bench/run.sh.
echo "bench: musicnn forward passes..." >&2
musicnn_checkpoint=models/musicnn/MSD_musicnn/
if [[ -s ${musicnn_checkpoint}.index ]]; then
  ours=$($bench musicnn --checkpoint "$musicnn_checkpoint" --patches 32 --repeats 3 --dump "$out/musicnn")
  peer=$(run_peer bench/peers/musicnn_tf.py --checkpoint "$musicnn_checkpoint" --input "$out/musicnn" --repeats 3)
  pps() { $py -c "import json,sys; print(f'{json.loads(sys.argv[1])[\"patches_per_second\"]:.1f} patches/s')" "$1"; }
  rows+=("| step07: musicnn (MSD) forward, $(field "$ours" patches) patches of 3 s (187 x 96 log-mel) to embeddings and tags, both cores | $(secs "$(field "$ours" seconds)") ($(pps "$ours")) | TensorFlow $(field "$peer" tensorflow), musicnn's graph in \`tf.nn\` ops, \`tf.function\`, one batch | $(secs "$(field "$peer" seconds)") ($(pps "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
  notes+=("musicnn: same input on both sides, taggrams differ by at most $($py -c "import sys; print(f'{float(sys.argv[1]):.1e}')" "$(field "$peer" max_abs_tag_difference)"); one patch per core with single-threaded SGEMMs (im2col for the front end, shifted views for the mid end), batch norm folded, max pooling over frequency on the raw products.")
  rm -f "$out/musicnn.f32" "$out/musicnn.tags.f32"
else
  notes+=("musicnn: skipped, no checkpoint at $musicnn_checkpoint (make setup fetches it).")
fi
