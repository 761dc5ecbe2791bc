package dev.paperlab.framework.math;

/**
 * Gibbs' inequality (#19): {@code KL(p || q) >= 0}, with equality exactly when {@code p = q}.
 *
 * <pre>
 *   KL(p || q) = sum_i p_i log(p_i / q_i)                       (discrete; 0 log 0 = 0)
 *   -KL = E_p[log(q/p)] <= log E_p[q/p] = log sum_{i: p_i > 0} q_i <= log 1 = 0   (Jensen, log concave)
 *   KL(N0 || N1) = 1/2 [ tr(S1^-1 S0) + (m1 - m0)^T S1^-1 (m1 - m0) - k + log det S1 - log det S0 ]
 * </pre>
 *
 * <p>Jensen's step is an equality only when {@code q/p} is constant on the support of {@code p},
 * and the last one only when {@code q} puts all its mass there: together, {@code q = p}. {@link
 * #jensenStep} returns both sides of the first inequality so that a check can show the gap.
 * Legend: k dimension, S covariance (k, k), m mean (k).
 */
public final class KlDivergence {

    /** Sums of probabilities must be 1 to within this (rounding of a few hundred additions). */
    static final double SUM_TOLERANCE = 1e-9;

    private KlDivergence() {}

    /** The two sides of Jensen's step for {@code -KL(p || q)}: {@code lhs <= rhs <= 0}. */
    public record JensenStep(double expectedLogRatio, double logExpectedRatio) {}

    /**
     * {@code KL(p || q)} in nats; {@code +Infinity} when {@code q_i = 0 < p_i}.
     *
     * @param p a probability vector
     * @param q a probability vector of the same length
     */
    public static double discrete(double[] p, double[] q) {
        checkDistributions(p, q);
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                kl += p[i] * Math.log(p[i] / q[i]);
            }
        }
        return kl;
    }

    /**
     * Both sides of Jensen's inequality {@code E_p[log(q/p)] <= log E_p[q/p]} over the support of
     * {@code p}; the left side is {@code -KL(p || q)}.
     */
    public static JensenStep jensenStep(double[] p, double[] q) {
        checkDistributions(p, q);
        double expectedLog = 0;
        double expectedRatio = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                expectedLog += p[i] * Math.log(q[i] / p[i]);
                expectedRatio += q[i]; // p_i * (q_i / p_i)
            }
        }
        return new JensenStep(expectedLog, Math.log(expectedRatio));
    }

    /**
     * {@code KL(N(m0, S0) || N(m1, S1))} in closed form, through Cholesky factors of both
     * covariances.
     *
     * @throws IllegalArgumentException when a covariance is not symmetric positive definite
     */
    @SuppressWarnings({"checkstyle:ParameterName", "checkstyle:LocalVariableName"}) // paper letters
    public static double gaussian(double[] m0, double[][] S0, double[] m1, double[][] S1) {
        int k = m0.length;
        if (m1.length != k) {
            throw new IllegalArgumentException("mean m1 has length " + m1.length + ", expected " + k + " (as m0)");
        }
        double[][] L0 = Cholesky.factor("S0", S0, k);
        double[][] L1 = Cholesky.factor("S1", S1, k);
        // tr(S1^-1 S0) = ||L1^-1 L0||_F^2, since S0 = L0 L0^T
        double trace = 0;
        for (int j = 0; j < k; j++) {
            double[] col = new double[k];
            for (int i = 0; i < k; i++) {
                col[i] = L0[i][j];
            }
            double[] x = Cholesky.solveLower(L1, col);
            for (double v : x) {
                trace += v * v;
            }
        }
        double[] diff = new double[k];
        for (int i = 0; i < k; i++) {
            diff[i] = m1[i] - m0[i];
        }
        double[] y = Cholesky.solveLower(L1, diff); // (m1-m0)^T S1^-1 (m1-m0) = ||L1^-1 (m1-m0)||^2
        double mahalanobis = 0;
        for (double v : y) {
            mahalanobis += v * v;
        }
        double logDetRatio = Cholesky.logDet(L1) - Cholesky.logDet(L0);
        return 0.5 * (trace + mahalanobis - k + logDetRatio);
    }

    /** Checks that both are probability vectors of one length: finite, non-negative, summing to 1. */
    static void checkDistributions(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("p has " + p.length + " entries but q has " + q.length);
        }
        checkDistribution("p", p);
        checkDistribution("q", q);
    }

    /** Checks one probability vector. */
    public static void checkDistribution(String name, double[] p) {
        if (p.length == 0) {
            throw new IllegalArgumentException(name + " is empty, expected a probability vector");
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] = " + p[i] + ", expected a finite non-negative probability");
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(name + " sums to " + sum + ", expected 1");
        }
    }
}
