#!/usr/bin/env bash
# Multi-head self-attention forward + backward (batch 8, d_model 256, 8 heads, seq 128 and 512):
# paperlab's MultiHeadAttention (default, naive and flash kernels) and DJL's
# ScaledDotProductAttentionBlock (MhaBench) vs the PyTorch peer (shared/peers/attn_torch.py),
# same math, same thread settings, processes alternating so that load from other jobs hits both.
# Peer needs: apt-get install python3-torch libopenblas0-pthread.
# Usage: benchmarks/scripts/attention_vs_pytorch.sh [rounds=3] [reps=5]
#   (after mvn -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; REPS=${2:-5}
PEER=${PEER:-../shared/peers/attn_torch.py}
JAR=benchmarks/target/benchmarks.jar
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for i in $(seq 1 "$ROUNDS"); do
  echo "round $i/$ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  java -Dai.djl.offline=true -cp "$JAR" dev.paperlab.benchmarks.attention.MhaBench "$REPS" \
    2>/dev/null | grep -E '^(RESULT|check)' > "$out/ours-$i.txt"
  /usr/bin/python3 "$PEER" "$REPS" > "$out/torch-$i.txt"
done
grep '^check' "$out/ours-1.txt"
python3 - "$out" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
TORCH = "torch manual MHA fwd+bwd"
rows = {}  # (name, L) -> per-round medians
for i in range(1, rounds + 1):
    for line in open(f"{out}/ours-{i}.txt"):
        m = re.match(r"RESULT (.+?) \| L=(\d+) median=([\d.]+)", line)
        if m:
            rows.setdefault((m[1], int(m[2])), []).append(float(m[3]))
    for line in open(f"{out}/torch-{i}.txt"):
        m = re.match(r"(torch .+?fwd\+bwd) L=(\d+) ms/iter median=([\d.]+)", line)
        if m:
            rows.setdefault((re.sub(r"\s+", " ", m[1]), int(m[2])), []).append(float(m[3]))
print(f"\nfwd+bwd ms per step: median over {rounds} rounds of each round's median;")
print("ratio = PyTorch manual / row (> 1: faster than PyTorch), median and range over rounds\n")
print("| L | implementation | ms (median) | per-round medians | ratio vs PyTorch | ratio range |")
print("| ---: | --- | ---: | --- | ---: | --- |")
for L in sorted({k[1] for k in rows}):
    ref = rows[(TORCH, L)]
    for (name, l), ms in rows.items():
        if l != L:
            continue
        ratios = [r / m for r, m in zip(ref, ms)]
        print(f"| {L} | {name} | {statistics.median(ms):.1f} | {', '.join(f'{m:.1f}' for m in ms)} "
              f"| {statistics.median(ratios):.2f} | {min(ratios):.2f}-{max(ratios):.2f} |")
PY
