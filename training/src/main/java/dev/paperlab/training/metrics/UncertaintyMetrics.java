package dev.paperlab.training.metrics;

import java.util.Arrays;

/**
 * Scores of a classifier's predictive distribution, as used to evaluate MC dropout (Gal &amp;
 * Ghahramani 2016, Sec. 5).
 *
 * <ul>
 *   <li>{@link #meanProbabilities}: the MC predictive {@code p(y|x) ~ (1/T) sum_t p_t(y|x)} from T
 *       stochastic passes (their Eq. 8, for classification).
 *   <li>{@link #predictiveEntropy}: {@code H[p] = -sum_k p_k log p_k} of that mean; at most {@code
 *       log K}, reached by the uniform distribution.
 *   <li>{@link #predictiveVariance}: the across-pass variance {@code (1/T) sum_t (p_tk - p_k)^2},
 *       averaged over the K classes.
 *   <li>{@link #negativeLogLikelihood}: mean of {@code -log p_y}.
 *   <li>{@link #expectedCalibrationError}: {@code sum_b (|B_b|/n) |acc(B_b) - conf(B_b)|} over
 *       equal-width confidence bins {@code ((b-1)/B, b/B]} (Guo et al. 2017, Eq. 3), confidence
 *       being the top class probability.
 *   <li>{@link #auroc}: area under the ROC curve of a score separating positives from negatives,
 *       by the Mann-Whitney statistic {@code U / (n_pos n_neg)} with mid-ranks for ties, i.e. the
 *       probability that a random positive outscores a random negative, ties counting one half.
 * </ul>
 *
 * <p>Equal-mass bins, the debiased calibration error, the Brier score and temperature scaling are
 * in {@link Calibration} and {@link TemperatureScaling}.
 */
public final class UncertaintyMetrics {
    /** Floor under probabilities inside a logarithm: a float softmax can round a class to 0. */
    private static final double LOG_FLOOR = 1e-12;

    private UncertaintyMetrics() {}

    /**
     * The mean over passes.
     *
     * @param stacked {@code [T][N][K]} class probabilities of T passes over N examples
     * @return {@code [N][K]}
     */
    public static double[][] meanProbabilities(double[][][] stacked) {
        int[] tnk = checkStacked(stacked);
        double[][] mean = new double[tnk[1]][tnk[2]];
        for (double[][] pass : stacked) {
            for (int i = 0; i < tnk[1]; i++) {
                for (int k = 0; k < tnk[2]; k++) {
                    mean[i][k] += pass[i][k] / tnk[0];
                }
            }
        }
        return mean;
    }

