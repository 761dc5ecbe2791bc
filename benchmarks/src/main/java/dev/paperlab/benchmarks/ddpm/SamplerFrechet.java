package dev.paperlab.benchmarks.ddpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.models.ddpm.DdpmTask;
import dev.paperlab.models.ddpm.NoiseSchedule;
import dev.paperlab.models.ddpm.SamplerConfig;
import dev.paperlab.models.ddpm.Samplers;
import dev.paperlab.models.ddpm.UNet;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.models.eval.ImageScores;
import dev.paperlab.training.Ema;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Scores one trained {@code ddpm} model (the command's default U-Net and linear schedule, T =
 * 1000) under several samplers: the same EMA weights, the same number of samples (classes in turn,
 * guided as asked), each scored by Fréchet distance and class coverage with the {@code ddpm}
 * command's feature map, and timed. This is how DDIM with S steps (Song et al. 2020) is checked
 * against the paper's 1,000-step ancestral sampler (Ho et al. 2020, Algorithm 2).
 *
 * <p>Usage: {@code SamplerFrechet CHECKPOINT_DIR WORK_DIR SAMPLES GUIDANCE SAMPLER...}, SAMPLER one
 * of {@code ancestral}, {@code ancestral:posterior}, {@code ddim:S}, {@code ddim:S:ETA} or {@code ddim:S:ETA:SPACING} (uniform or quadratic); a
 * {@code seed=N} among them sets the engine seed of the samplers after it (default 2), so that the
 * spread of one sampler's score over noise draws can be measured. Prints one line per sampler:
 * {@code RESULT sampler=... seed=N frechet=X class_coverage=C sample_seconds=T}.
 */
public final class SamplerFrechet {
    private static final int DEFAULT_SEED = 2;

    private SamplerFrechet() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: SamplerFrechet CHECKPOINT_DIR WORK_DIR SAMPLES GUIDANCE"
                    + " SAMPLER..., got " + args.length + " argument(s)");
        }
        Path checkpoint = Path.of(args[0]);
        Path ema = checkpoint.resolve("unet.ema");
        if (!Files.isRegularFile(ema)) {
            throw new IllegalArgumentException("CHECKPOINT_DIR must hold unet.ema (a ddpm checkpoint), got " + ema);
        }
        int samples = Integer.parseInt(args[2]);
        float guidance = Float.parseFloat(args[3]);
        UNet unet = UNet.builder().optImage(1, 28).optClasses(10).build();
        NoiseSchedule schedule = NoiseSchedule.of(NoiseSchedule.Kind.LINEAR, 1000);
        try (NDManager manager = NDManager.newBaseManager();
                ImageScores scores = ImageScores.create(Path.of(args[1]).resolve("classifier"), null)) {
            Shape perImage = new Shape(2);
            unet.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), perImage, perImage);
            try (Ema average = new Ema("unet", unet, 0.999f, true);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(ema)))) {
                average.load(in);
                average.copyTo(unet);
            }
            int seed = DEFAULT_SEED;
            for (int a = 4; a < args.length; a++) {
                if (args[a].startsWith("seed=")) {
                    seed = Integer.parseInt(args[a].substring("seed=".length()));
                    continue;
                }
                SamplerConfig sampler = parse(args[a]);
                Engine.getInstance().setRandomSeed(seed);
                long[] nanos = {0};
                int[] next = {0};
                ImageScores.Score s = scores.score(manager, samples, (scope, count) -> {
                    long t0 = System.nanoTime();
                    var x = DdpmTask.sampleBalanced(scope, unet, schedule, sampler, count, next[0], null, guidance);
                    nanos[0] += System.nanoTime() - t0;
                    next[0] += count;
                    return FashionClassifier.fromTanh(x); // [-1, 1] -> the classifier's [0, 1]
                });
                System.out.printf(
                        "RESULT sampler=%s seed=%d samples=%d guidance=%s frechet=%.4f class_coverage=%d histogram=%s"
                                + " sample_seconds=%.1f%n",
                        args[a],
                        seed,
                        samples,
                        guidance,
                        s.frechet(),
                        s.coverage().covered(),
                        Arrays.toString(s.coverage().histogram()).replace(" ", ""),
                        nanos[0] / 1e9);
            }
        }
    }

    private static SamplerConfig parse(String spec) {
        if (spec.equals("ancestral")) {
            return SamplerConfig.ancestral();
        }
        if (spec.equals("ancestral:posterior")) {
            return SamplerConfig.ancestral().withVariance(Samplers.Variance.POSTERIOR);
        }
        if (spec.startsWith("ddim:")) {
            String[] p = spec.split(":");
            SamplerConfig d = SamplerConfig.ddim(Integer.parseInt(p[1]));
            if (p.length > 2) {
                d = d.withEta(Float.parseFloat(p[2]));
            }
            return p.length > 3 ? d.withSpacing(Samplers.Spacing.valueOf(p[3].toUpperCase(Locale.ROOT))) : d;
        }
        throw new IllegalArgumentException(
                "SAMPLER must be ancestral, ancestral:posterior or ddim:S[:ETA[:SPACING]], got '" + spec + "'");
    }
}
