package dev.paperlab.models.eval;

import dev.paperlab.training.metrics.Calibration;
import dev.paperlab.training.metrics.TemperatureScaling;
import dev.paperlab.training.metrics.UncertaintyMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How well a classifier's probabilities are calibrated, before and after temperature scaling
 * (Guo et al. 2017): the labelled examples are split in two at random (seeded); T is fitted on the
 * first half by {@link TemperatureScaling} and every score is measured on the second half, so the
 * scores after scaling are held-out numbers. Scores: accuracy, NLL, ECE over 15 equal-width bins
 * (Guo et al.'s Eq. 3) and 15 equal-mass bins, the debiased calibration error (Kumar et al. 2019)
 * and the Brier score ({@link Calibration}).
 */
public final class ClassifierCalibration {
    /** Bins of every ECE here. */
    public static final int BINS = 15;

    private ClassifierCalibration() {}

    /**
     * Scores of one set of probabilities.
     *
     * @param accuracy top-1 accuracy
     * @param nll mean negative log-likelihood (nats)
     * @param ece equal-width ECE
     * @param eceEqualMass equal-mass ECE
     * @param eceDebiased {@code sqrt(max(0, debiased squared error))}
     * @param brier Brier score
     * @param bins the equal-mass reliability bins
     */
    public record Scores(
            double accuracy,
            double nll,
            double ece,
            double eceEqualMass,
            double eceDebiased,
            double brier,
            List<Calibration.Bin> bins) {

        /** The scalar scores under their summary names, each with {@code suffix} appended. */
        public Map<String, Object> toMap(String suffix) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy" + suffix, accuracy);
            m.put("nll" + suffix, nll);
            m.put("ece" + suffix, ece);
            m.put("ece_equal_mass" + suffix, eceEqualMass);
            m.put("ece_debiased" + suffix, eceDebiased);
            m.put("brier" + suffix, brier);
            return m;
        }
    }

    /**
     * The held-out comparison.
     *
     * @param temperature T fitted on the first half
     * @param before scores of {@code softmax(z)} on the second half
     * @param after scores of {@code softmax(z / T)} on the second half
     * @param fitExamples size of the first half
     * @param evalExamples size of the second half
     */
    public record Report(double temperature, Scores before, Scores after, int fitExamples, int evalExamples) {}

    /** Every score of {@code probabilities} against {@code labels}. */
    public static Scores score(double[][] probabilities, int[] labels) {
        return new Scores(
                UncertaintyMetrics.accuracy(probabilities, labels),
                UncertaintyMetrics.negativeLogLikelihood(probabilities, labels),
                UncertaintyMetrics.expectedCalibrationError(probabilities, labels, BINS),
                Calibration.equalMassEce(probabilities, labels, BINS),
                Calibration.debiasedError(probabilities, labels, BINS),
                Calibration.brier(probabilities, labels),
                Calibration.reliability(probabilities, labels, BINS));
    }

    /** Splits {@code logits}/{@code labels} in halves by {@code seed}, fits T on one, scores the other. */
    public static Report evaluate(double[][] logits, int[] labels, long seed) {
        if (logits.length != labels.length || labels.length < 4 * BINS) {
            throw new IllegalArgumentException("need one logit row per label and at least " + 4 * BINS
                    + " examples, got " + logits.length + " rows and " + labels.length + " labels");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int half = labels.length / 2;
        double[][] fitZ = new double[half][];
        int[] fitY = new int[half];
        double[][] evalZ = new double[labels.length - half][];
        int[] evalY = new int[labels.length - half];
        for (int j = 0; j < labels.length; j++) {
            int i = order.get(j);
            if (j < half) {
                fitZ[j] = logits[i];
                fitY[j] = labels[i];
            } else {
                evalZ[j - half] = logits[i];
                evalY[j - half] = labels[i];
            }
        }
        double t = TemperatureScaling.fit(fitZ, fitY);
        return new Report(
                t,
                score(TemperatureScaling.probabilities(evalZ, 1), evalY),
                score(TemperatureScaling.probabilities(evalZ, t), evalY),
                half,
                evalY.length);
    }
}
