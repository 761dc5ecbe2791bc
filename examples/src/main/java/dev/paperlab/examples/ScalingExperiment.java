package dev.paperlab.examples;

import dev.paperlab.examples.derive.Plots;
import dev.paperlab.training.experiments.ScalingLaw;
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
 * Scaling laws of the char-level LM on tinyshakespeare (Kaplan et al. 2020; Hoffmann et al. 2022):
 * five sizes spanning 35x in non-embedding parameters N times several step budgets D, the fit of
 * {@code L(N, D) = E + A/N^alpha + B/D^beta} ({@link ScalingLaw}) with bootstrap intervals, the
 * compute-optimal N for budgets {@code C = 6ND}, and a held-out check: the loss of a larger model
 * predicted from the fit, then measured.
 */
@Command(
        name = "scaling",
        mixinStandardHelpOptions = true,
        description = "Scaling law of the char-level LM: fit L(N, D), exponents with bootstrap intervals,"
                + " compute-optimal N, a held-out larger model.")
public final class ScalingExperiment extends ExperimentCommand.Sub {
    /** (layers, d_model): 12.8k, 25k, 56k, 149k, 448k non-embedding parameters. */
    static final int[][] SIZES = {{1, 32}, {2, 32}, {2, 48}, {3, 64}, {4, 96}};

    /** The held-out model: 795k non-embedding parameters, 1.8x the largest fitted one. */
    static final int[] HELD_OUT = {4, 128};

    static final List<String> METRICS = List.of("val_loss", "non_embedding_parameters", "tokens_seen", "train_seconds");

    @Override
    String name() {
        return "scaling";
    }

    List<String> steps() {
        return quick ? List.of("100", "300") : List.of("250", "500", "1000", "2000");
    }

    List<Long> seeds() {
        return quick ? List.of(1L) : List.of(1L, 2L);
    }

