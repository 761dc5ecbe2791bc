#!/usr/bin/env bash
# Per-call cost of small engine operations from Java (OpOverhead) and from Python
# (op_overhead_torch.py), alternating: Java, Python, Java, Python, ... in the fair environment.
# Usage: benchmarks/scripts/op_overhead.sh [rounds=3] [repetitions=7]
#   (after mvn -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; REPS=${2:-7}
JAR=benchmarks/target/benchmarks.jar
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for r in $(seq "$ROUNDS"); do
  echo "round $r: paperlab"
  java -Dai.djl.offline=true -cp "$JAR" dev.paperlab.benchmarks.training.OpOverhead "$REPS" 2>/dev/null | grep -v '^\['
  echo "round $r: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
  /usr/bin/python3 benchmarks/scripts/op_overhead_torch.py "$REPS"
done
