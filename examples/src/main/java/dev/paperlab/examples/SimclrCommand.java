package dev.paperlab.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.augment.ContrastiveAugmentation;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.models.simclr.Simclr;
import dev.paperlab.models.simclr.SimclrEvaluation;
import dev.paperlab.models.simclr.SimclrTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import dev.paperlab.training.metrics.LinearProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains SimCLR (Chen et al. 2020) on Fashion-MNIST without labels, then scores the frozen
 * encoder by weighted k-NN (Wu et al. 2018) and a linear probe, beside the same on raw pixels,
 * and draws the test representations' principal plane, the loss and augmented pairs.
 */
@Command(
        name = "simclr",
        mixinStandardHelpOptions = true,
        description = "SimCLR contrastive self-supervised learning on Fashion-MNIST, scored by k-NN and linear probe.")
public final class SimclrCommand extends ExampleCommand {
    /**
     * Epochs when neither --epochs nor --steps is given: 1,872 steps, 306-322 s of training on
     * two free cores in the measured runs (0.16-0.17 s per step at batch 256), well inside the
     * 15-minute budget the recipe is meant for; 2 epochs already beat raw pixels, the other six
     * added about 0.002 k-NN accuracy (docs/benchmarks.md).
     */
    static final int DEFAULT_EPOCHS = 8;

    /** Reference and query examples of the k-NN watched during training. */
    private static final int MONITOR_REFERENCE = 5000;

    private static final int MONITOR_QUERY = 1000;

    @Mixin
    CommonOptions common;

    @Option(names = "--temperature", description = "NT-Xent temperature tau (default: ${DEFAULT-VALUE}).")
    float temperature = 0.2f;

    @Option(
            names = "--augment",
            split = ",",
            description = "Augmentations, any of crop, flip, affine (rotation and shift), noise, erase,"
                    + " jitter (brightness and contrast) (default: crop,flip,affine,noise,jitter).")
    List<String> augment = List.of("crop", "flip", "affine", "noise", "jitter");

    @Option(names = "--optimizer", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SimclrTask.OptimizerChoice optimizer = SimclrTask.OptimizerChoice.ADAM;

    @Option(
            names = "--probe-epochs",
            description =
                    "Epochs of each linear probe (features and raw pixels); 0 = no probes (default: ${DEFAULT-VALUE}).")
    int probeEpochs = 10;

    @Option(
            names = "--readout",
            description = "Representation: pool (global average) or flatten (the 4x4 map, spatial layout kept)"
                    + " (default: ${DEFAULT-VALUE}).")
    Simclr.Readout readout = Simclr.Readout.FLATTEN;

    @Option(
            names = "--channels",
            split = ",",
            description = "Filters of the encoder's three convolutions c1,c2,c3 (default: 32,64,128).")
    List<Integer> channels = List.of(32, 64, 128);

    @Option(
            names = "--warmup",
            description =
                    "Fraction of the updates spent on the linear learning-rate warm-up (default: ${DEFAULT-VALUE}).")
    double warmup = 0.05;

    @Option(names = "--weight-decay", description = "Weight decay of adamw and lars (default: ${DEFAULT-VALUE}).")
    float weightDecay = 1e-6f;

    @Option(
            names = "--eval-train",
            description = "Training examples the k-NN and probes learn from; 0 = all (default: ${DEFAULT-VALUE}).")
    int evalTrain;

    @Option(names = "--eval-test", description = "Test examples scored; 0 = all (default: ${DEFAULT-VALUE}).")
    int evalTest;

    @Override
    public Map<String, Object> runExample() throws Exception {
        if (!budgetGiven(common)) {
            common.epochs = DEFAULT_EPOCHS; // --steps alone is the whole budget (RunConfig.plannedSteps)
        }
        RunConfig config = common.toConfig("simclr", 256, optimizer == SimclrTask.OptimizerChoice.LARS ? 0.3f : 1e-3f);
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be finite and > 0, got " + temperature);
        }
        if (config.batchSize() < 2) {
            throw new IllegalArgumentException("--batch-size must be >= 2 (the other examples of a batch are the"
                    + " negatives), got " + config.batchSize());
        }
        if (probeEpochs < 0) {
            throw new IllegalArgumentException("--probe-epochs must be >= 0 (0 = no probes), got " + probeEpochs);
        }
        if (evalTrain < 0 || evalTest < 0) {
            throw new IllegalArgumentException(
                    "--eval-train and --eval-test must be >= 0 (0 = all), got " + evalTrain + " and " + evalTest);
        }
        ContrastiveAugmentation augmentation =
                ContrastiveAugmentation.builder().optKinds(kinds()).build();
        if (channels.size() != 3 || channels.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException(
                    "--channels must list three filter counts c1,c2,c3, each >= 1, got " + channels);
        }
        Simclr model = Simclr.builder()
                .optReadout(readout)
                .optChannels(channels.get(0), channels.get(1), channels.get(2))
                .build();
        try (FashionMnist train = data(Dataset.Usage.TRAIN, config);
                FashionMnist test = data(Dataset.Usage.TEST, config)) {
            NDArray trainX = head(train.dataArray(), evalTrain);
            int[] trainY = labels(head(train.labelArray(), evalTrain));
            NDArray testX = head(test.dataArray(), evalTest);
            int[] testY = labels(head(test.labelArray(), evalTest));
            SimclrTask.Monitor monitor = new SimclrTask.Monitor(
                    head(trainX, MONITOR_REFERENCE),
                    labels(head(train.labelArray(), Math.min(MONITOR_REFERENCE, trainY.length))),
                    head(testX, MONITOR_QUERY),
                    labels(head(test.labelArray(), Math.min(MONITOR_QUERY, testY.length))));
            try (SimclrTask task = SimclrTask.builder()
                    .setModel(model)
                    .setData(train, train.source())
                    .optBatchSize(config.batchSize())
                    .optSeed(config.seed())
                    .optAugmentation(augmentation)
                    .optTemperature(temperature)
                    .optOptimizer(optimizer)
                    .optWarmupFraction(warmup)
                    .optWeightDecay(weightDecay)
                    .optMonitor(monitor)
                    .build()) {
                RunState state = Harness.withDefaultListeners(config).fit(task);
                Map<String, Object> summary = state.summary();
                summary.put("command", "simclr");
                summary.put("temperature", temperature);
                summary.put(
                        "augment",
                        augmentation.kinds().stream()
                                .map(Object::toString)
                                .sorted()
                                .toList());
                summary.put("optimizer", optimizer.toString());
                summary.put("readout", readout.toString());
                summary.put("channels", channels);
                LinearProbe.Settings probe =
                        probeEpochs == 0 ? null : new LinearProbe.Settings(probeEpochs, 256, 1e-3f, config.seed());
                SimclrEvaluation.Result result = SimclrEvaluation.evaluate(
                        model,
                        trainX,
                        trainY,
                        testX,
                        testY,
                        probe,
                        config.outDir().resolve("probes"));
                summary.putAll(result.summary());
                summary.put("eval_train_examples", trainY.length);
                summary.put("eval_test_examples", testY.length);
                writePictures(config, augmentation, testX, result.projection());
                return finalSummary(state);
            }
        }
    }