    static Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--context", "64");
        o.put("--batch-size", "16");
        o.put("--lr", "1e-3");
        o.put("--heads", "4");
        o.put("--sample-tokens", "0");
        o.put("--no-progress", "true");
        return o;
    }

    static Map<String, String> size(int[] ld) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("name", "L" + ld[0] + "-E" + ld[1]);
        b.put("--layers", Integer.toString(ld[0]));
        b.put("--d-model", Integer.toString(ld[1]));
        return b;
    }

    Sweep fitSweep() {
        Map<String, List<Map<String, String>>> axes = new LinkedHashMap<>();
        List<Map<String, String>> sizes = new ArrayList<>();
        for (int[] s : SIZES) {
            sizes.add(size(s));
        }
        axes.put("size", sizes);
        axes.put("--steps", steps().stream().map(v -> Map.of("--steps", v)).toList());
        return new Sweep("scaling", List.of("lm"), options(), axes, seeds(), METRICS);
    }

    Sweep heldOutSweep() {
        Map<String, List<Map<String, String>>> axes = new LinkedHashMap<>();
        axes.put("size", List.of(size(HELD_OUT)));
        axes.put("--steps", List.of(Map.of("--steps", steps().get(steps().size() - 1))));
        return new Sweep("scaling-held-out", List.of("lm"), options(), axes, seeds(), METRICS);
    }

    static List<ScalingLaw.Point> points(SweepResults results) {
        List<ScalingLaw.Point> points = new ArrayList<>();
        for (SweepRunner.Outcome o : results.outcomes()) {
            if (o.ok()) {
                points.add(new ScalingLaw.Point(
                        SweepResults.value(o.summary(), "non_embedding_parameters"),
                        SweepResults.value(o.summary(), "tokens_seen"),
                        SweepResults.value(o.summary(), "val_loss")));
            }
        }
        return points;
    }

    @Override
    public Map<String, Object> runExample() throws Exception {
        long start = System.nanoTime();
        Path dir = outDir();
        SweepResults fit = run(fitSweep(), dir);
        SweepResults held = run(heldOutSweep(), dir.resolve("held-out"));
        List<ScalingLaw.Point> points = points(fit);
        if (points.size() < 5) {
            throw new IllegalStateException(
                    "only " + points.size() + " trials finished; the fit needs 5: " + fit.failures());
        }
        ScalingLaw.Bootstrap b = ScalingLaw.bootstrap(points, quick ? 100 : 400, 1);
        ScalingLaw law = b.law();
        Map<String, Object> s = summary(fit, start);
        s.put("points", points.size());
        s.put("E", law.irreducible());
        s.put("A", Math.exp(law.a()));
        s.put("B", Math.exp(law.b()));
        s.put("alpha", law.alpha());
        s.put("alpha_95", List.of(b.alpha().low(), b.alpha().high()));
        s.put("beta", law.beta());
        s.put("beta_95", List.of(b.beta().low(), b.beta().high()));
        s.put("E_95", List.of(b.irreducible().low(), b.irreducible().high()));
        Map<String, Object> optimal = new LinkedHashMap<>();
        for (double c : budgets()) {
            double[] nd = law.computeOptimal(c);
            optimal.put(
                    String.format(Locale.ROOT, "%.0e", c),
                    Map.of("N", nd[0], "D", nd[1], "loss", law.predict(nd[0], nd[1])));
        }
        s.put("compute_optimal", optimal);
        List<ScalingLaw.Point> heldPoints = points(held);
        if (!heldPoints.isEmpty()) {
            ScalingLaw.Point h = heldPoints.get(0);
            SeedStats measured = SeedStats.of(
                    heldPoints.stream().mapToDouble(ScalingLaw.Point::loss).toArray());
            double[] predicted = b.resamples().stream()
                    .mapToDouble(r -> r.predict(h.n(), h.d()))
                    .sorted()
                    .toArray();
            s.put(
                    "held_out",
                    Map.of(
                            "N", h.n(),
                            "D", h.d(),
                            "predicted", law.predict(h.n(), h.d()),
                            "predicted_95",
                                    List.of(
                                            predicted[(int) (0.025 * (predicted.length - 1))],
                                            predicted[(int) Math.ceil(0.975 * (predicted.length - 1))]),
                            "measured", measured.mean(),
                            "measured_seeds", measured.n()));
        }
        plots(dir, points, heldPoints, law);
        Files.writeString(dir.resolve("fit.md"), fitTable(s));
        System.out.print(fitTable(s));
        return finish(s);
    }

    /** FLOP budgets around the sweep's own (about 1e10 to 1e12 at the quick sizes). */
    static double[] budgets() {
        return new double[] {1e10, 1e11, 1e12, 1e13};
    }

    private void plots(Path dir, List<ScalingLaw.Point> points, List<ScalingLaw.Point> held, ScalingLaw law) {
        Map<String, double[][]> lossVsN = new LinkedHashMap<>();
        double nMin = points.stream().mapToDouble(ScalingLaw.Point::n).min().orElse(1e4) / 1.5;
        double nMax = Math.max(
                        points.stream().mapToDouble(ScalingLaw.Point::n).max().orElse(1e6),
                        held.stream().mapToDouble(ScalingLaw.Point::n).max().orElse(0))
                * 1.5;
        for (double d : points.stream()
                .mapToDouble(ScalingLaw.Point::d)
                .distinct()
                .sorted()
                .toArray()) {
            List<ScalingLaw.Point> at = points.stream().filter(p -> p.d() == d).toList();
            String label = String.format(Locale.ROOT, "D = %.2g tokens", d);
            lossVsN.put("." + label, new double[][] {
                at.stream().mapToDouble(ScalingLaw.Point::n).toArray(),
                at.stream().mapToDouble(ScalingLaw.Point::loss).toArray()
            });
            lossVsN.put("fit, " + label, curve(nMin, nMax, n -> law.predict(n, d)));
        }
        if (!held.isEmpty()) {
            lossVsN.put(".held-out (not fitted)", new double[][] {
                held.stream().mapToDouble(ScalingLaw.Point::n).toArray(),
                held.stream().mapToDouble(ScalingLaw.Point::loss).toArray()
            });
        }
        Plots.lines(
                dir.resolve("loss_vs_n.png"),
                "Validation loss against non-embedding parameters",
                "N",
                "val loss (nats/char)",
                true,
                false,
                lossVsN);
        Map<String, double[][]> iso = new LinkedHashMap<>();
        double[] budgets = budgets();
        double[][] frontier = new double[2][budgets.length];
        for (int i = 0; i < budgets.length; i++) {
            double c = budgets[i];
            double[] nd = law.computeOptimal(c);
            // a factor 4 either side of the optimum shows the valley without the walls' huge values
            iso.put(
                    String.format(Locale.ROOT, "C = %.0e FLOPs", c),
                    curve(nd[0] / 4, nd[0] * 4, n -> law.predict(n, c / (6 * n))));
            frontier[0][i] = nd[0];
            frontier[1][i] = law.predict(nd[0], nd[1]);
        }
        iso.put(".compute-optimal N", frontier);
        Plots.lines(
                dir.resolve("isoflop.png"),
                "Fitted loss along iso-FLOP curves C = 6ND",
                "N",
                "predicted val loss",
                true,
                false,
                iso);
    }

    private static double[][] curve(double from, double to, java.util.function.DoubleUnaryOperator f) {
        int k = 60;
        double[][] xy = new double[2][k];
        for (int i = 0; i < k; i++) {
            xy[0][i] = from * Math.pow(to / from, i / (k - 1.0));
            xy[1][i] = f.applyAsDouble(xy[0][i]);
        }
        return xy;
    }

    @SuppressWarnings("unchecked") // the summary's own maps
    static String fitTable(Map<String, Object> s) {
        StringBuilder md = new StringBuilder();
        List<Double> a95 = (List<Double>) s.get("alpha_95");
        List<Double> b95 = (List<Double>) s.get("beta_95");
        List<Double> e95 = (List<Double>) s.get("E_95");
        md.append(String.format(
                Locale.ROOT,
                "| parameter | fit | bootstrap 95%% |%n|---|---|---|%n| alpha | %.3f | [%.3f, %.3f] |%n| beta | %.3f | [%.3f, %.3f] |%n| E | %.3f | [%.3f, %.3f] |%n| A | %.4g | |%n| B | %.4g | |%n%n",
                s.get("alpha"),
                a95.get(0),
                a95.get(1),
                s.get("beta"),
                b95.get(0),
                b95.get(1),
                s.get("E"),
                e95.get(0),
                e95.get(1),
                s.get("A"),
                s.get("B")));
        md.append("| budget C (FLOPs) | compute-optimal N | D | predicted loss |\n|---|---|---|---|\n");
        ((Map<String, Map<String, Double>>) s.get("compute_optimal"))
                .forEach((c, v) -> md.append(String.format(
                        Locale.ROOT, "| %s | %.3g | %.3g | %.3f |%n", c, v.get("N"), v.get("D"), v.get("loss"))));
        if (s.get("held_out") instanceof Map<?, ?> h) {
            List<Double> p95 = (List<Double>) h.get("predicted_95");
            md.append(String.format(
                    Locale.ROOT,
                    "%nheld-out model (N = %.3g, D = %.3g): predicted %.3f [%.3f, %.3f], measured %.3f (%s seeds)%n",
                    h.get("N"),
                    h.get("D"),
                    h.get("predicted"),
                    p95.get(0),
                    p95.get(1),
                    h.get("measured"),
                    h.get("measured_seeds")));
        }
        return md.toString();
    }
}