    /** Entropy (nats) of each row of {@code probabilities} ({@code [N][K]}). */
    public static double[] entropy(double[][] probabilities) {
        double[] h = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            checkRow(probabilities[i], i);
            for (double p : probabilities[i]) {
                h[i] -= p > 0 ? p * Math.log(p) : 0; // 0 log 0 = 0
            }
        }
        return h;
    }

    /** Entropy of the MC predictive distribution of each example; {@code stacked} is {@code [T][N][K]}. */
    public static double[] predictiveEntropy(double[][][] stacked) {
        return entropy(meanProbabilities(stacked));
    }

    /**
     * Mutual information between the prediction and the weights, {@code I[y; W | x] = H[mean_t p_t]
     * - mean_t H[p_t]} (Houlsby et al. 2011, "BALD"; Gal 2016, Sec. 3.3.1): the part of the
     * predictive entropy that comes from the passes disagreeing, not from each pass's own noise.
     * Non-negative by the concavity of entropy.
     */
    public static double[] mutualInformation(double[][][] stacked) {
        int[] tnk = checkStacked(stacked);
        double[] mi = predictiveEntropy(stacked);
        for (double[][] pass : stacked) {
            double[] h = entropy(pass);
            for (int i = 0; i < tnk[1]; i++) {
                mi[i] -= h[i] / tnk[0];
            }
        }
        return mi;
    }

    /** Across-pass variance of each class probability, averaged over classes, per example. */
    public static double[] predictiveVariance(double[][][] stacked) {
        int[] tnk = checkStacked(stacked);
        double[][] mean = meanProbabilities(stacked);
        double[] v = new double[tnk[1]];
        for (double[][] pass : stacked) {
            for (int i = 0; i < tnk[1]; i++) {
                for (int k = 0; k < tnk[2]; k++) {
                    double d = pass[i][k] - mean[i][k];
                    v[i] += d * d / ((double) tnk[0] * tnk[2]);
                }
            }
        }
        return v;
    }

    /** Mean of {@code -log max(p_y, 1e-12)} over examples. */
    public static double negativeLogLikelihood(double[][] probabilities, int[] labels) {
        checkLabelled(probabilities, labels);
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            s -= Math.log(Math.max(probabilities[i][labels[i]], LOG_FLOOR));
        }
        return s / labels.length;
    }

    /** Fraction of examples whose top class (lowest index among ties) is the label. */
    public static double accuracy(double[][] probabilities, int[] labels) {
        checkLabelled(probabilities, labels);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += argmax(probabilities[i]) == labels[i] ? 1 : 0;
        }
        return correct / (double) labels.length;
    }

    /** Expected calibration error over {@code bins} equal-width bins of the top-class confidence. */
    public static double expectedCalibrationError(double[][] probabilities, int[] labels, int bins) {
        checkLabelled(probabilities, labels);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] confidence = new double[bins];
        double[] correct = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < labels.length; i++) {
            int top = argmax(probabilities[i]);
            double c = probabilities[i][top];
            // bin b holds (b/B, (b+1)/B]; confidence 0 cannot occur for a distribution but goes to bin 0
            int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(c * bins) - 1));
            confidence[b] += c;
            correct[b] += top == labels[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / labels.length; // (|B|/n) |acc - conf|
            }
        }
        return ece;
    }

    /**
     * AUROC of {@code score} for telling positives from negatives (higher score = more positive).
     *
     * @param negatives scores of the negative examples (e.g. in-distribution)
     * @param positives scores of the positive examples (e.g. out-of-distribution)
     * @return in [0, 1]: 1 when every positive outscores every negative, 0.5 for all ties
     */
    public static double auroc(double[] negatives, double[] positives) {
        if (negatives.length == 0 || positives.length == 0) {
            throw new IllegalArgumentException("auroc needs at least one negative and one positive, got "
                    + negatives.length + " and " + positives.length);
        }
        int n = negatives.length + positives.length;
        double[] all = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            all[i] = i < negatives.length ? negatives[i] : positives[i - negatives.length];
            if (Double.isNaN(all[i])) {
                throw new IllegalArgumentException("auroc scores must not be NaN (index " + i + ")");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double positiveRankSum = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && all[order[end + 1]] == all[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (int j = start; j <= end; j++) {
                if (order[j] >= negatives.length) {
                    positiveRankSum += midRank;
                }
            }
            start = end + 1;
        }
        double np = positives.length;
        double u = positiveRankSum - np * (np + 1) / 2;
        return u / (np * negatives.length);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static void checkRow(double[] row, int i) {
        for (int k = 0; k < row.length; k++) {
            if (!(row[k] >= 0 && row[k] <= 1)) {
                throw new IllegalArgumentException(
                        "probabilities must lie in [0, 1], got " + row[k] + " at [" + i + "][" + k + "]");
            }
        }
    }

    static void checkLabelled(double[][] probabilities, int[] labels) {
        if (probabilities.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("expected one probability row per label and at least one, got "
                    + probabilities.length + " rows and " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            checkRow(probabilities[i], i);
            if (labels[i] < 0 || labels[i] >= probabilities[i].length) {
                throw new IllegalArgumentException(
                        "label must be in [0, " + probabilities[i].length + "), got " + labels[i] + " at index " + i);
            }
        }
    }

    private static int[] checkStacked(double[][][] stacked) {
        if (stacked.length == 0 || stacked[0].length == 0 || stacked[0][0].length == 0) {
            throw new IllegalArgumentException("stacked probabilities must be non-empty [T][N][K]");
        }
        int n = stacked[0].length;
        int k = stacked[0][0].length;
        for (int t = 0; t < stacked.length; t++) {
            if (stacked[t].length != n) {
                throw new IllegalArgumentException(
                        "pass " + t + " has " + stacked[t].length + " examples, expected " + n);
            }
            for (int i = 0; i < n; i++) {
                if (stacked[t][i].length != k) {
                    throw new IllegalArgumentException(
                            "pass " + t + " example " + i + " has " + stacked[t][i].length + " classes, expected " + k);
                }
                checkRow(stacked[t][i], i);
            }
        }
        return new int[] {stacked.length, n, k};
    }
}
