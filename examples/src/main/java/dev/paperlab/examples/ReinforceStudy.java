package dev.paperlab.examples;

import ai.djl.ndarray.NDManager;
import dev.paperlab.datasets.envs.DiscreteEnv;
import dev.paperlab.models.reinforce.Baseline;
import dev.paperlab.models.reinforce.GradientStudy;
import dev.paperlab.models.reinforce.ReinforceConfig;
import dev.paperlab.models.reinforce.ReinforceTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The baseline study of the {@code reinforce} command ({@code --study-seeds N}): learning curves of
 * every baseline over N seeds (mean +- std of the running reward per episode, {@code
 * baselines.png}), and, at one fixed policy, each baseline's gradient variance and its bias against
 * a many-sample reference (the no-baseline estimator with ten times the estimates).
 */
final class ReinforceStudy {
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
    };

    private ReinforceStudy() {}

    /**
     * @param configFor the agent settings for a baseline (K >= 2 for RLOO)
     * @param base the run configuration of the command (seed, device, output, budget)
     * @return per-baseline episodes to solve and the fixed-policy variance and bias, for the summary
     */
    static Map<String, Object> run(
            Function<Baseline, ReinforceConfig> configFor,
            LongFunction<DiscreteEnv> envs,
            long updates,
            double solvedAt,
            double initialRunning,
            RunConfig base,
            int seeds,
            int estimates)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (Baseline b : Baseline.values()) {
            ReinforceConfig rc = configFor.apply(b);
            List<double[]> runs = new ArrayList<>();
            List<Long> solved = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                String name = b.toString().toLowerCase(java.util.Locale.ROOT);
                RunConfig config = RunConfig.builder()
                        .optSeed(s)
                        .optDevice(base.device())
                        .optLearningRate(base.learningRate())
                        .optOutDir(base.outDir().resolve("study/" + name + "/seed-" + s))
                        .optProgress(false)
                        .build();
                long u =
                        (updates * Math.max(1, base.batchSize()) + rc.episodesPerUpdate() - 1) / rc.episodesPerUpdate();
                try (ReinforceTask task = new ReinforceTask(rc, envs, u, solvedAt, initialRunning)) {
                    Harness.of(config).fit(task);
                    double running = initialRunning;
                    List<Double> returns = task.episodeReturns();
                    double[] curve = new double[returns.size()];
                    for (int i = 0; i < curve.length; i++) {
                        running = 0.05 * returns.get(i) + 0.95 * running;
                        curve[i] = running;
                    }
                    runs.add(curve);
                    solved.add(task.solvedEpisode());
                }
            }
            curves.put(
                    b.toString().toLowerCase(java.util.Locale.ROOT) + " (K=" + rc.episodesPerUpdate() + ")",
                    meanStd(runs));
            out.put("episodes_to_solve_" + b.toString().toLowerCase(java.util.Locale.ROOT), solved);
        }
        draw(base.outDir().resolve("baselines.png"), curves, seeds);
        out.putAll(fixedPolicy(configFor.apply(Baseline.VALUE), envs, base, estimates));
        return out;
    }

    /**
     * A fixed policy: 100 episodes of training with the value baseline (so V is fit to it), then
     * every baseline's estimator on the same episodes, K = 4 per estimate.
     */
    private static Map<String, Object> fixedPolicy(
            ReinforceConfig valueConfig, LongFunction<DiscreteEnv> envs, RunConfig base, int estimates) {
        Map<String, Object> out = new LinkedHashMap<>();
        ReinforceConfig rc = ReinforceConfig.builder()
                .optBaseline(Baseline.VALUE)
                .optGamma(valueConfig.gamma())
                .optHidden(valueConfig.hidden())
                .optEpisodesPerUpdate(4)
                .build();
        RunConfig config = RunConfig.builder()
                .optSeed(base.seed())
                .optDevice(base.device())
                .optLearningRate(base.learningRate())
                .optOutDir(base.outDir().resolve("study/fixed-policy"))
                .optProgress(false)
                .build();
        try (ReinforceTask task = new ReinforceTask(rc, envs, 25, Double.MAX_VALUE, 0);
                DiscreteEnv env = envs.apply(base.seed() ^ 0x5eedL)) {
            Harness.of(config).fit(task);
            NDManager scope = task.parts().get(0).model().getNDManager().newSubManager();
            try (scope) {
                task.agent().setRandom(new Random(base.seed()));
                // the running mean, as the mean baseline would have it: the mean return per step
                Map<Baseline, GradientStudy.Stats> ref =
                        GradientStudy.run(task.agent(), env, List.of(Baseline.NONE), 10 * estimates, 4, scope);
                double meanReturn = meanReturnPerStep(task, env);
                task.agent().setRunningMean(meanReturn, true);
                List<Baseline> all = List.of(Baseline.values());
                Map<Baseline, GradientStudy.Stats> s = GradientStudy.run(task.agent(), env, all, estimates, 4, scope);
                double none = s.get(Baseline.NONE).totalVariance();
                GradientStudy.Stats r = ref.get(Baseline.NONE);
                for (Baseline b : all) {
                    GradientStudy.Stats st = s.get(b);
                    double bias = 0;
                    double noise = 0;
                    for (int i = 0; i < st.mean().length; i++) {
                        double d = st.mean()[i] - r.mean()[i];
                        bias += d * d;
                        noise += st.variance()[i] / st.estimates() + r.variance()[i] / r.estimates();
                    }
                    String name = b.toString().toLowerCase(java.util.Locale.ROOT);
                    out.put("variance_ratio_" + name, st.totalVariance() / none);
                    // ~1 when the mean differs from the reference by noise alone (no bias)
                    out.put("bias_over_noise_" + name, Math.sqrt(bias / noise));
                }
            }
        }
        return out;
    }

    private static double meanReturnPerStep(ReinforceTask task, DiscreteEnv env) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < 20; i++) {
            for (double g : dev.paperlab.models.reinforce.Returns.discounted(
                    task.agent().rollout(env, false).rewards(),
                    task.agent().config().gamma())) {
                sum += g;
                n++;
            }
        }
        return sum / n;
    }

    /** Mean and standard deviation per episode over runs, up to the shortest run. */
    static double[][] meanStd(List<double[]> runs) {
        int n = Integer.MAX_VALUE;
        for (double[] r : runs) {
            n = Math.min(n, r.length);
        }
        double[][] ms = new double[2][n];
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (double[] r : runs) {
                m += r[i];
            }
            m /= runs.size();
            double v = 0;
            for (double[] r : runs) {
                v += (r[i] - m) * (r[i] - m);
            }
            ms[0][i] = m;
            ms[1][i] = runs.size() > 1 ? Math.sqrt(v / (runs.size() - 1)) : 0;
        }
        return ms;
    }

    private static void draw(Path png, Map<String, double[][]> curves, int seeds) throws IOException {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title("REINFORCE running reward, mean +- std over " + seeds + " seeds")
                .xAxisTitle("episode")
                .yAxisTitle("running reward")
                .build();
        int c = 0;
        for (Map.Entry<String, double[][]> e : curves.entrySet()) {
            double[] m = e.getValue()[0];
            double[] sd = e.getValue()[1];
            int n = m.length;
            double[] x = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i + 1;
                lo[i] = m[i] - sd[i];
                hi[i] = m[i] + sd[i];
            }
            Color colour = COLOURS[c++ % COLOURS.length];
            XYSeries mean = chart.addSeries(e.getKey(), x, m);
            mean.setMarker(SeriesMarkers.NONE);
            mean.setLineColor(colour);
            mean.setLineWidth(2.5f);
            Color light = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 90);
            for (double[][] band : new double[][][] {{x, lo}, {x, hi}}) {
                XYSeries s = chart.addSeries(e.getKey() + (band[1] == lo ? " -std" : " +std"), band[0], band[1]);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(light);
                s.setLineStyle(new BasicStroke(1f));
                s.setShowInLegend(false);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
