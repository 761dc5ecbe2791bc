"""The ddpm command's model and training step in PyTorch, for a side-by-side speed check.

Same U-Net as models.ddpm.UNet (C = 32, multipliers 1,2,2, GroupNorm(8), SiLU, one residual block
per level, self-attention at 7x7, nearest x2 up-sampling + 3x3 conv, class embedding of 10 + 1
labels added to the time embedding), same step (t ~ U{1..T}, L_simple, label dropout 0.1, Adam 1e-3,
clip 1.0, EMA 0.999 with the warm-up min(0.999, (1 + t) / (10 + t))), batch 64, linear schedule
T = 1000. Prints `step_sec <median>` and the loss. With OUT.npz, then draws N samples from the EMA
weights as the ddpm command scores them (classes in turn, grouped by class; DDIM over 50 steps
quadratic spacing tau_i = floor((i - 1)^2 T / 50^2) + 1 as the command's default, or with
DDIM_SPACING=uniform tau_i = i T / 50 + 1; eta 1 and x_0 clipped to [-1, 1]; classifier-free guidance w = 0.3) and
saves them as `samples` (N, 1, 28, 28) in [-1, 1], for dev.paperlab.benchmarks.gan.ScoreSamples.
Usage: ddpm_torch.py [steps=20] [seed=1] [OUT.npz N]
With PROFILE_STEPS=K the last K steps run under torch.autograd.profiler, and its Chrome trace goes
to PROFILE_OUT (default ddpm_torch_profile.json): compare with `ddpm --profile-steps K` through
dev.paperlab.benchmarks.training.ProfileOps.
"""
import gzip, math, os, statistics, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
OUT = sys.argv[3] if len(sys.argv) > 3 else None
N = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
torch.manual_seed(SEED)
T, B, C, G, K = 1000, 64, 32, 8, 10


def timestep_embedding(t, size):
    # sines then cosines, w_i = 10000^(-2i/E), as framework.position.SinusoidalEncoding
    half = size // 2
    w = torch.pow(10000.0, -2.0 * torch.arange(half, dtype=torch.float64) / size)
    a = t.double()[:, None] * w[None]
    return torch.cat([a.sin(), a.cos()], -1).float()


