package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    // hand-worked values are sums of a few doubles: exact to ~1e-15
    private static final double EPS = 1e-12;

    /** 15 confidence levels 0.52, 0.55, ..., 0.94, {@code perLevel} examples each; the label is drawn or fixed. */
    private static double[][] levels(int perLevel) {
        double[][] p = new double[15 * perLevel][];
        for (int i = 0; i < p.length; i++) {
            double c = 0.52 + 0.03 * (i / perLevel);
            p[i] = new double[] {c, 1 - c};
        }
        return p;
    }

    @Test
    void equalMassEceIsZeroWhenEveryBinIsRightAsOftenAsItIsConfident() {
        // 4 levels x 10 examples; at confidence c exactly 10c of the 10 are right: calibrated per bin
        double[] conf = {0.6, 0.7, 0.8, 0.9};
        double[][] p = new double[40][];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            double c = conf[i / 10];
            p[i] = new double[] {1 - c, c}; // class 1 on top
            y[i] = i % 10 < Math.round(10 * c) ? 1 : 0;
        }
        assertEquals(0.0, Calibration.equalMassEce(p, y, 4), EPS);
        // zero gaps minus the positive variance terms: negative, clipped to 0 on the ECE scale
        assertTrue(
                Calibration.debiasedSquaredError(p, y, 4) < 0, "a calibrated model scores 0 minus the variance term");
        assertEquals(0.0, Calibration.debiasedError(p, y, 4), EPS);
    }

    @Test
    void handComputedEqualMassBinsEceAndBrier() {
        // confidences sorted: 0.5 (right), 0.6 (wrong), 0.7 (right) | 0.8 (right), 0.9 (wrong), 0.95 (right)
        double[][] p = {{0.9, 0.1}, {0.5, 0.5}, {0.3, 0.7}, {0.95, 0.05}, {0.6, 0.4}, {0.2, 0.8}};
        int[] y = {1, 0, 1, 0, 1, 1};
        List<Calibration.Bin> bins = Calibration.reliability(p, y, 2);
        assertEquals(0.6, bins.get(0).confidence(), EPS);
        assertEquals(2 / 3.0, bins.get(0).accuracy(), EPS);
        assertEquals((0.8 + 0.9 + 0.95) / 3, bins.get(1).confidence(), EPS);
        assertEquals(2 / 3.0, bins.get(1).accuracy(), EPS);
        double ece = 0.5 * Math.abs(2 / 3.0 - 0.6) + 0.5 * Math.abs(2 / 3.0 - 2.65 / 3);
        assertEquals(ece, Calibration.equalMassEce(p, y, 2), EPS);
        // debiased: each bin subtracts acc(1 - acc)/(n_b - 1) = (2/9)/2
        double sq = 0.5 * (Math.pow(0.6 - 2 / 3.0, 2) - 1 / 9.0) + 0.5 * (Math.pow(2.65 / 3 - 2 / 3.0, 2) - 1 / 9.0);
        assertEquals(sq, Calibration.debiasedSquaredError(p, y, 2), EPS);
        // Brier: sum over both classes of (p - onehot)^2
        double brier = (2 * 0.81 + 2 * 0.25 + 2 * 0.09 + 2 * 0.0025 + 2 * 0.36 + 2 * 0.04) / 6;
        assertEquals(brier, Calibration.brier(p, y), EPS);
    }

    @Test
    void debiasedEstimatorRemovesThePlugInBiasOfACalibratedModel() {
        // labels drawn with P(right) = confidence: the true calibration error is 0. Over 400 draws of
        // 300 examples, the plug-in squared error averages sum_b (n_b/n) c_b(1-c_b)/n_b > 0, the
        // debiased one 0; we test both means against 4 standard errors of the 400-draw average.
        Random random = new Random(11);
        double[][] p = levels(20);
        int draws = 400;
        double[] plug = new double[draws];
        double[] debiased = new double[draws];
        for (int d = 0; d < draws; d++) {
            int[] y = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                y[i] = random.nextDouble() < p[i][0] ? 0 : 1;
            }
            double s = 0;
            for (Calibration.Bin b : Calibration.reliability(p, y, 15)) {
                s += b.count() / (double) p.length * Math.pow(b.confidence() - b.accuracy(), 2);
            }
            plug[d] = s;
            debiased[d] = Calibration.debiasedSquaredError(p, y, 15);
        }
        double[] dm = meanAndSe(debiased);
        double[] pm = meanAndSe(plug);
        assertTrue(Math.abs(dm[0]) < 4 * dm[1], "debiased mean " + dm[0] + " +- " + dm[1]);
        assertTrue(pm[0] > 4 * pm[1], "plug-in mean " + pm[0] + " +- " + pm[1] + " should be biased up");
    }

    private static double[] meanAndSe(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return new double[] {m, Math.sqrt(ss / (v.length - 1) / v.length)};
    }

    @Test
    void badBinCountsNameTheArgument() {
        double[][] p = {{0.9, 0.1}, {0.5, 0.5}, {0.3, 0.7}};
        int[] y = {0, 0, 1};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Calibration.reliability(p, y, 4))
                .getMessage()
                .contains("bins must be in [1, 3]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Calibration.debiasedSquaredError(p, y, 2))
                .getMessage()
                .contains("at most 1 bins"));
    }
}
