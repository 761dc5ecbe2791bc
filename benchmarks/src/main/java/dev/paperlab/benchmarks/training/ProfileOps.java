package dev.paperlab.benchmarks.training;

import dev.paperlab.training.listeners.ProfileListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Self time per operator, side by side, from Chrome traces of libtorch's profiler: ours from
 * {@code --profile-steps K} ({@code profile.json}), a PyTorch script's from {@code
 * torch.autograd.profiler} (e.g. {@code PROFILE_STEPS=K ddpm_torch.py}). Both go through {@link
 * ProfileListener#selfTimes}, the rule behind {@code profile_ops.csv}.
 *
 * <p>Usage: {@code ProfileOps NAME=TRACE.json:STEPS [NAME=TRACE.json:STEPS ...] [--top N]}; prints
 * ms and calls per step for each trace, operators by their largest time, then the totals.
 */
public final class ProfileOps {
    private ProfileOps() {}

    public static void main(String[] args) throws Exception {
        int top = 30;
        List<String> names = new ArrayList<>();
        List<Map<String, double[]>> runs = new ArrayList<>(); // op -> {ms per step, calls per step}
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--top")) {
                top = Integer.parseInt(args[++a]);
                continue;
            }
            int eq = args[a].indexOf('=');
            int colon = args[a].lastIndexOf(':');
            if (eq < 1 || colon < eq) {
                throw new IllegalArgumentException("expected NAME=TRACE.json:STEPS, got '" + args[a] + "'");
            }
            double steps = Double.parseDouble(args[a].substring(colon + 1));
            Map<String, double[]> perStep = new HashMap<>();
            for (ProfileListener.OpTime op : ProfileListener.selfTimes(Path.of(args[a].substring(eq + 1, colon)))) {
                perStep.put(op.name(), new double[] {op.micros() / 1e3 / steps, op.calls() / steps});
            }
            names.add(args[a].substring(0, eq));
            runs.add(perStep);
        }
        Set<String> ops = new LinkedHashSet<>();
        runs.forEach(r -> ops.addAll(r.keySet()));
        List<String> sorted = new ArrayList<>(ops);
        sorted.sort((x, y) -> Double.compare(largest(runs, y), largest(runs, x)));
        StringBuilder head = new StringBuilder(String.format("%-48s", "op"));
        names.forEach(n -> head.append(String.format(" %12s %12s", n + " ms", n + " calls")));
        System.out.println(head);
        double[][] totals = new double[runs.size()][2];
        for (int i = 0; i < sorted.size(); i++) {
            String op = sorted.get(i);
            StringBuilder row = new StringBuilder(String.format("%-48.48s", op));
            for (int r = 0; r < runs.size(); r++) {
                double[] v = runs.get(r).getOrDefault(op, new double[2]);
                totals[r][0] += v[0];
                totals[r][1] += v[1];
                row.append(String.format(" %12.2f %12.1f", v[0], v[1]));
            }
            if (i < top) {
                System.out.println(row);
            }
        }
        StringBuilder total = new StringBuilder(String.format("%-48s", "total"));
        for (double[] t : totals) {
            total.append(String.format(" %12.2f %12.1f", t[0], t[1]));
        }
        System.out.println(total);
    }

    private static double largest(List<Map<String, double[]>> runs, String op) {
        double max = 0;
        for (Map<String, double[]> r : runs) {
            max = Math.max(max, r.getOrDefault(op, new double[2])[0]);
        }
        return max;
    }
}
