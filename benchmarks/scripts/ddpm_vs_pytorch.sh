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
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/ddpm_torch.py "$STEPS" "$i" > "$out/torch-$i.txt"
done
python3 - "$out" "$RUNS" "$STEPS" <<'PY'
import json, re, statistics, sys
out, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
summaries = [json.load(open(f"{out}/ours-{i}.json")) for i in range(1, runs + 1)]
ours_median = [s["median_step_seconds"] for s in summaries]
ours_mean = [s["train_seconds"] / steps for s in summaries]
texts = [open(f"{out}/torch-{i}.txt").read() for i in range(1, runs + 1)]
torch_median = [float(re.search(r"step_sec ([\d.]+)", t).group(1)) for t in texts]
torch_mean = [float(re.search(r"train_seconds ([\d.]+)", t).group(1)) / steps for t in texts]
print("per run, s/step (median of the run's steps / mean over all, warm-up included):")
for i in range(runs):
    print(f"  run {i + 1}: paperlab {ours_median[i]:.3f} / {ours_mean[i]:.3f}   pytorch {torch_median[i]:.3f} / {torch_mean[i]:.3f}")
m_o, m_t = statistics.median(ours_median), statistics.median(torch_median)
a_o, a_t = statistics.median(ours_mean), statistics.median(torch_mean)
print(f"median step:  paperlab {m_o:.3f}  pytorch {m_t:.3f}  paperlab speed / pytorch speed {m_t / m_o:.2f}x")
print(f"mean step:    paperlab {a_o:.3f}  pytorch {a_t:.3f}  paperlab speed / pytorch speed {a_t / a_o:.2f}x")
PY
