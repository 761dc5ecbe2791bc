package dev.paperlab.benchmarks.attention;

import java.util.Arrays;
import java.util.List;

/**
 * Wall-clock timing in the manner of the PyTorch peer: warm up, pick a number of calls per
 * repetition that lasts at least 0.3 s, then time repetitions. Several tasks are timed
 * round-robin, one repetition each in turn, so that load from other jobs hits all of them alike.
 */
public final class Timing {

    private static final double CALIBRATION_SECONDS = 0.3;

    private Timing() {}

    /** A named piece of work; {@code iters} is filled in by calibration. */
    public static final class Task {
        public final String name;
        final Runnable body;
        int iters = 1;
        final double[] ms;

        public Task(String name, Runnable body, int reps) {
            this.name = name;
            this.body = body;
            this.ms = new double[reps];
        }

        public double median() {
            return Timing.median(ms);
        }

        public double min() {
            return Arrays.stream(ms).min().orElse(Double.NaN);
        }

        public double max() {
            return Arrays.stream(ms).max().orElse(Double.NaN);
        }
    }

    /** Warms each task up, calibrates its calls per repetition, then times all round-robin. */
    public static void runRoundRobin(List<Task> tasks, int warmup) {
        for (Task t : tasks) {
            for (int i = 0; i < warmup; i++) {
                t.body.run();
            }
            // double the calls until one repetition lasts 0.3 s, then aim at 0.6 s as the peer does
            while (true) {
                double s = seconds(t, t.iters);
                if (s > CALIBRATION_SECONDS) {
                    t.iters = Math.max(2, (int) Math.ceil(t.iters * 0.6 / s));
                    break;
                }
                t.iters *= 2;
            }
        }
        int reps = tasks.get(0).ms.length;
        for (int r = 0; r < reps; r++) {
            for (Task t : tasks) {
                t.ms[r] = seconds(t, t.iters) * 1e3 / t.iters;
            }
        }
    }

    private static double seconds(Task t, int iters) {
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            t.body.run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
