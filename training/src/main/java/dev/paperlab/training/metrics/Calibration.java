package dev.paperlab.training.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Calibration of a classifier's top-label confidence beyond the equal-width ECE of {@link
 * UncertaintyMetrics}:
 *
 * <ul>
 *   <li>{@link #reliability}: equal-mass bins (the examples sorted by confidence, split into B
 *       bins of {@code floor(n/B)} or {@code ceil(n/B)}), each with its mean confidence, accuracy
 *       and count — the points of a reliability diagram (Guo et al. 2017, Fig. 1).
 *   <li>{@link #equalMassEce}: {@code sum_b (n_b / n) |acc_b - conf_b|} over those bins; equal mass
 *       keeps every bin's accuracy estimate equally noisy, where equal-width bins leave most
 *       examples of a confident model in the last bin (Nixon et al. 2019; Roelofs et al. 2022).
 *   <li>{@link #debiasedSquaredError}: the debiased estimator of the squared l2 calibration error
 *       (Kumar, Liang &amp; Ma 2019, "Verified Uncertainty Calibration", Sec. 5): {@code sum_b (n_b /
 *       n) [ (conf_b - acc_b)^2 - acc_b (1 - acc_b) / (n_b - 1) ]}. The plug-in {@code (conf_b -
 *       acc_b)^2} is biased up by the variance of {@code acc_b}; the subtracted term is its
 *       unbiased estimate, so a calibrated model scores 0 on average (the estimate can be negative);
 *       {@link #debiasedError} is {@code sqrt(max(0, .))}.
 *   <li>{@link #brier}: {@code (1/n) sum_i sum_k (p_ik - 1[k = y_i])^2} (Brier 1950).
 * </ul>
 */
public final class Calibration {
    private Calibration() {}

    /**
     * One bin of a reliability diagram.
     *
     * @param confidence mean top-class probability of its examples
     * @param accuracy share of them whose top class is the label
     * @param count examples in the bin
     */
    public record Bin(double confidence, double accuracy, int count) {}

    /** Equal-mass bins of the top-class confidence, lowest confidence first. */
    public static List<Bin> reliability(double[][] probabilities, int[] labels, int bins) {
        UncertaintyMetrics.checkLabelled(probabilities, labels);
        int n = labels.length;
        if (bins < 1 || bins > n) {
            throw new IllegalArgumentException(
                    "bins must be in [1, " + n + "] (one example per bin at least), got " + bins);
        }
        double[] conf = new double[n];
        boolean[] right = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            int top = UncertaintyMetrics.argmax(probabilities[i]);
            conf[i] = probabilities[i][top];
            right[i] = top == labels[i];
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> conf[i]));
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            int from = (int) ((long) b * n / bins);
            int to = (int) ((long) (b + 1) * n / bins);
            double c = 0;
            int correct = 0;
            for (int j = from; j < to; j++) {
                c += conf[order[j]];
                correct += right[order[j]] ? 1 : 0;
            }
            int count = to - from;
            out.add(new Bin(c / count, correct / (double) count, count));
        }
        return out;
    }

    /** ECE over {@code bins} equal-mass bins. */
    public static double equalMassEce(double[][] probabilities, int[] labels, int bins) {
        double ece = 0;
        for (Bin b : reliability(probabilities, labels, bins)) {
            ece += b.count() / (double) labels.length * Math.abs(b.accuracy() - b.confidence());
        }
        return ece;
    }

    /**
     * Debiased estimate of the squared l2 calibration error over equal-mass bins (may be
     * negative); each bin needs at least 2 examples.
     */
    public static double debiasedSquaredError(double[][] probabilities, int[] labels, int bins) {
        if (bins > labels.length / 2) {
            throw new IllegalArgumentException("the debiased estimator needs >= 2 examples per bin: at most "
                    + labels.length / 2 + " bins for " + labels.length + " examples, got " + bins);
        }
        double s = 0;
        for (Bin b : reliability(probabilities, labels, bins)) {
            double gap = b.confidence() - b.accuracy();
            double variance = b.accuracy() * (1 - b.accuracy()) / (b.count() - 1);
            s += b.count() / (double) labels.length * (gap * gap - variance);
        }
        return s;
    }

    /** {@code sqrt(max(0, debiasedSquaredError))}: on the scale of an ECE. */
    public static double debiasedError(double[][] probabilities, int[] labels, int bins) {
        return Math.sqrt(Math.max(0, debiasedSquaredError(probabilities, labels, bins)));
    }

    /** Mean over examples of the squared distance between the predicted distribution and the one-hot label. */
    public static double brier(double[][] probabilities, int[] labels) {
        UncertaintyMetrics.checkLabelled(probabilities, labels);
        double s = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int k = 0; k < probabilities[i].length; k++) {
                double d = probabilities[i][k] - (k == labels[i] ? 1 : 0);
                s += d * d;
            }
        }
        return s / labels.length;
    }
}
