#!/usr/bin/env python3
"""Self time per operator, side by side, from Chrome traces of libtorch's profiler.

Usage: profile_ops.py NAME=TRACE.json:STEPS [NAME=TRACE.json:STEPS ...] [--top N]
For example `ours=runs/ddpm/profile.json:10 torch=ddpm_torch_profile.json:10`: the trace of
`ddpm --profile-steps 10` beside that of `PROFILE_STEPS=10 ddpm_torch.py`. Self time is an
operator's own time less that of the operators it called (events nested by their intervals on each
thread), the same rule as profile_ops.csv; shown in ms per step, largest first, with the totals.
"""
import json, sys
from collections import defaultdict


def self_times(path):
    data = json.load(open(path))
    events = data if isinstance(data, list) else data.get("traceEvents", [])
    threads = defaultdict(list)
    for e in events:
        if e.get("ph") == "X":
            threads[(str(e.get("pid")), str(e.get("tid")))].append((float(e["ts"]), float(e.get("dur", 0)), e["name"]))
    self_us, calls = defaultdict(float), defaultdict(int)
    for evs in threads.values():
        evs.sort(key=lambda x: (x[0], -x[1]))
        stack = []
        for ts, dur, name in evs:
            while stack and stack[-1][0] + stack[-1][1] <= ts:
                stack.pop()
            self_us[name] += dur
            calls[name] += 1
            if stack:
                self_us[stack[-1][2]] -= dur
            stack.append((ts, dur, name))
    return self_us, calls


def main(argv):
    top = 30
    if "--top" in argv:
        i = argv.index("--top")
        top = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    runs = []
    for arg in argv:
        name, rest = arg.split("=", 1)
        path, steps = rest.rsplit(":", 1)
        s, c = self_times(path)
        runs.append((name, {k: v / 1e3 / int(steps) for k, v in s.items()}, {k: n / int(steps) for k, n in c.items()}))
    ops = sorted({k for _, s, _ in runs for k in s}, key=lambda k: -max(s.get(k, 0) for _, s, _ in runs))
    head = f"{'op':48s}" + "".join(f" {n + ' ms':>10s} {n + ' calls':>10s}" for n, _, _ in runs)
    print(head)
    for k in ops[:top]:
        print(f"{k[:48]:48s}" + "".join(f" {s.get(k, 0):10.2f} {c.get(k, 0):10.1f}" for _, s, c in runs))
    print(f"{'total':48s}" + "".join(f" {sum(s.values()):10.2f} {sum(c.values()):10.1f}" for _, s, c in runs))


if __name__ == "__main__":
    main(sys.argv[1:])
