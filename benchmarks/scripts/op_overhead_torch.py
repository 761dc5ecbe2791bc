#!/usr/bin/python3
# The PyTorch side of OpOverhead: the same small operations, timed the same way (warm-up, calls
# per repetition calibrated to about 0.6 s, repetitions round-robin, median microseconds per call).
# Usage: op_overhead_torch.py [repetitions=7]
import json, os, sys, time
import torch, torch.nn.functional as F
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
torch.manual_seed(1)
one = torch.randn(1)
a, b = torch.randn(256, 128), torch.randn(256, 128)
acc = torch.zeros(256, 128)
w, bias = torch.randn(128, 128), torch.zeros(128)
p = torch.randn(128, 128, requires_grad=True)
p.sum().backward()
x = torch.randn(256, 128)

def fwd():
    F.relu(F.linear(x, p, bias)).mean()

def fwd_bwd():
    F.relu(F.linear(x, p, bias)).mean().backward()

cases = [
    ("add 1", lambda: one + one),
    ("add 256x128", lambda: a + b),
    ("addi 256x128 (in place)", lambda: acc.add_(b)),
    ("linear 256x128 @ 128x128", lambda: F.linear(a, w, bias)),
    ("gradient handle (getGradient + close)", lambda: p.grad),
    ("zero a gradient (Gradients.zero)", lambda: p.grad.zero_()),
    ("matmul 256x128^T @ 256x128", lambda: a.t() @ b),
    ("fwd relu(linear).mean, recording", fwd),
    ("fwd+bwd relu(linear).mean", fwd_bwd),
]

def seconds(f, n):
    t0 = time.perf_counter()
    for _ in range(n):
        f()
    return time.perf_counter() - t0

iters = {}
for name, f in cases:
    for _ in range(200):
        f()
    n = 1
    while True:
        s = seconds(f, n)
        if s > 0.3:
            iters[name] = max(2, int(n * 0.6 / s + 0.999))
            break
        n *= 2
ms = {name: [] for name, _ in cases}
for _ in range(REPS):
    for name, f in cases:
        ms[name].append(seconds(f, iters[name]) * 1e6 / iters[name])
med = {}
for name, _ in cases:
    v = sorted(ms[name]); med[name] = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    print(f"{name:40s} {med[name]:8.2f} us  (min {v[0]:.2f}, max {v[-1]:.2f})")
print("RESULT " + json.dumps({k: round(v, 3) for k, v in med.items()}))
