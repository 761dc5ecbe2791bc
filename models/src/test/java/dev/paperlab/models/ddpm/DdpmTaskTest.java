package dev.paperlab.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training: with one data point the learned reverse process lands on it; bad settings are one clear message. */
class DdpmTaskTest {

    private static UNet tinyNet(int classes) {
        return UNet.builder()
                .optImage(1, 8)
                .optBaseChannels(8)
                .optChannelMultipliers(1, 2)
                .optGroups(4)
                .optAttention(false)
                .optClasses(classes)
                .build();
    }

    /**
     * The data distribution is a point mass on one 8x8 image x*, so the optimal eps_theta is the
     * true noise of x* and every sample of the optimal reverse process (Algorithm 2) is x*. After
     * 800 steps the samples' RMS distance to x* must be a small share of that of pure noise
     * (sqrt(1 + mean x*^2), about 1.2): below 0.25 (seeds 3, 7, 11 gave 0.029-0.035). After 200
     * steps it was still 1.2: the net shrinks its noise estimate by a few percent, and over 1,000
     * steps that leaves the samples noisy.
     */
    @Test
    void withOneDataPointSamplesConcentrateOnIt(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            // a fixed pattern in [-1, 1]: a bright square on a dark background
            float[] pixels = new float[64];
            for (int i = 0; i < 64; i++) {
                int r = i / 8;
                int c = i % 8;
                pixels[i] = r >= 2 && r < 6 && c >= 2 && c < 6 ? 0.8f : -0.6f;
            }
            NDArray star = m.create(pixels, new Shape(1, 1, 8, 8));
            NoiseSchedule schedule = NoiseSchedule.of("linear", 1000);
            try (DdpmTask task = DdpmTask.builder()
                    .setDenoiser(tinyNet(0))
                    .setSchedule(schedule)
                    .setData(star, null)
                    .optEmaDecay(0.9f)
                    .optEvalSamples(0)
                    .optStepsPerEpoch(800)
                    .build()) {
                RunState state = Harness.of(RunConfig.builder()
                                .optOutDir(dir)
                                .optProgress(false)
                                .optBatchSize(32)
                                .optLearningRate(3e-3f)
                                .optSeed(7)
                                .build())
                        .fit(task);
                assertEquals(800, state.step());
                Engine.getInstance().setRandomSeed(9);
                NDArray samples = task.sample(m, 16, SamplerConfig.ancestral(), null, 0f, Samplers.Observer.NONE);
                double rms = samples.sub(star).square().mean().sqrt().getFloat();
                assertTrue(rms < 0.25, "RMS distance of samples to the data point " + rms);
            }
        }
    }

    @Test
    void badSettingsAreOneClearMessage() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> UNet.builder()
                        .optImage(1, 30)
                        .optChannelMultipliers(1, 2, 2)
                        .build());
        assertTrue(e.getMessage().contains("image side 30 cannot be halved 2 times (U-Net depth 3)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> UNet.builder().optBaseChannels(12).optGroups(8).build());
        assertTrue(e.getMessage().contains("divisible by 8 groups"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SamplerConfig.Kind.parse("euler"));
        assertTrue(e.getMessage().contains("ancestral or ddim, got 'euler'"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wrong = m.zeros(new Shape(4, 1, 8, 6));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> DdpmTask.builder()
                            .setDenoiser(tinyNet(0))
                            .setSchedule(NoiseSchedule.of("linear", 10))
                            .setData(wrong, null)
                            .build());
            assertTrue(e.getMessage().contains("images must be (N, 1, 8, 8)"), e.getMessage());
            NDArray images = m.zeros(new Shape(2, 1, 8, 8));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> DdpmTask.builder()
                            .setDenoiser(tinyNet(3))
                            .setSchedule(NoiseSchedule.of("linear", 10))
                            .setData(images, new int[] {0, 3})
                            .build());
            assertTrue(e.getMessage().contains("labels must be in [0, 3), got 3"), e.getMessage());
        }
    }
}
