package dev.paperlab.training.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The parametric loss of Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models",
 * Eq. 2): {@code L(N, D) = E + A / N^alpha + B / D^beta}, with N the (non-embedding) parameters and
 * D the training tokens, fitted by their Approach 3 (Sec. 3.3, App. D.2): with {@code A = e^a, B =
 * e^b, E = e^e}, minimise
 *
 * <pre>sum_i Huber_delta( LSE(a - alpha log N_i, b - beta log D_i, e) - log L_i ),  delta = 1e-3</pre>
 *
 * by {@link Lbfgs} from every point of their grid of initialisations (alpha, beta in {0, 0.5, ...,
 * 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}) and keeping the best. Confidence intervals
 * come from the bootstrap (refits on runs resampled with replacement, percentile intervals).
 * {@link #computeOptimal} is their Eq. 4: minimising L under {@code C = 6 N D} gives {@code N_opt
 * = G (C/6)^(beta/(alpha+beta))}, {@code G = (alpha A / (beta B))^(1/(alpha+beta))}.
 *
 * @param e log E, the irreducible loss
 * @param a log A
 * @param b log B
 * @param alpha exponent of N
 * @param beta exponent of D
 */
public record ScalingLaw(double e, double a, double b, double alpha, double beta) {
    /** Huber threshold of the paper (in log-loss). */
    public static final double DELTA = 1e-3;

    /** One measured run: size, tokens and final loss. */
    public record Point(double n, double d, double loss) {
        public Point {
            if (!(n > 0 && d > 0 && loss > 0)) {
                throw new IllegalArgumentException(
                        "a scaling point needs N > 0, D > 0 and loss > 0, got N=" + n + " D=" + d + " L=" + loss);
            }
        }
    }

    /** Bootstrap percentile interval of one parameter. */
    public record Interval(double low, double high) {}

    /**
     * A fit with bootstrap intervals.
     *
     * @param law the fit on all points
     * @param alpha 95% interval of alpha
     * @param beta 95% interval of beta
     * @param irreducible 95% interval of E
     * @param resamples the refits of the bootstrap
     */
    public record Bootstrap(
            ScalingLaw law, Interval alpha, Interval beta, Interval irreducible, List<ScalingLaw> resamples) {}

    /** E. */
    public double irreducible() {
        return Math.exp(e);
    }

    /** L(N, D). */
    public double predict(double n, double d) {
        return Math.exp(e) + Math.exp(a - alpha * Math.log(n)) + Math.exp(b - beta * Math.log(d));
    }

    /** {@code {N_opt, D_opt}} for compute {@code c = 6 N D} FLOPs (Eq. 4). */
    public double[] computeOptimal(double c) {
        double g = Math.pow(alpha * Math.exp(a) / (beta * Math.exp(b)), 1 / (alpha + beta));
        double n = g * Math.pow(c / 6, beta / (alpha + beta));
        return new double[] {n, c / (6 * n)};
    }

    /** Fits from the paper's full grid of 4,500 initialisations. */
    public static ScalingLaw fit(List<Point> points) {
        return fit(points, grid());
    }

