package dev.paperlab.benchmarks.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.paperlab.framework.attention.Attention;
import dev.paperlab.framework.attention.FlashAttention;
import dev.paperlab.framework.attention.FlashGradients;
import dev.paperlab.framework.attention.FlashOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One configuration of attention forward + backward per process, so that the peak resident set
 * of the process (measured outside, {@code /usr/bin/time -f %M}) belongs to that configuration:
 *
 * <ul>
 *   <li>{@code naive}: {@code O = softmax(QK^T / sqrt(D)) V} differentiated by DJL's autograd,
 *       which keeps the (B, H, T, T) weights for the backward pass;
 *   <li>{@code flash}: {@link FlashAttention#forward} (tiles of Br x Bc, no autograd) then the
 *       hand-written {@link FlashAttention#backward}, which keeps only O and the log-sum-exp;
 *   <li>{@code baseline}: the same start-up and inputs without the large computation, the memory
 *       to subtract from the other two.
 * </ul>
 *
 * Every mode first runs both computations once at T = 512 (loading the same native code and thread
 * pools), then allocates Q, K, V and dO (B, H, T, D) from the same seed. The loss is
 * {@code sum(O * dO)}, so dO is the incoming gradient for both.
 *
 * <p>Usage: {@code AttentionMemoryProbe MODE T H [reps=1] [block=64]}, B = 1, D = 64, float32.
 * Prints {@code RESULT mode=.. T=.. H=.. ms=<median> ...} with the peak resident set from
 * {@code /proc/self/status} (VmHWM) as a cross-check and sum |dQ|, sum |dV| to compare the modes.
 */
public final class AttentionMemoryProbe {

    private static final long B = 1;
    private static final long D = 64;
    // enough tiles that the JIT compiles the tile loops here, in every mode alike
    private static final long WARMUP_T = 512;

    private AttentionMemoryProbe() {}

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        long t = Long.parseLong(args[1]);
        long h = Long.parseLong(args[2]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int block = args.length > 4 ? Integer.parseInt(args[4]) : FlashAttention.DEFAULT_BLOCK;
        if (!mode.equals("naive") && !mode.equals("flash") && !mode.equals("baseline")) {
            throw new IllegalArgumentException("mode must be naive, flash or baseline; got " + mode);
        }
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            // same native code paths in every mode, on inputs too small to matter
            NDArray[] small = inputs(manager, WARMUP_T, h);
            closeAll(naive(small));
            closeAll(flash(small, block));
            closeAll(small);
            NDArray[] in = inputs(manager, t, h);
            double[] ms = new double[reps];
            double dqAbs = Double.NaN;
            double dvAbs = Double.NaN;
            if (!mode.equals("baseline")) {
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    NDArray[] grads = mode.equals("naive") ? naive(in) : flash(in, block);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                    dqAbs = grads[0].abs().sum().getFloat();
                    dvAbs = grads[2].abs().sum().getFloat();
                    closeAll(grads);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT mode=%s T=%d H=%d block=%d ms=%.1f min_ms=%.1f vmhwm_kb=%d"
                            + " sum_abs_dq=%.6g sum_abs_dv=%.6g%n",
                    mode,
                    t,
                    h,
                    block,
                    Timing.median(ms),
                    java.util.Arrays.stream(ms).min().orElse(0),
                    vmHwmKb(),
                    dqAbs,
                    dvAbs);
        }
    }

    /** Q, K, V, dO, each (B, H, T, D), standard normal. */
    private static NDArray[] inputs(NDManager manager, long t, long h) {
        Shape s = new Shape(B, h, t, D);
        return new NDArray[] {
            manager.randomNormal(s), manager.randomNormal(s), manager.randomNormal(s), manager.randomNormal(s)
        };
    }

    /** dQ, dK, dV of sum(softmax(QK^T / sqrt(D)) V * dO) by autograd. */
    private static NDArray[] naive(NDArray[] in) {
        NDArray q = in[0].duplicate();
        NDArray k = in[1].duplicate();
        NDArray v = in[2].duplicate();
        for (NDArray a : new NDArray[] {q, k, v}) {
            a.setRequiresGradient(true);
        }
        NDArray[] grads;
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray o = Attention.scaledDotProduct(q, k, v, null); // (B, H, T, D)
            gc.backward(o.mul(in[3]).sum());
            grads = new NDArray[] {q.getGradient(), k.getGradient(), v.getGradient()};
            for (NDArray g : grads) {
                NDScope.unregister(g);
            }
        }
        closeAll(q, k, v);
        return grads;
    }

    /** The same gradients by the tiled forward and the hand-written backward, no autograd. */
    private static NDArray[] flash(NDArray[] in, int block) {
        FlashAttention kernel = FlashAttention.withBlocks(block, block);
        FlashOutput out = kernel.forward(in[0], in[1], in[2], null, false);
        FlashGradients g = FlashAttention.backward(
                in[0], in[1], in[2], out.output(), out.logSumExp(), in[3], null, false, block, block);
        closeAll(out.output(), out.logSumExp());
        return new NDArray[] {g.dq(), g.dk(), g.dv()};
    }

    private static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }

    /** Peak resident set of this process so far, in KiB. */
    private static long vmHwmKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
