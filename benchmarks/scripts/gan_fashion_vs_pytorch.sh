#!/usr/bin/env bash
# Side-by-side: paperlab's Fashion-MNIST DCGAN (gan --data fashion-mnist, default recipe) vs its
# PyTorch twin (benchmarks/scripts/gan_fashion_dcgan_torch.py: same players, N(0, 0.02) init,
# Adam 2e-4 beta1 0.5, batch 64, non-saturating loss, one D then one G update per step), same
# thread settings, runs alternating per seed so that drift on a shared machine hits both sides.
# Both sides evaluate at the same steps; the PyTorch samples (10,000 per evaluation, saved as .npz)
# are scored afterwards by paperlab's own scorer (dev.paperlab.benchmarks.gan.ScoreSamples: the
# fixed-seed FashionClassifier's features, the same as the gan command's), so both Fréchet
# distances and class coverages come from one feature map. steps/s counts training steps only
# (evaluation excluded) on both sides.
# Usage: benchmarks/scripts/gan_fashion_vs_pytorch.sh [seeds=1,2,3] [steps=937] [eval_every=0 (each epoch)]
#          [gan options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1,2,3}; STEPS=${2:-937}; EVERY=${3:-0}; shift $(( $# < 3 ? $# : 3 ))
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1
out=$(mktemp -d)
# our classes in front of the dependencies (no mvn install needed)
mvn -B -o -q -pl examples,benchmarks -am compile
for m in examples benchmarks; do
  mvn -B -o -q -pl $m dependency:build-classpath -Dmdep.outputFile="$out/$m.cp" > /dev/null
done
CP="$(ls -d "$PWD"/*/target/classes | tr '\n' ':')$(cat "$out/examples.cp"):$(cat "$out/benchmarks.cp")"
for s in ${SEEDS//,/ }; do
  java -cp "$CP" dev.paperlab.examples.Main gan --data fashion-mnist --steps "$STEPS" --eval-every "$EVERY" \
    --seed "$s" --no-progress --out "$out/ours-$s" "$@" | grep '^RESULT' | sed 's/^RESULT //' > "$out/ours-$s.json"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/gan_fashion_dcgan_torch.py \
    --seed "$s" --steps "$STEPS" --eval-every "$EVERY" --out "$out/torch-$s" > "$out/torch-$s.txt"
done
java -cp "$CP" dev.paperlab.benchmarks.gan.ScoreSamples "$out/score" "$out"/torch-*/samples-*.npz \
  | grep '^RESULT' > "$out/torch-scores.txt"
python3 - "$out" "$SEEDS" "$STEPS" <<'PY'
import csv, json, re, sys
out, seeds, steps = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
torch = {}
for line in open(f"{out}/torch-scores.txt"):
    m = re.search(r"torch-(\d+)/samples-(\d+)\.npz frechet=([\d.]+) class_coverage=(\d+)", line)
    torch[(m.group(1), int(m.group(2)))] = (float(m.group(3)), int(m.group(4)))
print("seed  step | paperlab frechet cov | pytorch frechet cov")
for s in seeds:
    for r in csv.DictReader(open(f"{out}/ours-{s}/metrics.csv")):
        if r["split"] == "eval":
            step = int(r["step"])
            tf, tc = torch.get((s, step), (float("nan"), -1))
            print(f"{s:>4} {step:>5} | {float(r['frechet']):15.2f} {int(float(r['class_coverage'])):>3}/10 |"
                  f" {tf:14.2f} {tc:>3}/10")
print("seed | paperlab steps/s | pytorch steps/s   (training steps only)")
for s in seeds:
    o = json.load(open(f"{out}/ours-{s}.json"))
    t = re.search(r"steps_per_second ([\d.]+)", open(f"{out}/torch-{s}.txt").read()).group(1)
    print(f"{s:>4} | {steps / o['train_seconds']:16.2f} | {float(t):15.2f}")
PY
echo "raw results in $out"
