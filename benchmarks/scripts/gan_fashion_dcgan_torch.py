#!/usr/bin/python3
# The PyTorch twin of `gan --data fashion-mnist` (DCGAN players, default recipe), for side-by-side
# runs (gan_fashion_vs_pytorch.sh). Same model, initialisation, data, losses, optimizer and step:
#   G: z (100, N(0,1)) -> Linear(6272) -> BN -> ReLU -> (128, 7, 7) -> ConvT(64, k4 s2 p1) -> BN -> ReLU
#      -> ConvT(1, k4 s2 p1) -> tanh                                           (1, 28, 28)
#   D: Conv(64, k4 s2 p1) -> LeakyReLU(0.2) -> Conv(128, k4 s2 p1) -> BN -> LeakyReLU(0.2) -> Linear(1)
#   weights of Linear/Conv/ConvT ~ N(0, 0.02), biases 0, batch-norm scale 1 and shift 0, momentum 0.1
#   (DJL's 0.9 counts the other way), eps 1e-5; Adam(2e-4, betas (0.5, 0.999), eps 1e-8) for each;
#   batch 64 of training images scaled to [-1, 1], drawn uniformly with replacement; per step one D
#   update on a fresh real batch and G(z).detach() (real and fake in separate passes, so D's batch
#   norm sees each on its own), then one G update on a fresh z; non-saturating loss
#   (L_D = softplus(-D(x)) + softplus(D(G(z))), L_G = softplus(-D(G(z))), batch means).
# Evaluation every --eval-every steps (default: an epoch, 60000 // 64 = 937) and at the end: G in
# inference mode (batch-norm running statistics) draws 10,000 samples, written as samples-<step>.npz
# ("samples": float32 (10000, 1, 28, 28) in [-1, 1]) for scoring with paperlab's own Fréchet features
# (dev.paperlab.benchmarks.gan.ScoreSamples), so both sides are scored by one feature map.
# Timing counts training steps only (evaluation excluded), as paperlab's train_seconds does.
# Run: OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
#      /usr/bin/python3 gan_fashion_dcgan_torch.py --seed 1 --steps 937 --out DIR
import argparse, gzip, os, time
import numpy as np
import torch, torch.nn.functional as F
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--seed", type=int, default=1)
p.add_argument("--steps", type=int, default=937)
p.add_argument("--batch-size", type=int, default=64)
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--latent", type=int, default=100)
p.add_argument("--eval-every", type=int, default=0, help="0 = every epoch (60000 // batch steps)")
p.add_argument("--eval-samples", type=int, default=10000)
p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--out", default=None, help="folder for samples-<step>.npz (none: no samples written)")
a = p.parse_args()
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))


def idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, h, w)


x_train = torch.from_numpy(idx_images(os.path.join(a.data_dir, "train-images-idx3-ubyte.gz")).astype(np.float32))
x_train = x_train / 255 * 2 - 1  # [0, 1] -> [-1, 1], G's tanh range
N = x_train.shape[0]
B, Z = a.batch_size, a.latent
per_epoch = max(1, N // B)
eval_every = a.eval_every if a.eval_every > 0 else per_epoch


class Reshape(nn.Module):
    def forward(self, x):
        return x.view(-1, 128, 7, 7)


def dcgan_init(m):
    if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        nn.init.zeros_(m.bias)


torch.manual_seed(a.seed)
G = nn.Sequential(
    nn.Linear(Z, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(), Reshape(),
    nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(
    nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
G.apply(dcgan_init)
D.apply(dcgan_init)
og = torch.optim.Adam(G.parameters(), lr=a.lr, betas=(0.5, 0.999))
od = torch.optim.Adam(D.parameters(), lr=a.lr, betas=(0.5, 0.999))


def evaluate(step):
    if a.out is None:
        return
    G.eval()
    with torch.no_grad():
        s = torch.cat([G(torch.randn(min(1000, a.eval_samples - i), Z)) for i in range(0, a.eval_samples, 1000)])
    G.train()
    os.makedirs(a.out, exist_ok=True)
    np.savez(os.path.join(a.out, f"samples-{step:06d}.npz"), samples=s.numpy().astype(np.float32))


print(f"torch {torch.__version__} threads {torch.get_num_threads()} seed {a.seed} steps {a.steps} "
      f"batch {B} lr {a.lr:g} eval every {eval_every}", flush=True)
train_sec = 0.0
for step in range(1, a.steps + 1):
    t0 = time.perf_counter()
    real = x_train[torch.randint(0, N, (B,))]
    fake = G(torch.randn(B, Z)).detach()
    ld = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
    od.zero_grad()
    ld.backward()
    od.step()
    lg = F.softplus(-D(G(torch.randn(B, Z)))).mean()
    og.zero_grad()
    lg.backward()
    og.step()
    train_sec += time.perf_counter() - t0
    if step % eval_every == 0 or step == a.steps:
        print(f"step {step} d_loss {ld.item():.4f} g_loss {lg.item():.4f} train {train_sec:.1f}s "
              f"({step / train_sec:.2f} steps/s)", flush=True)
        evaluate(step)
print(f"RESULT steps {a.steps} train_seconds {train_sec:.2f} steps_per_second {a.steps / train_sec:.3f}", flush=True)