    private EnumSet<ContrastiveAugmentation.Kind> kinds() {
        EnumSet<ContrastiveAugmentation.Kind> kinds = EnumSet.noneOf(ContrastiveAugmentation.Kind.class);
        List<String> names = new ArrayList<>();
        for (ContrastiveAugmentation.Kind k : ContrastiveAugmentation.Kind.values()) {
            names.add(k.toString());
        }
        for (String name : augment) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            int i = names.indexOf(n);
            if (i < 0) {
                throw new IllegalArgumentException("--augment: expected any of " + names + ", got '" + name + "'");
            }
            kinds.add(ContrastiveAugmentation.Kind.values()[i]);
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--augment must name at least one of " + names + ", got " + augment);
        }
        return kinds;
    }

    private FashionMnist data(Dataset.Usage usage, RunConfig config) throws java.io.IOException {
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(false)
                .optSeed(config.seed())
                .setSampling(config.batchSize(), false);
        if (common.dataDir() != null) {
            b.optDataDir(common.dataDir());
        }
        return b.build();
    }

    /** The first {@code n} rows (all when n is 0 or more than there are). */
    private static NDArray head(NDArray x, int n) {
        long rows = x.getShape().get(0);
        return n <= 0 || n >= rows ? x : x.get(new NDIndex("0:" + n));
    }

    private static int[] labels(NDArray y) {
        float[] f = y.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    private static void writePictures(
            RunConfig config, ContrastiveAugmentation augmentation, NDArray test, SimclrEvaluation.Projection p)
            throws Exception {
        Path out = config.outDir();
        Pictures.classScatter(
                out.resolve("projection.png"),
                "Test representations, first two principal components",
                p.xy(),
                p.labels(),
                FashionMnist.CLASS_NAMES);
        Pictures.curves(out.resolve("metrics.csv"), out.resolve("loss.png"), "SimCLR NT-Xent loss", List.of("loss"));
        try (NDManager scope = test.getManager().newSubManager()) {
            int n = (int) Math.min(16, test.getShape().get(0));
            NDArray x = test.get(new NDIndex("0:" + n));
            x.attach(scope);
            // rows of 16: each example's first view above its second
            float[] views = augmentation.twoViews(x, new Random(config.seed())).toFloatArray();
            int pixels = 28 * 28;
            float[][] cells = new float[32][];
            for (int i = 0; i < 32; i++) {
                int view = i / 16;
                int e = i % 16;
                cells[i] = e < n
                        ? java.util.Arrays.copyOfRange(views, (view * n + e) * pixels, (view * n + e + 1) * pixels)
                        : new float[pixels];
            }
            Pictures.grid(out.resolve("pairs.png"), cells, 28, 28, 16, 2);
        }
    }
}
