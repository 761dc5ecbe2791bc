package dev.paperlab.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.paperlab.datasets.synthetic.Mixtures2d;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 8-Gaussian ring (radius 2, std 0.02): a short seeded run of the command's 2-D recipe (MLP
 * 128-128, Z = 2, non-saturating loss, Adam 8.5e-4 with beta1 0.5 decayed on a half cosine, batch
 * 256, 5,000 steps) covers all 8 modes with a high-quality share of at least 0.8 (the benchmark's
 * target; measured 0.806-0.862 over seeds 1-7). Shorter runs were tried and miss modes: 2,000 steps
 * cover 3 (cosine) or 6 (constant lr) of 8 for seed 1.
 */
class GanRingTest {
    static final double[][] CENTRES = Mixtures2d.ringMeans(8, 2.0);

    static GanTask ringTask(long steps) {
        return GanTask.builder()
                .setGenerator(GanMlp.generator(2, new int[] {128, 128}, 2, false))
                .setDiscriminator(GanMlp.discriminator(new int[] {128, 128}))
                .setData(
                        (scope, n, random) -> Mixtures2d.ring(n, 8, 2.0, 0.02, random.nextLong())
                                .pointArray(scope),
                        new Shape(2))
                .setLatentSize(2)
                .optModeCentres(CENTRES)
                .optStepsPerEpoch(steps)
                .optCosineDecay(steps)
                .build();
    }

    @Test
    void recipeCoversAllEightModesWithHighQuality(@TempDir Path dir) {
        long steps = Long.getLong("gan.ring.steps", 5000);
        try (GanTask task = ringTask(steps)) {
            RunConfig config = RunConfig.builder()
                    .optOutDir(dir)
                    .optProgress(false)
                    .optSeed(Long.getLong("gan.ring.seed", 1))
                    .optBatchSize(256)
                    .optLearningRate(8.5e-4f)
                    .optEvalEvery(1000)
                    .build();
            long t0 = System.nanoTime();
            RunState state = Harness.withDefaultListeners(config).fit(task);
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ring %d steps in %.1f s (%.0f steps/s): %s%n", steps, sec, steps / sec, state.summary());
            for (GanTask.Snapshot s : task.snapshots()) {
                ModeCoverage c = ModeCoverage.score(s.points(), CENTRES, ModeCoverage.RADIUS, ModeCoverage.MIN_SHARE);
                System.out.printf(
                        "  step %d modes %d hq %.3f counts %s%n",
                        s.step(), c.modesCovered(), c.highQualityShare(), java.util.Arrays.toString(c.counts()));
            }
            ModeCoverage last = ModeCoverage.score(
                    task.snapshots().get(task.snapshots().size() - 1).points(),
                    CENTRES,
                    ModeCoverage.RADIUS,
                    ModeCoverage.MIN_SHARE);
            assertEquals(8, last.modesCovered());
            assertTrue(last.highQualityShare() >= 0.8, "high-quality share " + last.highQualityShare());
        }
    }
}
