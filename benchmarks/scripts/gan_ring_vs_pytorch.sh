#!/usr/bin/env bash
# Side-by-side: paperlab's ring GAN (gan command, default recipe) vs the PyTorch reference
# (shared/peers/gan_ring_torch.py), same model, data, batch and thread settings, alternating runs
# so drift hits both sides. Extra arguments go to paperlab's command (e.g. --lr 5e-4).
# Usage: benchmarks/scripts/gan_ring_vs_pytorch.sh [seeds=1,2,3,4,5] [steps=5000] [gan options...]
#        (after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1,2,3,4,5}; STEPS=${2:-5000}; shift $(( $# < 2 ? $# : 2 ))
PEER=${PEER:-../shared/peers/gan_ring_torch.py}
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
for s in ${SEEDS//,/ }; do
  mvn -q -pl examples exec:java -Dexec.args="gan --data ring --steps $STEPS --seed $s --no-progress --out $out/ours-$s $*" \
    | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$s.json"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$PEER" 2e-4 "$s" "$STEPS" > "$out/torch-$s.txt"
done
python3 - "$out" "$SEEDS" "$STEPS" <<'PY'
import json, re, sys
out, seeds, steps = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
print("seed | paperlab modes  hq     steps/s | pytorch modes  hq     steps/s")
for s in seeds:
    o = json.load(open(f"{out}/ours-{s}.json"))
    t = open(f"{out}/torch-{s}.txt").read()
    m = re.search(r"modes (\d)/8 high-quality ([\d.]+) train [\d.]+s \((\d+) steps/s\)", t)
    print(f"{s:>4} | {int(o['modes_covered'])}/8  {o['high_quality_share']:.3f}  {steps / o['train_seconds']:7.0f} |"
          f" {m.group(1)}/8  {float(m.group(2)):.3f}  {int(m.group(3)):7d}")
PY
