#!/usr/bin/python3
# The `simclr` command's default recipe in PyTorch eager, for the side-by-side (simclr_vs_pytorch.sh).
# Usage: simclr_torch.py [epochs=8] [seed=1] [max_steps=0] [eval_train=0] [eval_test=0] [probe_epochs=10]
# Encoder: three conv3x3 stride 2 (1->32->64->128, no bias) each with BN and ReLU, 28 -> 14 -> 7 -> 4;
# representation h = the 128x4x4 map flattened (2048; paperlab lists it channels innermost, the same numbers
# in another order). Head 2048-128(ReLU)-64. NT-Xent tau 0.2 over
# 2N views, batch 256 (partial batch dropped). Adam 1e-3 with linear warm-up over 5% of the updates,
# then cosine to 0. Augment per example: resized crop (area U(0.5, min(1, r, 1/r)), aspect r log-uniform
# in [3/4, 4/3], placed inside the image), flip p 0.5, rotation U(-10, 10) degrees, shift U(-0.1, 0.1)
# per axis, one bilinear affine_grid/grid_sample (zeros outside; paperlab also reads the edge pixel in
# the image's half-pixel rim), then brightness x U(0.6, 1.4) and contrast U(0.6, 1.4) about the image's
# mean, clipped to [0, 1], then N(0, 0.05^2) noise. Eval: cosine k-NN k 20 on train -> test
# features, temperature-weighted (exp(s/0.07), Wu et al. 2018) and majority; linear probe on
# standardised features (Adam 1e-3, batch 256); the same on raw pixels.
# With PROFILE_STEPS=K the last K training steps run under torch.autograd.profiler, its Chrome trace
# to PROFILE_OUT (default simclr_torch_profile.json): compare with `simclr --profile-steps K` through
# dev.paperlab.benchmarks.training.ProfileOps.
import gzip, math, os, sys, time
import numpy as np, torch, torch.nn.functional as F
from torch import nn
torch.set_num_threads(2)
A = sys.argv[1:] + [None] * 6
EPOCHS = int(A[0] or 8); SEED = int(A[1] or 1); MAX_STEPS = int(A[2] or 0)
EVAL_TRAIN = int(A[3] or 0); EVAL_TEST = int(A[4] or 0); PROBE_EPOCHS = int(A[5] or 10)
B, TAU, LR, WARMUP = 256, 0.2, 1e-3, 0.05
torch.manual_seed(SEED); rng = np.random.default_rng(SEED)
D = "/usr/share/datasets/fashion-mnist/"
def idx(f):
    with gzip.open(D + f) as g: b = g.read()
    magic, n = int.from_bytes(b[0:4], "big"), int.from_bytes(b[4:8], "big")
    if magic == 2049: return torch.from_numpy(np.frombuffer(b, np.uint8, offset=8).astype(np.int64))
    return torch.from_numpy(np.frombuffer(b, np.uint8, offset=16).reshape(n, 1, 28, 28).astype(np.float32) / 255.0)
xtr, ytr = idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz")
xte, yte = idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz")

