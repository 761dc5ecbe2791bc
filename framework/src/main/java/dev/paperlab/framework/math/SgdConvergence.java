package dev.paperlab.framework.math;

import java.util.Random;

/**
 * Convergence of stochastic (sub)gradient descent under convexity (#23). With {@code x_{t+1} =
 * x_t - eta_t g_t}, {@code E[g_t | x_t]} a subgradient of f at x_t, {@code E||g_t||^2 <= G^2} and
 * {@code R = ||x_1 - x*||}, expanding {@code ||x_{t+1} - x*||^2} and using convexity gives
 *
 * <pre>
 *   E[f(xbar_T)] - f* <= (R^2 + G^2 sum_t eta_t^2) / (2 sum_t eta_t),   xbar_T = sum_t eta_t x_t / sum_t eta_t
 * </pre>
 *
 * <p>which for {@code eta_t = c / sqrt(t)} decays like {@code log T / sqrt T} (slope -1/2 on a
 * log-log plot, up to the log). For a mu-strongly convex f with {@code eta_t = 1 / (mu t)} the
 * uniform average decays like {@code 1/T} (slope -1).
 *
 * <p>The convex Lipschitz instance: {@code f(x) = (1/N) sum_i ||x - xi_i||_1} over N random points
 * in d dimensions, sampled one point per step ({@code g = sign(x - xi_i)}, so {@code G^2 = d}); f*
 * is f at the coordinate-wise median. The strongly convex instance: {@code f(x) = 1/2 sum_j h_j (x_j
 * - c_j)^2} with {@code h_j in [mu, 4 mu]}, gradients with added N(0, sigma^2) noise; f* = 0.
 */
public final class SgdConvergence {

    private SgdConvergence() {}

    /**
     * Suboptimality {@code f(xbar_T) - f*} averaged over runs at each checkpoint T, its standard
     * error, and the bound at T (NaN where the bound does not apply).
     */
    public record Curve(long[] steps, double[] suboptimality, double[] standardError, double[] bound) {
        /** The least-squares slope of log suboptimality against log T. */
        public double slope() {
            return logLogSlope(steps, suboptimality);
        }
    }

