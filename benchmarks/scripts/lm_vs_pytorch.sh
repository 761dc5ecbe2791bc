#!/usr/bin/env bash
# Side-by-side: paperlab's char-level LM vs the PyTorch reference (shared/peers/charlm_torch.py):
# 4 layers, d_model 128, 4 heads, context 128, batch 32, AdamW 3e-4 (wd 0.01), clip 1.0, learned
# positions, tied head, GELU MLP 4x, pre-LN; validation over all non-overlapping windows of the
# last 10%. Alternates the two sides so drift hits both. Peer needs python3-torch + libopenblas0-pthread.
# Usage: benchmarks/scripts/lm_vs_pytorch.sh [steps=500] [seeds="1"]  (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-500}; SEEDS=${2:-1}
PEER=${PEER:-../shared/peers/charlm_torch.py}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for s in $SEEDS; do
  mvn -q -pl examples exec:java -Dexec.args="lm --steps $STEPS --seed $s --no-progress --sample-tokens 0 --out $out/ours-$s" \
    | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$s.json"
  /usr/bin/python3 "$PEER" "$STEPS" "$s" > "$out/torch-$s.txt"
done
python3 - "$out" "$SEEDS" <<'PY'
import json, re, sys
out, seeds = sys.argv[1], sys.argv[2].split()
for s in seeds:
    o = json.load(open(f"{out}/ours-{s}.json"))
    t = open(f"{out}/torch-{s}.txt").read()
    tv = float(re.findall(r"val_loss ([\d.]+)", t)[-1]); ts = float(re.search(r"median-of-25-step-chunks ([\d.]+)", t).group(1))
    print(f"seed {s}: paperlab val_loss {o['val_loss']:.4f} steps/s {o['steps_per_second']:.2f} | "
          f"pytorch val_loss {tv:.4f} steps/s {ts:.2f} | speed ratio {o['steps_per_second'] / ts:.2f}")
PY
