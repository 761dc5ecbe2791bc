#!/usr/bin/env bash
# Side-by-side: paperlab's VAE vs the PyTorch reference (shared/peers/vae_torch.py), same data,
# same hyper-parameters, same thread settings, alternating runs so drift hits both sides.
# Peer needs: apt-get install python3-torch libopenblas0-pthread (without OpenBLAS, Debian torch
# falls back to the reference BLAS and is ~30x slower).
# Usage: benchmarks/scripts/vae_vs_pytorch.sh [epochs=5] [runs=3]  (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
EPOCHS=${1:-5}; RUNS=${2:-3}
PEER=${PEER:-../shared/peers/vae_torch.py}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for i in $(seq 1 "$RUNS"); do
  mvn -q -pl examples exec:java -Dexec.args="vae --epochs $EPOCHS --seed $i --no-progress --out $out/ours-$i" \
    | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$i.json"
  /usr/bin/python3 "$PEER" "$EPOCHS" "$i" > "$out/torch-$i.txt"
done
python3 - "$out" "$RUNS" "$EPOCHS" <<'PY'
import json, re, statistics, sys
out, runs, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ours_sec, ours_loss, t_sec, t_loss = [], [], [], []
for i in range(1, runs + 1):
    s = json.load(open(f"{out}/ours-{i}.json"))
    ours_sec.append(s["train_seconds"] / epochs); ours_loss.append(s["test_loss"])
    lines = open(f"{out}/torch-{i}.txt").read().splitlines()
    secs = [float(re.search(r"train_sec ([\d.]+)", l).group(1)) for l in lines if l.startswith("epoch")]
    t_sec.append(statistics.median(secs)); t_loss.append(float(re.search(r"test_loss/sample ([\d.]+)", lines[-1]).group(1)))
print(f"paperlab: s/epoch median {statistics.median(ours_sec):.2f}  test loss {['%.2f' % x for x in ours_loss]}")
print(f"pytorch : s/epoch median {statistics.median(t_sec):.2f}  test loss {['%.2f' % x for x in t_loss]}")
print(f"ratio paperlab/pytorch s/epoch: {statistics.median(ours_sec) / statistics.median(t_sec):.2f}")
PY
