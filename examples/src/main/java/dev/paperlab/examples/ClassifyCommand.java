package dev.paperlab.examples;

import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.examples.derive.Plots;
import dev.paperlab.models.eval.ClassifierCalibration;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.metrics.Calibration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a Fashion-MNIST MLP of the given hidden widths and reports how calibrated it is on the
 * test set, before and after temperature scaling fitted on a held-out half (Guo et al. 2017).
 */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = "Fashion-MNIST MLP classifier of any width and depth; accuracy and calibration"
                + " (ECE, NLL, Brier) before and after temperature scaling.")
public final class ClassifyCommand extends ExampleCommand {
    @Mixin
    CommonOptions common;

    @Option(
            names = "--hidden",
            split = ",",
            description = "Hidden widths, comma-separated (default: 256,128, the scoring classifier's).")
    int[] hidden = {256, 128};

    @Override
    public Map<String, Object> runExample() throws Exception {
        RunConfig config = common.toConfig("classify", 128, 1e-3f);
        Path dataDir = common.dataDir();
        try (FashionClassifier classifier =
                        FashionClassifier.train(Harness.withDefaultListeners(config), config, dataDir, hidden);
                FashionMnist test = FashionClassifier.data(Dataset.Usage.TEST, dataDir, config.seed(), 128)) {
            double[][] logits = classifier.logits(test.dataArray());
            float[] raw = test.labelArray().toFloatArray();
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = (int) raw[i];
            }
            ClassifierCalibration.Report r = ClassifierCalibration.evaluate(logits, labels, config.seed());
            Map<String, Object> summary = classifier.runState().summary();
            summary.put("command", "classify");
            summary.put("hidden", hidden);
            summary.put("parameters", classifier.parameterCount());
            summary.put("data_source", test.source());
            summary.put("test_accuracy", classifier.testAccuracy());
            summary.put("temperature", r.temperature());
            summary.put("calibration_examples", r.evalExamples());
            summary.putAll(r.before().toMap(""));
            summary.putAll(r.after().toMap("_ts"));
            summary.put("reliability_confidence", bins(r.before().bins())[0]);
            summary.put("reliability_accuracy", bins(r.before().bins())[1]);
            reliabilityDiagram(config.outDir().resolve("reliability.png"), r);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "hidden %s: accuracy %.4f, ECE %.4f -> %.4f after T = %.3f, NLL %.4f -> %.4f%n",
                    java.util.Arrays.toString(hidden),
                    r.before().accuracy(),
                    r.before().eceEqualMass(),
                    r.after().eceEqualMass(),
                    r.temperature(),
                    r.before().nll(),
                    r.after().nll());
            Pictures.curves(
                    config.outDir().resolve("metrics.csv"),
                    config.outDir().resolve("loss.png"),
                    "cross-entropy (nats)",
                    List.of("loss"));
            return finalSummary(classifier.runState());
        }
    }

    /** Accuracy against confidence per equal-mass bin, before and after scaling, over the diagonal. */
    static void reliabilityDiagram(Path png, ClassifierCalibration.Report r) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("perfect calibration", new double[][] {{0, 1}, {0, 1}});
        series.put(".before (T = 1)", bins(r.before().bins()));
        series.put(
                String.format(java.util.Locale.ROOT, ".after (T = %.2f)", r.temperature()),
                bins(r.after().bins()));
        Plots.lines(
                png, "Reliability (15 equal-mass bins, held-out half)", "confidence", "accuracy", false, false, series);
    }

    private static double[][] bins(List<Calibration.Bin> bins) {
        double[][] xy = new double[2][bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            xy[0][i] = bins.get(i).confidence();
            xy[1][i] = bins.get(i).accuracy();
        }
        return xy;
    }
}