class Res(nn.Module):
    def __init__(self, i, o, e):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(G, i), nn.Conv2d(i, o, 3, padding=1)
        self.emb = nn.Linear(e, o)
        self.n2, self.c2 = nn.GroupNorm(G, o), nn.Conv2d(o, o, 3, padding=1)
        self.skip = nn.Conv2d(i, o, 1) if i != o else nn.Identity()

    def forward(self, x, e):
        h = self.c1(F.silu(self.n1(x))) + self.emb(F.silu(e))[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class Attn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n, self.qkv, self.proj = nn.GroupNorm(G, c), nn.Linear(c, 3 * c), nn.Linear(c, c)

    def forward(self, x):
        b, c, h, w = x.shape
        a = self.n(x).reshape(b, c, h * w).transpose(1, 2)
        q, k, v = self.qkv(a).reshape(b, 1, h * w, 3 * c).split(c, -1)
        o = F.softmax(q @ k.transpose(-1, -2) / math.sqrt(c), -1) @ v
        return x + self.proj(o.reshape(b, h * w, c)).transpose(1, 2).reshape(b, c, h, w)


class UNet(nn.Module):
    def __init__(self, mult=(1, 2, 2)):
        super().__init__()
        e = 4 * C
        self.inp = nn.Conv2d(1, C, 3, padding=1)
        self.t1, self.t2 = nn.Linear(C, e), nn.Linear(e, e)
        self.label = nn.Linear(K + 1, e, bias=False)
        self.down, self.pool, ch = nn.ModuleList(), nn.ModuleList(), C
        for l, m in enumerate(mult):
            self.down.append(Res(ch, C * m, e)); ch = C * m
            if l < len(mult) - 1:
                self.pool.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
        self.mid1, self.attn, self.mid2 = Res(ch, ch, e), Attn(ch), Res(ch, ch, e)
        self.up, self.upconv = nn.ModuleList(), nn.ModuleList()
        for l in reversed(range(len(mult))):
            o = C * mult[l]
            self.up.append(Res(ch + o, o, e)); ch = o
            if l > 0:
                self.upconv.append(nn.Conv2d(ch, ch, 3, padding=1))
        self.on, self.out = nn.GroupNorm(G, ch), nn.Conv2d(ch, 1, 3, padding=1)

    def forward(self, x, t, y):
        e = self.t2(F.silu(self.t1(timestep_embedding(t, C))))
        e = e + self.label(F.one_hot(y, K + 1).float())
        h, skips = self.inp(x), []
        for l, blk in enumerate(self.down):
            h = blk(h, e); skips.append(h)
            if l < len(self.pool):
                h = self.pool[l](h)
        h = self.mid2(self.attn(self.mid1(h, e)), e)
        for i, blk in enumerate(self.up):
            h = blk(torch.cat([h, skips.pop()], 1), e)
            if i < len(self.upconv):
                h = self.upconv[i](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.out(F.silu(self.on(h)))


def load(path):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8)


d = "/usr/share/datasets/fashion-mnist/"
x_all = torch.tensor(load(d + "train-images-idx3-ubyte.gz")[16:].reshape(-1, 1, 28, 28) / 255.0 * 2 - 1, dtype=torch.float32)
y_all = torch.tensor(load(d + "train-labels-idx1-ubyte.gz")[8:].astype(np.int64))
beta = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
abar = torch.cumprod(1 - beta, 0).float()  # abar[t - 1] = alpha-bar_t
net = UNet()
ema = {k: v.detach().clone() for k, v in net.state_dict().items()}
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
times = []
PROFILE = int(os.environ.get("PROFILE_STEPS", "0"))
profiler = None
for step in range(STEPS):
    if PROFILE and step == STEPS - PROFILE:
        profiler = torch.autograd.profiler.profile()
        profiler.__enter__()
    t0 = time.perf_counter()
    idx = torch.randint(0, len(x_all), (B,))
    x0, y = x_all[idx], y_all[idx]
    y = torch.where(torch.rand(B) < 0.1, torch.full_like(y, K), y)
    t = torch.randint(1, T + 1, (B,))
    eps = torch.randn_like(x0)
    a = abar[t - 1][:, None, None, None]
    xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
    loss = F.mse_loss(net(xt, t, y), eps)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    decay = min(0.999, (1 + step) / (10 + step))
    with torch.no_grad():
        for k, v in net.state_dict().items():
            ema[k].mul_(decay).add_(v, alpha=1 - decay)
    times.append(time.perf_counter() - t0)
if profiler is not None:
    profiler.__exit__(None, None, None)
    profiler.export_chrome_trace(os.environ.get("PROFILE_OUT", "ddpm_torch_profile.json"))
print(f"params {sum(p.numel() for p in net.parameters())}")
print(f"step_sec {statistics.median(times[2:] or times):.3f} loss {loss.item():.4f}")
print(f"train_seconds {sum(times):.1f}")


@torch.no_grad()
def ddim(label, n, steps=50, eta=1.0, w=0.3):
    abar64 = torch.cumprod(1 - beta, 0)
    ab = lambda t: 1.0 if t == 0 else abar64[t - 1].item()
    if os.environ.get("DDIM_SPACING", "quadratic") == "quadratic":  # as --ddim-spacing
        tau = []
        for i in range(steps):
            tau.append(max(i * i * T // steps // steps + 1, tau[-1] + 1 if tau else 1))
    else:
        tau = [i * T // steps + 1 for i in range(steps)]
    x = torch.randn(n, 1, 28, 28)
    y = torch.cat([torch.full((n,), label), torch.full((n,), K)])
    for k in reversed(range(steps)):
        t, p = tau[k], (tau[k - 1] if k > 0 else 0)
        at, ap = ab(t), ab(p)
        both = net(torch.cat([x, x]), torch.full((2 * n,), t), y)
        e = (1 + w) * both[:n] - w * both[n:]
        x0 = ((x - math.sqrt(1 - at) * e) / math.sqrt(at)).clamp(-1, 1)
        e = (x - math.sqrt(at) * x0) / math.sqrt(1 - at)
        sigma = eta * math.sqrt((1 - ap) / (1 - at)) * math.sqrt(1 - at / ap)
        x = math.sqrt(ap) * x0 + math.sqrt(max(0.0, 1 - ap - sigma * sigma)) * e
        if sigma > 0:
            x = x + sigma * torch.randn_like(x)
    return x


if OUT:
    net.load_state_dict(ema)
    net.eval()
    t0 = time.perf_counter()
    per_class = [sum(1 for i in range(N) if i % K == c) for c in range(K)]
    samples = torch.cat([ddim(c, n) for c, n in enumerate(per_class) if n > 0]).clamp(-1, 1)
    np.savez(OUT, samples=samples.numpy().astype(np.float32))
    print(f"sample_seconds {time.perf_counter() - t0:.1f}")
