package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

class McDropoutTest {

    @Test
    void predictiveVarianceGrowsAwayFromTheData() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(1);
            int n = 64;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = -2 + 4 * random.nextDouble(); // data only on [-2, 2]
                ys[i] = Math.sin(2 * xs[i]) + 0.1 * random.nextGaussian();
            }
            SequentialBlock mlp = McDropout.mlp(64, 0.1f);
            ParameterStore ps = McDropout.fit(
                    mlp, manager, McDropout.column(manager, xs), McDropout.column(manager, ys), 600, 0.01f, 1e-4f, 1);
            double[] inside = {-1.5, -0.5, 0.5, 1.5};
            double[] outside = {-6, -5, 5, 6};
            McDropout.Prediction in = McDropout.predict(mlp, ps, McDropout.column(manager, inside), 200);
            McDropout.Prediction out = McDropout.predict(mlp, ps, McDropout.column(manager, outside), 200);
            double vin = mean(in.variance());
            double vout = mean(out.variance());
            // with 200 passes the sample variance is within ~10% of its limit (relative se sqrt(2/199)
            // for Gaussian-like passes), so a factor of 3 is a difference in the model, not in sampling
            assertTrue(vout > 3 * vin, "variance away from the data " + vout + " vs on it " + vin);
            for (int i = 0; i < inside.length; i++) { // and the fit is real where the data is
                assertEquals(Math.sin(2 * inside[i]), in.mean()[i], 0.3, "x = " + inside[i]);
            }
        }
    }

    @Test
    void predictNeedsTwoPasses() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = McDropout.column(manager, new double[] {0});
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> McDropout.predict(McDropout.mlp(4, 0.1f), new ParameterStore(manager, false), x, 1));
            assertEquals("passes = 1, expected at least 2 for a variance", e.getMessage());
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
