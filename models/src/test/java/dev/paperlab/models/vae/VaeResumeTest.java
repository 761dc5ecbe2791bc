package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.nn.Parameter;
import ai.djl.training.dataset.Dataset;
import ai.djl.util.Pair;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VAE trained on real Fashion-MNIST for N steps ends bit-identical to one trained N/2 steps,
 * checkpointed, and resumed for the rest, where the checkpoint falls in the middle of an epoch:
 * the resumed run must skip the batches of that epoch already seen, in the same shuffled order.
 * Needs the IDX files ({@code $PAPERLAB_DATA} or {@value FashionMnist#SYSTEM_DIR_NAME}); without
 * them it fails and says what is missing.
 */
class VaeResumeTest {
    private static final int IMAGES = 1000; // the first 1,000 training images
    private static final int BATCH = 64; // 16 batches per epoch, the last one 40 images
    private static final int STEPS = 40; // 2.5 epochs; the checkpoint at 20 is batch 4 of epoch 1
    private static final long SEED = 31;

    @Test
    void resumingMidEpochOnFashionMnistIsBitIdentical(@TempDir Path dir) throws IOException {
        Path data = fashionMnistDir();
        List<float[]> straight = train(data, dir.resolve("straight"), STEPS, false);
        Path out = dir.resolve("resumed");
        train(data, out, STEPS / 2, false);
        List<float[]> resumed = train(data, out, STEPS, true);
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i), resumed.get(i), 0f, "parameter " + i);
        }
        // the losses logged after the resume are the straight run's, step for step
        List<String> a = trainRows(dir.resolve("straight"), STEPS / 2);
        List<String> b = trainRows(out, STEPS / 2);
        assertEquals(STEPS / 2, a.size());
        assertEquals(a, b);
    }

    private static List<float[]> train(Path data, Path out, int steps, boolean resume) throws IOException {
        try (FashionMnist train = dataset(data, Dataset.Usage.TRAIN, IMAGES);
                FashionMnist test = dataset(data, Dataset.Usage.TEST, 200)) {
            assertFalse(train.isProcedural(), "expected the IDX files, got " + train.source());
            RunConfig config = RunConfig.builder()
                    .optOutDir(out)
                    .optProgress(false)
                    .optSeed(SEED)
                    .optEpochs(3)
                    .optMaxSteps(steps)
                    .optBatchSize(BATCH)
                    .optCheckpointEvery(STEPS / 2)
                    .optResume(resume)
                    .build();
            Vae vae = Vae.builder().optHiddenSize(128).optLatentSize(8).build();
            try (VaeTask task = new VaeTask(vae, train, test, SEED, BATCH, train.source())) {
                RunState state = Harness.withDefaultListeners(config).fit(task);
                assertEquals(steps, state.step());
                long perEpoch = state.stepsPerEpoch();
                assertEquals((IMAGES + BATCH - 1) / BATCH, perEpoch);
                assertNotEquals(0, (STEPS / 2) % perEpoch, "the checkpoint must fall inside an epoch");
                List<float[]> values = new ArrayList<>();
                for (Pair<String, Parameter> p : vae.getParameters()) {
                    values.add(p.getValue().getArray().toFloatArray());
                }
                return values;
            }
        }
    }

    private static FashionMnist dataset(Path dir, Dataset.Usage usage, int limit) throws IOException {
        return FashionMnist.builder()
                .optUsage(usage)
                .optDataDir(dir)
                .optLimit(limit)
                .setSampling(BATCH, false)
                .build();
    }

    /** The training rows of metrics.csv after step {@code from} (steps count from 1), wall-time columns dropped. */
    private static List<String> trainRows(Path out, long from) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (!"train".equals(f[header.indexOf("split")]) || Long.parseLong(f[0]) <= from) {
                continue;
            }
            StringBuilder kept = new StringBuilder();
            for (String column : List.of("step", "epoch", "loss", "recon", "kl")) {
                kept.append(f[header.indexOf(column)]).append(',');
            }
            rows.add(kept.toString());
        }
        return rows;
    }

    /** The Fashion-MNIST folder, or a failure naming where it was looked for. */
    private static Path fashionMnistDir() {
        String env = System.getenv(FashionMnist.ENV_DATA_DIR);
        List<Path> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
            candidates.add(Path.of(env, "fashion-mnist"));
        }
        candidates.add(Path.of(FashionMnist.SYSTEM_DIR_NAME));
        for (Path c : candidates) {
            if (has(c, "train-images-idx3-ubyte")
                    && has(c, "train-labels-idx1-ubyte")
                    && has(c, "t10k-images-idx3-ubyte")
                    && has(c, "t10k-labels-idx1-ubyte")) {
                return c;
            }
        }
        return fail("real Fashion-MNIST is needed: none of " + candidates + " holds the four IDX files"
                + " (train-/t10k-images-idx3-ubyte, train-/t10k-labels-idx1-ubyte, .gz or plain;"
                + " install the Debian package dataset-fashion-mnist or set " + FashionMnist.ENV_DATA_DIR + ")");
    }

    private static boolean has(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name)) || Files.isRegularFile(dir.resolve(name + ".gz"));
    }
}