def block(i, o): return [nn.Conv2d(i, o, 3, 2, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
enc = nn.Sequential(*block(1, 32), *block(32, 64), *block(64, 128), nn.Flatten())
head = nn.Sequential(nn.Linear(2048, 128), nn.ReLU(), nn.Linear(128, 64))

def augment(x):
    n = x.shape[0]
    lo, hi = math.log(3 / 4), math.log(4 / 3)
    r = torch.exp(torch.empty(n).uniform_(lo, hi))
    top = torch.minimum(torch.ones(n), torch.minimum(r, 1 / r))
    s = 0.5 + (top - 0.5) * torch.rand(n)
    w, h = torch.sqrt(s * r), torch.sqrt(s / r)
    cx, cy = (torch.rand(n) * 2 - 1) * (1 - w), (torch.rand(n) * 2 - 1) * (1 - h)
    sx = torch.where(torch.rand(n) < 0.5, -w, w)
    a = torch.deg2rad((torch.rand(n) * 2 - 1) * 10)
    cx, cy = cx + 2 * (torch.rand(n) * 2 - 1) * 0.1, cy + 2 * (torch.rand(n) * 2 - 1) * 0.1
    theta = torch.stack([torch.stack([sx * a.cos(), -sx * a.sin(), cx], 1),
                         torch.stack([h * a.sin(), h * a.cos(), cy], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    b = (1 + (torch.rand(n) * 2 - 1) * 0.4).view(n, 1, 1, 1)  # brightness and contrast jitter
    c = (1 + (torch.rand(n) * 2 - 1) * 0.4).view(n, 1, 1, 1)
    x = x * b
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    x = ((x - m) * c + m).clamp(0, 1)
    return x + 0.05 * torch.randn_like(x)

def nt_xent(z):
    z = F.normalize(z, dim=1); n = z.shape[0] // 2
    sim = z @ z.t() / TAU
    sim.fill_diagonal_(float("-inf"))
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))

def features(x):
    enc.eval()
    with torch.no_grad(): f = torch.cat([enc(x[i:i + 1000]) for i in range(0, len(x), 1000)])
    enc.train(); return f

def knn(ftr, ltr, fte, lte, k=20, t=0.07):
    ftr, fte = F.normalize(ftr.flatten(1), dim=1), F.normalize(fte.flatten(1), dim=1)
    maj = wei = 0
    for i in range(0, len(fte), 500):
        s, nb = (fte[i:i + 500] @ ftr.t()).topk(k, dim=1)
        oh = F.one_hot(ltr[nb], 10).float()
        maj += (oh.sum(1).argmax(1) == lte[i:i + 500]).sum().item()
        wei += ((oh * (s / t).exp().unsqueeze(2)).sum(1).argmax(1) == lte[i:i + 500]).sum().item()
    return maj / len(fte), wei / len(fte)

def probe(ftr, ltr, fte, lte):
    ftr, fte = ftr.flatten(1), fte.flatten(1)
    mu, sd = ftr.mean(0, keepdim=True), ftr.std(0, unbiased=False, keepdim=True) + 1e-6
    ftr, fte = (ftr - mu) / sd, (fte - mu) / sd
    lin = nn.Linear(ftr.shape[1], 10); opt = torch.optim.Adam(lin.parameters(), lr=1e-3)
    for _ in range(PROBE_EPOCHS):
        perm = torch.randperm(len(ftr))
        for i in range(0, len(ftr), B):
            j = perm[i:i + B]; loss = F.cross_entropy(lin(ftr[j]), ltr[j])
            opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad(): return (lin(fte).argmax(1) == lte).float().mean().item()

steps_per_epoch = len(xtr) // B
total = min(MAX_STEPS, EPOCHS * steps_per_epoch) if MAX_STEPS else EPOCHS * steps_per_epoch
warm = round(WARMUP * total)
def lr_at(t):  # t = 1, 2, ...: linear warm-up, then cosine to 0 over the rest
    return LR * t / warm if t < warm else LR * (1 + math.cos(math.pi * (t - warm) / max(1, total - warm))) / 2
params = list(enc.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=LR)
print(f"torch {torch.__version__} threads {torch.get_num_threads()} seed {SEED} steps {total}", flush=True)
PROFILE = int(os.environ.get("PROFILE_STEPS", "0")); profiler = None
t0 = time.perf_counter(); step = 0
for epoch in range(EPOCHS):
    perm = torch.randperm(len(xtr)); tot = 0.0; te = time.perf_counter(); nb = 0
    for i in range(0, len(xtr) - B + 1, B):
        if step >= total: break
        step += 1
        if PROFILE and step == total - PROFILE + 1:
            profiler = torch.autograd.profiler.profile(); profiler.__enter__()
        for g in opt.param_groups: g["lr"] = lr_at(step)
        x = xtr[perm[i:i + B]]
        loss = nt_xent(head(enc(torch.cat([augment(x), augment(x)]))))
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    if nb: print(f"epoch {epoch + 1} sec {time.perf_counter() - te:.1f} loss {tot / nb:.4f} steps {step} s/step {(time.perf_counter() - te) / nb:.3f}", flush=True)
    if step >= total: break
train_sec = time.perf_counter() - t0
if profiler is not None:
    profiler.__exit__(None, None, None)
    profiler.export_chrome_trace(os.environ.get("PROFILE_OUT", "simclr_torch_profile.json"))
etr, eltr = (xtr[:EVAL_TRAIN], ytr[:EVAL_TRAIN]) if EVAL_TRAIN else (xtr, ytr)
ete, elte = (xte[:EVAL_TEST], yte[:EVAL_TEST]) if EVAL_TEST else (xte, yte)
ftr, fte = features(etr), features(ete)
km, kw = knn(ftr, eltr, fte, elte); rm, rw = knn(etr, eltr, ete, elte)
lp = probe(ftr, eltr, fte, elte) if PROBE_EPOCHS else float("nan")
rlp = probe(etr, eltr, ete, elte) if PROBE_EPOCHS else float("nan")
print(f"SUMMARY: steps {step} train {train_sec:.0f}s ({train_sec / max(1, step):.3f} s/step) knn_accuracy {kw:.4f} "
      f"knn_majority {km:.4f} raw_pixel_knn {rw:.4f} raw_pixel_majority {rm:.4f} linear_probe {lp:.4f} raw_pixel_linear_probe {rlp:.4f}")
