package dev.paperlab.training.metrics;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks", Sec. 4.2):
 * one scalar T > 0 divides every logit, {@code q = softmax(z / T)}, chosen to minimise the NLL on a
 * held-out split. The argmax, hence accuracy, is unchanged.
 *
 * <p>With {@code beta = 1/T} the NLL {@code (1/n) sum_i [logsumexp(beta z_i) - beta z_{i,y_i}]} is
 * convex in beta (a log-sum-exp of linear functions minus a linear one), with derivative {@code
 * (1/n) sum_i (E_{softmax(beta z_i)}[z_i] - z_{i,y_i})}, increasing in beta. The fit bisects that
 * derivative over {@code log beta in [-7, 7]}, and keeps T = 1 unless the minimiser found is at
 * least as good, so it never increases the NLL on the split it is fitted on.
 */
public final class TemperatureScaling {
    private static final double LOG_BETA_RANGE = 7;

    private TemperatureScaling() {}

    /** The temperature that minimises the NLL of {@code softmax(logits / T)} for {@code labels}. */
    public static double fit(double[][] logits, int[] labels) {
        if (logits.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("expected one logit row per label and at least one, got " + logits.length
                    + " rows and " + labels.length + " labels");
        }
        double lo = -LOG_BETA_RANGE;
        double hi = LOG_BETA_RANGE;
        for (int it = 0; it < 100; it++) {
            double mid = 0.5 * (lo + hi);
            if (slope(logits, labels, Math.exp(mid)) > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double t = 1 / Math.exp(0.5 * (lo + hi));
        return nll(logits, labels, t) <= nll(logits, labels, 1) ? t : 1;
    }

    /** {@code softmax(logits / t)} row by row. */
    public static double[][] probabilities(double[][] logits, double t) {
        if (!(t > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + t);
        }
        double[][] p = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (double z : logits[i]) {
                m = Math.max(m, z / t);
            }
            p[i] = new double[logits[i].length];
            double s = 0;
            for (int k = 0; k < p[i].length; k++) {
                p[i][k] = Math.exp(logits[i][k] / t - m);
                s += p[i][k];
            }
            for (int k = 0; k < p[i].length; k++) {
                p[i][k] /= s;
            }
        }
        return p;
    }

    /** Mean NLL of {@code softmax(logits / t)}, computed in log space. */
    public static double nll(double[][] logits, int[] labels, double t) {
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (double z : logits[i]) {
                m = Math.max(m, z / t);
            }
            double sum = 0;
            for (double z : logits[i]) {
                sum += Math.exp(z / t - m);
            }
            s += m + Math.log(sum) - logits[i][labels[i]] / t;
        }
        return s / labels.length;
    }

    /** d NLL / d beta at {@code beta = 1/T}. */
    private static double slope(double[][] logits, int[] labels, double beta) {
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (double z : logits[i]) {
                m = Math.max(m, beta * z);
            }
            double sum = 0;
            double weighted = 0;
            for (double z : logits[i]) {
                double w = Math.exp(beta * z - m);
                sum += w;
                weighted += w * z;
            }
            s += weighted / sum - logits[i][labels[i]];
        }
        return s / labels.length;
    }
}
