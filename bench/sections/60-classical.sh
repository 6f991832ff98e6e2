# Step 05's classical models: fit and predict on one 6400 x 518 training matrix and 1600 test
# rows (Gaussian class blobs, standardized), against scikit-learn on the same file.
# Sourced by bench/run.sh, which defines rows, notes, field, ratio, secs, msec, run_peer, $py, $bench, $out.
classical=$out/classical.f64
if [[ ! -s $classical ]]; then
  echo "bench: writing the classical models' matrix..." >&2
  $py bench/peers/classical_sklearn.py make "$classical" >&2
fi
echo "bench: classical models (the SVM fits for several seconds on each side)..." >&2
ours=$($bench classical "$classical")
peer=$(run_peer bench/peers/classical_sklearn.py run "$classical")
sk="scikit-learn $(field "$peer" sklearn)"
for model in logistic_regression knn naive_bayes svm; do
  case $model in
    logistic_regression) title="logistic regression (C 1, lbfgs, 100 iterations at most)"; peer_call="\`LogisticRegression(C=1)\`" ;;
    knn) title="kNN (k 21, euclidean)"; peer_call="\`KNeighborsClassifier(21)\`" ;;
    naive_bayes) title="Gaussian naive Bayes"; peer_call="\`GaussianNB(var_smoothing=1.29e-10)\`" ;;
    svm) title="SVM (RBF, C 1, gamma scale)"; peer_call="\`SVC(C=1, gamma='scale')\`" ;;
  esac
  for phase in fit predict; do
    what="step05: $title, $phase"
    [[ $phase == fit ]] && what="$what on 6400 x 518" || what="$what 1600 rows"
    a=$(field "$ours" "${model}_${phase}_seconds"); b=$(field "$peer" "${model}_${phase}_seconds")
    rows+=("| $what | $(secs "$a") | $sk $peer_call | $(secs "$b") | $(ratio "$a" "$b") |")
  done
  acc_ours=$(field "$ours" "${model}_accuracy"); acc_peer=$(field "$peer" "${model}_accuracy")
  classical_acc="${classical_acc:+$classical_acc, }$model $acc_ours vs $acc_peer"
done
notes+=("Classical models: test accuracy genre-lab vs scikit-learn on the same matrix: $classical_acc. Both sides use both cores (our BLAS products and libsvm's binary problems split by us; NumPy's BLAS threads for scikit-learn; libsvm inside SVC runs on one).")
unset classical_acc
