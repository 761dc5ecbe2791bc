#!/usr/bin/env bash
# Peak memory and time of attention forward + backward against the sequence length: naive
# (autograd through softmax(QK^T / sqrt(D)) V) vs flash (tiled forward + hand-written backward),
# B = 1, D = 64, float32, one process per configuration. Extra memory = peak RSS of the run
# (/usr/bin/time -f %M) minus the peak RSS of a baseline process with the same start-up and
# inputs. Each configuration runs twice: one pass alone (its peak is the memory of one forward +
# backward), then REPS passes (median time, and the steady-state peak after the C allocator has
# settled). Then fits log-log slopes, prints Markdown tables and writes the plot.
# Needs /usr/bin/time (apt-get install time).
# Usage: benchmarks/scripts/attention_memory.sh [heads=4] [lengths="256 512 1024 2048 4096 8192"]
#          [plot=docs/attention-complexity.png]   (after mvn -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
H=${1:-4}; LENGTHS=${2:-"256 512 1024 2048 4096 8192"}; PNG=${3:-docs/attention-complexity.png}
JAR=benchmarks/target/benchmarks.jar
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
JAVA=(java -Xms64m -Xmx256m -XX:+UseSerialGC -Dai.djl.offline=true -cp "$JAR"
      dev.paperlab.benchmarks.attention.AttentionMemoryProbe)
out=$(mktemp -d); csv=$out/results.csv
echo "label,T,H,block,ms,peak_kb,baseline_kb,steady_peak_kb" > "$csv"

# probe LABEL MODE T REPS BLOCK -> sets ms and kb; prints the probe's line
probe() {
  local line
  line=$(/usr/bin/time -f "maxrss_kb=%M" "${JAVA[@]}" "$2" "$3" "$H" "$4" "$5" 2>&1 \
    | grep -E '^(RESULT|maxrss_kb=)' | tr '\n' ' ')
  echo "$1: $line" >&2
  ms=$(sed -E 's/.* ms=([0-9.]+).*/\1/' <<< "$line")
  kb=$(sed -E 's/.*maxrss_kb=([0-9]+).*/\1/' <<< "$line")
}
reps_for() { if (( $1 <= 512 )); then echo 7; elif (( $1 <= 1024 )); then echo 5;
             elif (( $1 <= 4096 )); then echo 3; else echo 2; fi; }

for T in $LENGTHS; do
  R=$(reps_for "$T")
  echo "T=$T (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  probe baseline baseline "$T" 1 64; base=$kb
  # alternate which side runs first
  if (( (T / 256) % 2 == 1 )); then order="naive flash"; else order="flash naive"; fi
  for mode in $order; do
    probe "$mode" "$mode" "$T" 1 64; one=$kb
    probe "$mode" "$mode" "$T" "$R" 64
    echo "$mode,$T,$H,64,$ms,$one,$base,$kb" >> "$csv"
  done
  if (( T >= 4096 )); then  # larger tiles: fewer engine calls, same O(T) memory
    probe "flash Br=Bc=256" flash "$T" 1 256; one=$kb
    probe "flash Br=Bc=256" flash "$T" "$R" 256
    echo "flash Br=Bc=256,$T,$H,256,$ms,$one,$base,$kb" >> "$csv"
  fi
done
java -Djava.awt.headless=true -cp "$JAR" dev.paperlab.benchmarks.attention.ComplexityReport \
  "$csv" "$PNG" 1024
echo "raw results: $csv" >&2
