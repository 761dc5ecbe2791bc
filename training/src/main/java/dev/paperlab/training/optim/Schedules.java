package dev.paperlab.training.optim;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/**
 * Learning-rate schedules composed from DJL's trackers.
 *
 * <p>{@link #warmupCosine}: linear warm-up then cosine decay, the schedule of SimCLR (Chen et al.
 * 2020, §B.1; warm-up after Goyal et al. 2017, cosine after Loshchilov &amp; Hutter 2017), with
 * {@code t} the update number (DJL counts from 1), W warm-up and T total updates:
 *
 * <pre>
 *   lr(t) = base * t / W                                              t &lt; W
 *   lr(t) = final + (base - final) (1 + cos(pi (t - W) / (T - W))) / 2   W &lt;= t &lt;= T
 *   lr(t) = final                                                     t &gt; T
 * </pre>
 *
 * <p>DJL's {@link WarmUpTracker} hands its main tracker {@code t - W}, so a {@link CosineTracker}
 * over {@code T - W} updates behind it is exactly this.
 */
public final class Schedules {
    private Schedules() {}

    /**
     * @param base peak learning rate, reached at the end of warm-up
     * @param last learning rate at the end, in [0, base]
     * @param warmup warm-up updates W, 0 for none
     * @param total all updates T, &gt; W
     */
    public static Tracker warmupCosine(float base, float last, int warmup, int total) {
        if (!(base > 0) || !Float.isFinite(base)) {
            throw new IllegalArgumentException("base learning rate must be finite and > 0, got " + base);
        }
        if (!(last >= 0 && last <= base)) {
            throw new IllegalArgumentException("final learning rate must be in [0, " + base + "], got " + last);
        }
        if (warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException(
                    "need 0 <= warm-up < total updates, got warm-up " + warmup + ", total " + total);
        }
        Tracker cosine = CosineTracker.builder()
                .setBaseValue(base)
                .optFinalValue(last)
                .setMaxUpdates(total - warmup)
                .build();
        if (warmup == 0) {
            return cosine;
        }
        return WarmUpTracker.builder()
                .setMainTracker(cosine)
                .optWarmUpSteps(warmup)
                .optWarmUpBeginValue(0f)
                .optWarmUpMode(WarmUpTracker.Mode.LINEAR)
                .build();
    }
}
