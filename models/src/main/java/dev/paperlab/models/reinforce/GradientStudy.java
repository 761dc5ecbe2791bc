package dev.paperlab.models.reinforce;

import ai.djl.ndarray.NDManager;
import dev.paperlab.datasets.envs.DiscreteEnv;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How the baseline changes the policy-gradient estimator for a fixed policy: draws {@code M}
 * independent estimates, each from {@code K} fresh episodes, and evaluates every baseline on the
 * same episodes (paired, so the variance ratios are not blurred by different samples). An
 * unbiased baseline leaves the estimator's mean where the no-baseline mean is, and a useful one
 * shrinks its variance (Sutton et al. 2000; Greensmith et al. 2004).
 */
public final class GradientStudy {
    private GradientStudy() {}

    /**
     * Per-coordinate mean and variance of one estimator over M estimates.
     *
     * @param mean mean estimate of {@code grad J}, all policy parameters flattened
     * @param variance unbiased variance of one estimate, per coordinate
     */
    public record Stats(double[] mean, double[] variance, int estimates) {
        /** Trace of the covariance: the sum of the per-coordinate variances. */
        public double totalVariance() {
            double s = 0;
            for (double v : variance) {
                s += v;
            }
            return s;
        }

        /** Standard error of {@link #mean()}, per coordinate. */
        public double standardError(int i) {
            return Math.sqrt(variance[i] / estimates);
        }
    }

    /**
     * Runs the study without changing the agent's parameters (its sampling RNG advances).
     *
     * @param estimates M >= 2
     * @param episodes K per estimate, >= 1 (>= 2 with {@link Baseline#RLOO})
     */
    public static Map<Baseline, Stats> run(
            ReinforceAgent agent,
            DiscreteEnv env,
            List<Baseline> baselines,
            int estimates,
            int episodes,
            NDManager manager) {
        if (estimates < 2) {
            throw new IllegalArgumentException("estimates must be >= 2 for a variance, got " + estimates);
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes per estimate must be >= 1, got " + episodes);
        }
        if (baselines.contains(Baseline.RLOO) && episodes < 2) {
            throw new IllegalArgumentException("baseline rloo needs at least 2 episodes per estimate, got " + episodes);
        }
        agent.refresh();
        Map<Baseline, double[]> sum = new EnumMap<>(Baseline.class);
        Map<Baseline, double[]> sumSq = new EnumMap<>(Baseline.class);
        for (int m = 0; m < estimates; m++) {
            List<Episode> batch = new ArrayList<>();
            for (int k = 0; k < episodes; k++) {
                batch.add(agent.rollout(env, false));
            }
            try (NDManager scope = manager.newSubManager()) {
                for (Baseline b : baselines) {
                    double[] g = flatten(agent.gradient(batch, b, scope));
                    double[] s = sum.computeIfAbsent(b, x -> new double[g.length]);
                    double[] q = sumSq.computeIfAbsent(b, x -> new double[g.length]);
                    for (int i = 0; i < g.length; i++) {
                        s[i] += g[i];
                        q[i] += g[i] * g[i];
                    }
                }
            }
        }
        Map<Baseline, Stats> out = new EnumMap<>(Baseline.class);
        for (Baseline b : baselines) {
            double[] s = sum.get(b);
            double[] q = sumSq.get(b);
            double[] mean = new double[s.length];
            double[] var = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                mean[i] = s[i] / estimates;
                var[i] = Math.max(0, (q[i] - estimates * mean[i] * mean[i]) / (estimates - 1));
            }
            out.put(b, new Stats(mean, var, estimates));
        }
        return out;
    }

    static double[] flatten(Map<String, double[]> grads) {
        int n = 0;
        for (double[] g : grads.values()) {
            n += g.length;
        }
        double[] out = new double[n];
        int k = 0;
        for (double[] g : grads.values()) {
            System.arraycopy(g, 0, out, k, g.length);
            k += g.length;
        }
        return out;
    }
}
