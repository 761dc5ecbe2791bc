#!/usr/bin/env bash
# Native-leak check: resident memory of long VAE and char-LM runs after warm-up and at the end,
# from each run's memory.csv (sampled every 100 steps by the harness).
# Usage: benchmarks/scripts/memory_flatness.sh [vae_steps=10000] [lm_steps=5000]  (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
VAE=${1:-10000}; LM=${2:-5000}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
mvn -q -pl examples exec:java -Dexec.args="vae --steps $VAE --no-progress --out $out/vae" > "$out/vae.log"
mvn -q -pl examples exec:java -Dexec.args="lm --steps $LM --no-progress --out $out/lm" > "$out/lm.log"
for run in vae lm; do
  awk -F, -v run=$run 'NR > 1 { rss[$1] = $2; last = $1 } END {
    printf "%s: RSS %.1f MiB after step 1000, %.1f after step %d (%+.2f%%)\n", run, rss[1000], rss[last], last,
      100 * (rss[last] / rss[1000] - 1) }' "$out/$run/memory.csv"
done
echo "memory.csv files: $out/vae/memory.csv $out/lm/memory.csv"
