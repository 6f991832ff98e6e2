# MobileNetV2 forward (step 07's MobileNetV2 base): images per second at batch 32 on both
# cores, against Keras's MobileNetV2 on TensorFlow-CPU. Sourced by bench/run.sh.
echo "bench: MobileNetV2 forward passes..." >&2
ours=$($bench mobilenet --batch 32 --batches 2 --repeats 3)
peer=$(run_peer bench/peers/mobilenet_tf.py --batch 32 --batches 2 --repeats 3)
ips() { $py -c "import json,sys; print(f'{json.loads(sys.argv[1])[\"images_per_second\"]:.1f} images/s')" "$1"; }
rows+=("| step07: MobileNetV2 (alpha 1.0, no top, average pooling) forward, $(field "$ours" images) images of 224 x 224 in batches of 32, both cores | $(secs "$(field "$ours" seconds)") ($(ips "$ours")) | TensorFlow $(field "$peer" tensorflow) Keras \`MobileNetV2(include_top=False, pooling='avg')\`, \`tf.function\` | $(secs "$(field "$peer" seconds)") ($(ips "$peer")) | $(ratio "$(field "$ours" seconds)" "$(field "$peer" seconds)") |")
notes+=("MobileNetV2: batch norms folded into the convolutions, 1 x 1 convolutions as single-threaded SGEMMs with one image per core, depthwise 3 x 3 as a SIMD loop over channels; random weights on both sides.")
