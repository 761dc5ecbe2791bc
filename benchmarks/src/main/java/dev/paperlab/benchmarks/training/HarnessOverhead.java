package dev.paperlab.benchmarks.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.models.vae.Vae;
import dev.paperlab.models.vae.VaeLoss;
import dev.paperlab.models.vae.VaeTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The training harness's cost per step against a bare DJL loop of the same model: the VAE MLP
 * 784-400-20 on Fashion-MNIST, batch 128, the project's Adam (lr 1e-3) on both sides.
 *
 * <ul>
 *   <li>harness: {@link VaeTask} run by {@link Harness#withDefaultListeners} (divergence guard,
 *       checkpoints off, metrics.csv, summary.json; no progress bar), as the {@code vae} command
 *       runs it, without the test-set evaluation;
 *   <li>bare: {@code Model} + {@code Trainer} with the same {@link VaeLoss}, {@code
 *       trainer.iterateDataset}, {@code GradientCollector.zeroGradients/backward}, the loss read
 *       once per step (as any loop that logs it), {@code trainer.step()}.
 * </ul>
 *
 * Time per step is wall time from the end of step 1 to the end of step {@code steps}, divided by
 * {@code steps - 1}, so model creation and the first step's warm-up stay out. The two sides
 * alternate (their order swapped every repeat) after one discarded warm-up run of each, in one
 * JVM; the ratio reported is harness / bare of the medians, beside the median of per-repeat
 * ratios. Usage: {@code HarnessOverhead [steps=200] [repeats=5]}.
 */
public final class HarnessOverhead {
    private static final int BATCH = 128;
    private static final float LR = 1e-3f;

    private HarnessOverhead() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (steps < 2 || repeats < 1) {
            throw new IllegalArgumentException(
                    "steps must be >= 2 and repeats >= 1, got steps " + steps + ", repeats " + repeats);
        }
        try (FashionMnist train = FashionMnist.builder()
                .optUsage(Dataset.Usage.TRAIN)
                .optFlatten(true)
                .optSeed(1)
                .setSampling(BATCH, true)
                .build()) {
            train.prepare();
            Path out = Files.createTempDirectory("harness-overhead");
            String[] names = {"harness", "bare", "bare_part_step"};
            double[][] times = new double[names.length][repeats];
            for (int side = 0; side < names.length; side++) {
                run(side, train, steps, out); // warm-up, discarded
            }
            for (int r = 0; r < repeats; r++) {
                StringBuilder line = new StringBuilder("repeat " + (r + 1) + ":");
                for (int k = 0; k < names.length; k++) {
                    int side = (r + k) % names.length; // rotate the order so drift hits every side
                    times[side][r] = run(side, train, steps, out);
                }
                for (int side = 0; side < names.length; side++) {
                    line.append(String.format(Locale.ROOT, " %s %.3f ms/step", names[side], times[side][r] * 1e3));
                }
                System.out.println(line);
            }
            double[] ratios = new double[repeats];
            double[] partRatios = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                ratios[r] = times[0][r] / times[1][r];
                partRatios[r] = times[0][r] / times[2][r];
            }
            double mh = median(times[0]);
            double mb = median(times[1]);
            double mp = median(times[2]);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT {\"steps\": %d, \"repeats\": %d, \"harness_ms_per_step\": %.3f,"
                            + " \"bare_ms_per_step\": %.3f, \"bare_part_step_ms_per_step\": %.3f,"
                            + " \"ratio_of_medians\": %.4f, \"median_ratio\": %.4f,"
                            + " \"ratio_to_part_step_of_medians\": %.4f, \"median_ratio_to_part_step\": %.4f}%n",
                    steps,
                    repeats,
                    mh * 1e3,
                    mb * 1e3,
                    mp * 1e3,
                    mh / mb,
                    median(ratios),
                    mh / mp,
                    median(partRatios));
        }
    }

    private static double run(int side, FashionMnist train, int steps, Path out) throws Exception {
        return side == 0 ? harness(train, steps, out) : bare(train, steps, side == 2);
    }

    private static Vae vae() {
        return Vae.builder().optHiddenSize(400).optLatentSize(20).build();
    }

    /** Seconds per step of the harness running {@link VaeTask}. */
    private static double harness(FashionMnist train, int steps, Path out) {
        RunConfig config = RunConfig.builder()
                .optMaxSteps(steps)
                .optBatchSize(BATCH)
                .optLearningRate(LR)
                .optSeed(1)
                .optDevice(Device.cpu())
                .optOutDir(out)
                .optProgress(false)
                .build();
        StepClock clock = new StepClock(steps);
        try (VaeTask task = new VaeTask(vae(), train, null, 1, BATCH, "fashion-mnist")) {
            Harness.withDefaultListeners(config, clock).fit(task);
        }
        return clock.secondsPerStep();
    }

    /**
     * Seconds per step of a plain DJL loop over the same model, loss and optimizer; the update is
     * DJL's {@code trainer.step()} (one optimizer call per parameter), or with {@code partStep}
     * the harness's {@link TrainedPart#step()} (one multi-tensor call), which separates the
     * harness's own cost from its optimizer path.
     */
    private static double bare(FashionMnist train, int steps, boolean partStep) throws Exception {
        Vae vae = vae();
        Adam adam = Adam.builder().optLearningRate(LR).build();
        try (Model model = Model.newInstance("vae-bare", Device.cpu())) {
            model.setBlock(vae);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new VaeLoss()).optOptimizer(adam).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(vae.inputShape(BATCH));
                TrainedPart part = new TrainedPart("bare", model, trainer, adam);
                long first = 0;
                int step = 0;
                double sink = 0;
                while (step < steps) {
                    for (Batch batch : trainer.iterateDataset(train)) {
                        try (batch) {
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                collector.zeroGradients();
                                NDList x = batch.getData();
                                NDArray loss = trainer.getLoss().evaluate(x, trainer.forward(x));
                                collector.backward(loss);
                                sink += loss.getFloat();
                            }
                            if (partStep) {
                                part.step();
                            } else {
                                trainer.step();
                            }
                        }
                        if (++step == 1) {
                            first = System.nanoTime();
                        }
                        if (step == steps) {
                            break;
                        }
                    }
                }
                if (!Double.isFinite(sink)) {
                    throw new IllegalStateException("bare loop diverged: loss sum " + sink);
                }
                return (System.nanoTime() - first) / 1e9 / (steps - 1);
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Wall time between the end of the first step and the end of the last. */
    private static final class StepClock implements RunListener {
        private final int steps;
        private long first;
        private long last;

        StepClock(int steps) {
            this.steps = steps;
        }

        @Override
        public void onStep(RunState state) {
            if (state.step() == 1) {
                first = System.nanoTime();
            } else if (state.step() == steps) {
                last = System.nanoTime();
            }
        }

        double secondsPerStep() {
            return (last - first) / 1e9 / (steps - 1);
        }
    }
}
