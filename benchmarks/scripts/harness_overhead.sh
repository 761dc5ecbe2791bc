#!/usr/bin/env bash
# The training harness's time per step against a bare DJL loop (Model + Trainer +
# GradientCollector + trainer.step) of the same VAE MLP 784-400-20 on Fashion-MNIST, batch 128,
# with the same Adam: both sides alternate in one JVM after a discarded warm-up run each
# (HarnessOverhead). The overhead target is a ratio under 1.03.
# Usage: benchmarks/scripts/harness_overhead.sh [steps=200] [repeats=5]
#   (after mvn -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-200}; REPEATS=${2:-5}
JAR=benchmarks/target/benchmarks.jar
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -Dai.djl.offline=true -cp "$JAR" dev.paperlab.benchmarks.training.HarnessOverhead "$STEPS" "$REPEATS" \
  2>/dev/null | grep -E '^(repeat|RESULT)'
