#!/usr/bin/env bash
# Side-by-side training-step speed: paperlab's ddpm command vs the same U-Net and step in PyTorch
# (benchmarks/scripts/ddpm_torch.py), batch 64, same thread settings, alternating runs.
# Usage: benchmarks/scripts/ddpm_vs_pytorch.sh [steps=20] [runs=3]  (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-20}; RUNS=${2:-3}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for i in $(seq 1 "$RUNS"); do
  mvn -q -pl examples exec:java -Dexec.args="ddpm --steps $STEPS --seed $i --scored-samples 0 --no-progress --out $out/ours-$i" \
    | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$i.json"
  /usr/bin/python3 benchmarks/scripts/ddpm_torch.py "$STEPS" "$i" > "$out/torch-$i.txt"
done
python3 - "$out" "$RUNS" "$STEPS" <<'PY'
import json, re, statistics, sys
out, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ours = [json.load(open(f"{out}/ours-{i}.json"))["train_seconds"] / steps for i in range(1, runs + 1)]
torch = [float(re.search(r"step_sec ([\d.]+)", open(f"{out}/torch-{i}.txt").read()).group(1)) for i in range(1, runs + 1)]
print(f"paperlab: s/step median {statistics.median(ours):.3f}")
print(f"pytorch : s/step median {statistics.median(torch):.3f}")
print(f"ratio paperlab/pytorch: {statistics.median(ours) / statistics.median(torch):.2f}")
PY
