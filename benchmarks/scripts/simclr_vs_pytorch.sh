#!/usr/bin/env bash
# Side-by-side: paperlab's `simclr` default recipe vs the same recipe in PyTorch
# (benchmarks/scripts/simclr_torch.py), same data, same thread settings, alternating runs.
# Peer needs: apt-get install python3-torch libopenblas0-pthread.
# Usage: benchmarks/scripts/simclr_vs_pytorch.sh [epochs=8] [runs=3]  (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${1:-8}; RUNS=${2:-3}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for i in $(seq 1 "$RUNS"); do
  mvn -q -pl examples exec:java -Dexec.args="simclr --epochs $EPOCHS --seed $i --no-progress --out $out/ours-$i" \
    | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$i.json"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/simclr_torch.py "$EPOCHS" "$i" \
    > "$out/torch-$i.txt"
done
python3 - "$out" "$RUNS" <<'PY'
import json, re, sys
out, runs = sys.argv[1], int(sys.argv[2])
for i in range(1, runs + 1):
    s = json.load(open(f"{out}/ours-{i}.json"))
    t = open(f"{out}/torch-{i}.txt").read().splitlines()[-1]
    g = lambda k: float(re.search(k + r" ([\d.na]+)", t).group(1))
    print(f"seed {i}: paperlab {s['train_seconds'] / s['steps']:.3f} s/step knn {s['knn_accuracy']:.4f}"
          f" (raw {s['raw_pixel_knn_accuracy']:.4f}) probe {s.get('linear_probe_accuracy', float('nan')):.4f}"
          f" (raw {s.get('raw_pixel_linear_probe_accuracy', float('nan')):.4f})")
    step = float(re.search(r"\(([\d.]+) s/step\)", t).group(1))
    print(f"        pytorch  {step:.3f} s/step knn {g('knn_accuracy'):.4f}"
          f" (raw {g('raw_pixel_knn'):.4f}) probe {g('linear_probe'):.4f} (raw {g('raw_pixel_linear_probe'):.4f})")
PY