    /** Fits from each of {@code starts} ({@code {e, a, b, alpha, beta}}) and keeps the lowest objective. */
    public static ScalingLaw fit(List<Point> points, List<double[]> starts) {
        if (points.size() < 5) {
            throw new IllegalArgumentException("fitting 5 parameters needs at least 5 points, got " + points.size());
        }
        double[] logN = new double[points.size()];
        double[] logD = new double[points.size()];
        double[] logL = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            logN[i] = Math.log(points.get(i).n());
            logD[i] = Math.log(points.get(i).d());
            logL[i] = Math.log(points.get(i).loss());
        }
        Lbfgs.Objective objective = (x, grad) -> objective(x, grad, logN, logD, logL);
        Lbfgs lbfgs = new Lbfgs(10, 300, 1e-10, 1e-13);
        double best = Double.POSITIVE_INFINITY;
        double[] bestX = null;
        for (double[] start : starts) {
            Lbfgs.Result r = lbfgs.minimize(objective, start);
            if (r.value() < best) {
                best = r.value();
                bestX = r.x();
            }
        }
        return new ScalingLaw(bestX[0], bestX[1], bestX[2], bestX[3], bestX[4]);
    }

    /**
     * Fits on all points, then on {@code resamples} bootstrap resamples (each started from the
     * full fit and a coarse grid), and returns 95% percentile intervals.
     */
    public static Bootstrap bootstrap(List<Point> points, int resamples, long seed) {
        if (resamples < 2) {
            throw new IllegalArgumentException("resamples must be >= 2, got " + resamples);
        }
        ScalingLaw law = fit(points);
        List<double[]> starts = new ArrayList<>(coarseGrid());
        starts.add(new double[] {law.e, law.a, law.b, law.alpha, law.beta});
        Random random = new Random(seed);
        List<ScalingLaw> fits = new ArrayList<>();
        for (int r = 0; r < resamples; r++) {
            List<Point> sample = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                sample.add(points.get(random.nextInt(points.size())));
            }
            fits.add(fit(sample, starts));
        }
        return new Bootstrap(
                law,
                percentiles(fits.stream().mapToDouble(ScalingLaw::alpha).toArray()),
                percentiles(fits.stream().mapToDouble(ScalingLaw::beta).toArray()),
                percentiles(fits.stream().mapToDouble(ScalingLaw::irreducible).toArray()),
                fits);
    }

    /** The 2.5th and 97.5th percentiles (linear interpolation between order statistics). */
    static Interval percentiles(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return new Interval(quantile(v, 0.025), quantile(v, 0.975));
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The objective and its gradient in {@code (e, a, b, alpha, beta)}. */
    static double objective(double[] x, double[] grad, double[] logN, double[] logD, double[] logL) {
        Arrays.fill(grad, 0);
        double total = 0;
        for (int i = 0; i < logN.length; i++) {
            double t1 = x[1] - x[3] * logN[i];
            double t2 = x[2] - x[4] * logD[i];
            double t3 = x[0];
            double m = Math.max(t1, Math.max(t2, t3));
            double w1 = Math.exp(t1 - m);
            double w2 = Math.exp(t2 - m);
            double w3 = Math.exp(t3 - m);
            double z = w1 + w2 + w3;
            double r = m + Math.log(z) - logL[i]; // LSE - log L
            double psi;
            if (Math.abs(r) <= DELTA) {
                total += 0.5 * r * r;
                psi = r;
            } else {
                total += DELTA * (Math.abs(r) - 0.5 * DELTA);
                psi = Math.signum(r) * DELTA;
            }
            // d LSE / d t_j = softmax weight w_j / z
            grad[0] += psi * w3 / z;
            grad[1] += psi * w1 / z;
            grad[2] += psi * w2 / z;
            grad[3] -= psi * w1 / z * logN[i];
            grad[4] -= psi * w2 / z * logD[i];
        }
        return total;
    }

    /** The paper's grid of initialisations ({@code {e, a, b, alpha, beta}}). */
    static List<double[]> grid() {
        List<double[]> g = new ArrayList<>();
        for (double alpha = 0; alpha <= 2; alpha += 0.5) {
            for (double beta = 0; beta <= 2; beta += 0.5) {
                for (double e = -1; e <= 1; e += 0.5) {
                    for (double a = 0; a <= 25; a += 5) {
                        for (double b = 0; b <= 25; b += 5) {
                            g.add(new double[] {e, a, b, alpha, beta});
                        }
                    }
                }
            }
        }
        return g;
    }

    private static List<double[]> coarseGrid() {
        List<double[]> g = new ArrayList<>();
        for (double alpha : new double[] {0.5, 1}) {
            for (double beta : new double[] {0.5, 1}) {
                for (double a : new double[] {5, 15}) {
                    for (double b : new double[] {5, 15}) {
                        g.add(new double[] {0, a, b, alpha, beta});
                    }
                }
            }
        }
        return g;
    }
}
