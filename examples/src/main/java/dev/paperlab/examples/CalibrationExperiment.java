package dev.paperlab.examples;

import dev.paperlab.examples.derive.Plots;
import dev.paperlab.training.experiments.SeedStats;
import dev.paperlab.training.experiments.Sweep;
import dev.paperlab.training.experiments.SweepResults;
import dev.paperlab.training.experiments.SweepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Are larger models better calibrated? Fashion-MNIST MLPs of growing width and depth ({@code
 * classify}), each trained for a short and a long budget, scored before and after temperature
 * scaling (Guo et al. 2017). The budget is an axis of its own because the answer depends on it:
 * Guo et al. saw miscalibration grow with capacity in long-trained networks, whose NLL overfits
 * while their accuracy still improves.
 */
@Command(
        name = "calibration",
        mixinStandardHelpOptions = true,
        description = "Calibration against model size on Fashion-MNIST: ECE (equal-mass and debiased), NLL,"
                + " Brier, accuracy, before and after temperature scaling, at several training lengths.")
public final class CalibrationExperiment extends ExperimentCommand.Sub {
    /** Hidden widths: 25k, 100k, 235k, 535k, 1.46M parameters. */
    static final String[] SIZES = {"32", "128", "256,128", "512,256", "1024,512,256"};

    static final List<String> METRICS = List.of(
            "parameters",
            "accuracy",
            "nll",
            "nll_ts",
            "ece",
            "ece_equal_mass",
            "ece_equal_mass_ts",
            "ece_debiased",
            "ece_debiased_ts",
            "brier",
            "brier_ts",
            "temperature");

    @Override
    String name() {
        return "calibration";
    }

    Sweep sweep() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--no-progress", "true");
        options.put("--epochs", "1000"); // the step budget decides
        Map<String, List<Map<String, String>>> axes = new LinkedHashMap<>();
        List<Map<String, String>> sizes = new ArrayList<>();
        for (String h : quick ? List.of(SIZES).subList(0, 4).toArray(String[]::new) : SIZES) {
            sizes.add(Map.of("name", "h" + h.replace(',', 'x'), "--hidden", h));
        }
        axes.put("size", sizes);
        // 469 steps of 128 are one epoch
        List<String> steps = quick ? List.of("200", "1500") : List.of("500", "5000", "20000");
        axes.put("--steps", steps.stream().map(v -> Map.of("--steps", v)).toList());
        return new Sweep(
                "calibration",
                List.of("classify"),
                options,
                axes,
                quick ? List.of(1L, 2L) : List.of(1L, 2L, 3L),
                METRICS);
    }

    @Override
    public Map<String, Object> runExample() throws Exception {
        long start = System.nanoTime();
        Path dir = outDir();
        SweepResults results = run(sweep(), dir);
        Map<String, Object> s = summary(results, start);
        StringBuilder md = new StringBuilder();
        Map<String, double[][]> ece = new LinkedHashMap<>();
        Map<String, double[][]> reliability = new LinkedHashMap<>();
        reliability.put("perfect calibration", new double[][] {{0, 1}, {0, 1}});
        Map<String, Object> bySteps = new LinkedHashMap<>();
        List<Map<String, String>> budgets = sweep().axes().get("--steps");
        String last = budgets.get(budgets.size() - 1).get("--steps");
        for (Map<String, String> stepValue : budgets) {
            String steps = stepValue.get("--steps");
            List<String> points = results.byPoint().keySet().stream()
                    .filter(p -> p.endsWith("steps=" + steps))
                    .toList();
            double[][] before = new double[2][points.size()];
            double[][] after = new double[2][points.size()];
            for (int i = 0; i < points.size(); i++) {
                SeedStats params = results.stats(points.get(i), "parameters");
                SeedStats b = results.stats(points.get(i), "ece_equal_mass");
                SeedStats a = results.stats(points.get(i), "ece_equal_mass_ts");
                before[0][i] = after[0][i] = params == null ? Double.NaN : params.mean();
                before[1][i] = b == null ? Double.NaN : b.mean();
                after[1][i] = a == null ? Double.NaN : a.mean();
            }
            ece.put(steps + " steps, T = 1", before);
            ece.put(steps + " steps, scaled", after);
            // smallest against largest model at this budget: does the gap exceed seed noise?
            SeedStats small = results.stats(points.get(0), "ece_equal_mass");
            SeedStats large = results.stats(points.get(points.size() - 1), "ece_equal_mass");
            if (small != null && large != null) {
                double[] d = SeedStats.difference(small, large);
                bySteps.put(steps, Map.of("ece_largest_minus_smallest", d[0], "half_width_95", d[1]));
                md.append(String.format(
                        Locale.ROOT,
                        "%s steps: ECE (equal-mass) of the largest minus the smallest model %+.4f ± %.4f%s%n",
                        steps,
                        d[0],
                        d[1],
                        Math.abs(d[0]) > d[1] ? " (exceeds seed noise)" : " (within seed noise)"));
            }
            if (steps.equals(last)) {
                for (SweepRunner.Outcome o : results.outcomes()) {
                    if (o.ok() && o.trial().seed() == 1 && o.trial().point().endsWith("steps=" + steps)) {
                        reliability.put("." + o.trial().labels().get("size"), new double[][] {
                            toArray(o.summary().get("reliability_confidence")),
                            toArray(o.summary().get("reliability_accuracy"))
                        });
                    }
                }
            }
        }
        s.put("by_steps", bySteps);
        Plots.lines(
                dir.resolve("ece_vs_size.png"),
                "Equal-mass ECE (15 bins, held-out half) against parameters",
                "parameters",
                "ECE",
                true,
                false,
                ece);
        Plots.lines(
                dir.resolve("reliability.png"),
                "Reliability at the longest budget, seed 1, T = 1",
                "confidence",
                "accuracy",
                false,
                false,
                reliability);
        Files.writeString(dir.resolve("calibration.md"), md);
        System.out.print(results.markdown(4) + "\n" + md);
        return finish(s);
    }

    private static double[] toArray(Object list) {
        if (!(list instanceof List<?> l)) {
            return new double[0];
        }
        return l.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
