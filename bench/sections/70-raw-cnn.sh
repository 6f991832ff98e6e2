# Step 06's raw-audio CNN: training examples per second for the article's model (16.0 M
# parameters) on batches of 32 random clips of 10000 samples, against Keras 3 on TensorFlow-CPU
# with the same shapes, optimizer and loss; peak resident memory of each whole process.
# Sourced by bench/run.sh, which defines rows, notes, field, ratio, secs, msec, run_peer, $py, $bench, $out.
echo "bench: raw-audio CNN training (about a minute)..." >&2
ours=$($bench raw-cnn)
peer=$(run_peer bench/peers/raw_cnn_keras.py)
keras_version="Keras $(field "$peer" keras), TensorFlow $(field "$peer" tensorflow)"
eps() { $py -c "import sys; print(f'{float(sys.argv[1]):.1f}')" "$1"; }
mb() { $py -c "import sys; print(f'{int(sys.argv[1])/2**20:.0f} MB')" "$1"; }
a=$(field "$ours" seconds); b=$(field "$peer" seconds)
rows+=("| step06: train the raw-audio CNN, $(field "$ours" examples) clips of 10000 samples in batches of 32 | $(secs "$a") ($(eps "$(field "$ours" examples_per_second)") examples/s, peak $(mb "$(field "$ours" peak_memory_bytes)")) | $keras_version \`train_on_batch\` | $(secs "$b") ($(eps "$(field "$peer" examples_per_second)") examples/s, peak $(mb "$(field "$peer" peak_memory_bytes)")) | $(ratio "$a" "$b") |")
notes+=("Raw-audio CNN: median batch of 32 genre-lab $(msec "$(field "$ours" median_batch_seconds)"), Keras $(msec "$(field "$peer" median_batch_seconds)"); $(field "$ours" parameters) parameters on both sides ($(field "$peer" parameters) in Keras); peak memory is the whole process's resident set.")
unset a b keras_version
