package dev.paperlab.framework.math;

import java.util.Random;

/**
 * Differential entropy of a one-dimensional Gaussian mixture (#20) {@code f(x) = sum_i w_i N(x;
 * m_i, s_i^2)}, which has no closed form. Three ways to get at it, in nats:
 *
 * <pre>
 *   Monte Carlo     H ~ -(1/n) sum_t log f(x_t),  x_t ~ f,   standard error sd(log f) / sqrt(n)
 *   quadrature      H = -int f log f dx   (composite Simpson on m_i +- 12 s_i; the ground truth)
 *   bounds          sum_i w_i H_i  <=  H_BD  <=  H  <=  H_KL  <=  sum_i w_i H_i + H(w)
 *   with  H_D = sum_i w_i H_i - sum_i w_i log sum_j w_j exp(-D(p_i || p_j)),  H_i = 1/2 log(2 pi e s_i^2)
 * </pre>
 *
 * <p>The pairwise bounds are Kolchinsky &amp; Tracey, 2017, "Estimating Mixture Entropy with
 * Pairwise Distances" (Thm. 2 and 3): any distance between D_BD = Bhattacharyya (a Chernoff
 * alpha-divergence, alpha = 1/2) and D_KL gives an estimate between the lower and the upper bound.
 * The outer ones are conditioning ({@code H(X) >= H(X | I)}) and {@code H(X) <= H(X, I) = H(I) + H(X
 * | I)}. ({@code max_i H_i} is not a lower bound: a narrow component of large weight beside a wide
 * one of tiny weight has entropy near the narrow one's.)
 */
public final class MixtureEntropy {
    private static final double LOG_2PI_E = Math.log(2 * Math.PI * Math.E);

    private final double[] w;
    private final double[] m;
    private final double[] s;

    /**
     * A mixture.
     *
     * @param weights probabilities summing to 1
     * @param means component means
     * @param sds component standard deviations, positive
     */
    public MixtureEntropy(double[] weights, double[] means, double[] sds) {
        KlDivergence.checkDistribution("weights", weights);
        if (means.length != weights.length || sds.length != weights.length) {
            throw new IllegalArgumentException("weights, means and sds must have one length, got " + weights.length
                    + ", " + means.length + ", " + sds.length);
        }
        for (int i = 0; i < sds.length; i++) {
            if (!(sds[i] > 0) || Double.isInfinite(sds[i]) || !Double.isFinite(means[i])) {
                throw new IllegalArgumentException("component " + i + " has mean " + means[i] + " and sd " + sds[i]
                        + ", expected a finite" + " mean and a finite positive sd");
            }
        }
        this.w = weights.clone();
        this.m = means.clone();
        this.s = sds.clone();
    }

    /** A Monte Carlo estimate with its standard error. */
    public record Estimate(double value, double standardError) {}

    /** {@code log f(x)}, by log-sum-exp. */
    public double logDensity(double x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double z = (x - m[i]) / s[i];
            // log 0 = -Infinity for an empty component; exp(-Infinity - max) = 0 below (max is finite:
            // the weights sum to 1, so one is positive)
            terms[i] = Math.log(w[i]) - 0.5 * z * z - Math.log(s[i]) - 0.5 * Math.log(2 * Math.PI);
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    /** Monte Carlo: {@code -(1/n) sum log f(x_t)} over n draws from the mixture. */
    public Estimate monteCarlo(int n, Random random) {
        if (n < 2) {
            throw new IllegalArgumentException("n = " + n + " samples, expected at least 2");
        }
        double mean = 0;
        double m2 = 0;
        for (int t = 0; t < n; t++) {
            double u = random.nextDouble();
            int i = 0;
            double acc = w[0];
            while (u > acc && i < w.length - 1) {
                acc += w[++i];
            }
            double x = m[i] + s[i] * random.nextGaussian();
            double v = -logDensity(x);
            double d = v - mean; // Welford
            mean += d / (t + 1);
            m2 += d * (v - mean);
        }
        return new Estimate(mean, Math.sqrt(m2 / (n - 1) / n));
    }

    /** {@code -int f log f} by composite Simpson's rule with {@code intervals} (even) pieces. */
    public double quadrature(int intervals) {
        if (intervals < 2 || intervals % 2 != 0) {
            throw new IllegalArgumentException("intervals = " + intervals + ", expected an even number >= 2");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < w.length; i++) {
            lo = Math.min(lo, m[i] - 12 * s[i]); // the tails beyond 12 sd carry < 1e-30 of the mass
            hi = Math.max(hi, m[i] + 12 * s[i]);
        }
        double h = (hi - lo) / intervals;
        double sum = 0;
        for (int j = 0; j <= intervals; j++) {
            double lf = logDensity(lo + j * h);
            double v = -Math.exp(lf) * lf;
            sum += (j == 0 || j == intervals ? 1 : (j % 2 == 1 ? 4 : 2)) * v;
        }
        return sum * h / 3;
    }

    /** {@code sum_i w_i H_i}: the entropy given the component, a lower bound. */
    public double conditionalEntropy() {
        double h = 0;
        for (int i = 0; i < w.length; i++) {
            h += w[i] * componentEntropy(i);
        }
        return h;
    }

    /** {@code sum_i w_i H_i + H(w)}: the joint entropy of value and component, an upper bound. */
    public double jointUpperBound() {
        double hw = 0;
        for (double wi : w) {
            if (wi > 0) {
                hw -= wi * Math.log(wi);
            }
        }
        return conditionalEntropy() + hw;
    }

    /** Kolchinsky &amp; Tracey's lower bound, with the Bhattacharyya distance. */
    public double bhattacharyyaLowerBound() {
        return pairwise(true);
    }

    /** Kolchinsky &amp; Tracey's upper bound, with the KL divergence. */
    public double klUpperBound() {
        return pairwise(false);
    }

    /** {@code H_i = 1/2 log(2 pi e s_i^2)}. */
    public double componentEntropy(int i) {
        return 0.5 * LOG_2PI_E + Math.log(s[i]);
    }

    private double pairwise(boolean bhattacharyya) {
        double h = conditionalEntropy();
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            double inner = 0;
            for (int j = 0; j < w.length; j++) {
                double d = bhattacharyya ? bhattacharyya(i, j) : kl(i, j);
                inner += w[j] * Math.exp(-d);
            }
            h -= w[i] * Math.log(inner);
        }
        return h;
    }

    /** {@code KL(N_i || N_j) = log(s_j/s_i) + (s_i^2 + (m_i - m_j)^2) / (2 s_j^2) - 1/2}. */
    double kl(int i, int j) {
        double dm = m[i] - m[j];
        return Math.log(s[j] / s[i]) + (s[i] * s[i] + dm * dm) / (2 * s[j] * s[j]) - 0.5;
    }

    /** {@code BD = (m_i - m_j)^2 / (4 (s_i^2 + s_j^2)) + 1/2 log((s_i^2 + s_j^2) / (2 s_i s_j))}. */
    double bhattacharyya(int i, int j) {
        double dm = m[i] - m[j];
        double v = s[i] * s[i] + s[j] * s[j];
        return dm * dm / (4 * v) + 0.5 * Math.log(v / (2 * s[i] * s[j]));
    }
}