    /** The convex Lipschitz instance with {@code eta_t = (R / G) / sqrt(t)}, weighted averages. */
    public static Curve convexLipschitz(int d, int points, long[] checkpoints, int runs, long seed) {
        check(d, points, checkpoints, runs);
        Random instance = new Random(seed);
        double[][] xi = new double[points][d];
        for (double[] p : xi) {
            for (int j = 0; j < d; j++) {
                p[j] = instance.nextGaussian() + 1; // x_1 = 0 is away from the median
            }
        }
        double[] median = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = new double[points];
            for (int i = 0; i < points; i++) {
                col[i] = xi[i][j];
            }
            java.util.Arrays.sort(col);
            median[j] = points % 2 == 1 ? col[points / 2] : 0.5 * (col[points / 2 - 1] + col[points / 2]);
        }
        double fStar = l1Objective(xi, median);
        double r = norm(median); // ||x_1 - x*|| with x_1 = 0
        double g = Math.sqrt(d);
        double c = r / g;
        double[][] gaps = new double[runs][checkpoints.length];
        for (int run = 0; run < runs; run++) {
            Random random = new Random(seed * 31 + run + 1);
            double[] x = new double[d];
            double[] weighted = new double[d];
            double etaSum = 0;
            int next = 0;
            for (long t = 1; next < checkpoints.length; t++) {
                double eta = c / Math.sqrt(t);
                for (int j = 0; j < d; j++) {
                    weighted[j] += eta * x[j];
                }
                etaSum += eta;
                if (t == checkpoints[next]) {
                    double[] avg = new double[d];
                    for (int j = 0; j < d; j++) {
                        avg[j] = weighted[j] / etaSum;
                    }
                    gaps[run][next++] = l1Objective(xi, avg) - fStar;
                }
                double[] p = xi[random.nextInt(points)];
                for (int j = 0; j < d; j++) {
                    x[j] -= eta * Math.signum(x[j] - p[j]);
                }
            }
        }
        double[] bound = new double[checkpoints.length];
        double etaSum = 0;
        double eta2Sum = 0;
        int next = 0;
        for (long t = 1; next < checkpoints.length; t++) {
            double eta = c / Math.sqrt(t);
            etaSum += eta;
            eta2Sum += eta * eta;
            if (t == checkpoints[next]) {
                bound[next++] = (r * r + g * g * eta2Sum) / (2 * etaSum);
            }
        }
        return summarize(checkpoints, gaps, bound);
    }

    /** The strongly convex instance with {@code eta_t = 1 / (mu t)}, uniform averages. */
    public static Curve stronglyConvex(int d, double mu, double noiseSd, long[] checkpoints, int runs, long seed) {
        check(d, 1, checkpoints, runs);
        if (!(mu > 0)) {
            throw new IllegalArgumentException("mu = " + mu + ", expected > 0");
        }
        Random instance = new Random(seed);
        double[] h = new double[d];
        double[] center = new double[d];
        for (int j = 0; j < d; j++) {
            h[j] = mu * (1 + 3 * instance.nextDouble());
            center[j] = instance.nextGaussian() + 1;
        }
        h[0] = mu; // mu is the strong-convexity constant exactly
        double[][] gaps = new double[runs][checkpoints.length];
        for (int run = 0; run < runs; run++) {
            Random random = new Random(seed * 31 + run + 1);
            double[] x = new double[d];
            double[] sum = new double[d];
            int next = 0;
            for (long t = 1; next < checkpoints.length; t++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += x[j];
                }
                if (t == checkpoints[next]) {
                    double f = 0;
                    for (int j = 0; j < d; j++) {
                        double e = sum[j] / t - center[j];
                        f += 0.5 * h[j] * e * e;
                    }
                    gaps[run][next++] = f;
                }
                double eta = 1 / (mu * t);
                for (int j = 0; j < d; j++) {
                    x[j] -= eta * (h[j] * (x[j] - center[j]) + noiseSd * random.nextGaussian());
                }
            }
        }
        double[] bound = new double[checkpoints.length];
        java.util.Arrays.fill(bound, Double.NaN);
        return summarize(checkpoints, gaps, bound);
    }

    /** Least-squares slope of {@code log y} against {@code log t}. */
    public static double logLogSlope(long[] t, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < t.length; i++) {
            mx += Math.log(t[i]);
            my += Math.log(y[i]);
        }
        mx /= t.length;
        my /= t.length;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < t.length; i++) {
            double dx = Math.log(t[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    private static Curve summarize(long[] steps, double[][] gaps, double[] bound) {
        int k = steps.length;
        double[] mean = new double[k];
        double[] se = new double[k];
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (double[] run : gaps) {
                s += run[i];
            }
            mean[i] = s / gaps.length;
            double v = 0;
            for (double[] run : gaps) {
                v += (run[i] - mean[i]) * (run[i] - mean[i]);
            }
            se[i] = gaps.length > 1 ? Math.sqrt(v / (gaps.length - 1) / gaps.length) : Double.NaN;
        }
        return new Curve(steps.clone(), mean, se, bound);
    }

    private static double l1Objective(double[][] xi, double[] x) {
        double s = 0;
        for (double[] p : xi) {
            for (int j = 0; j < x.length; j++) {
                s += Math.abs(x[j] - p[j]);
            }
        }
        return s / xi.length;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void check(int d, int points, long[] checkpoints, int runs) {
        if (d < 1 || points < 1 || runs < 1) {
            throw new IllegalArgumentException("d " + d + ", points " + points + ", runs " + runs + ": expected >= 1");
        }
        for (int i = 0; i < checkpoints.length; i++) {
            if (checkpoints[i] < 1 || (i > 0 && checkpoints[i] <= checkpoints[i - 1])) {
                throw new IllegalArgumentException(
                        "checkpoints must be increasing and >= 1, got " + checkpoints[i] + " at index " + i);
            }
        }
    }
}
