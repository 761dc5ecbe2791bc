package dev.paperlab.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class LarsTest {

    /** Algorithm 1 of You et al. written out in doubles for one layer: the reference. */
    private static double[] reference(double[] w, double[][] grads, double lr, double m, double eta, double beta) {
        double[] v = new double[w.length];
        double[] x = w.clone();
        for (double[] g : grads) {
            double wn = 0;
            double gn = 0;
            for (int i = 0; i < x.length; i++) {
                wn += x[i] * x[i];
                gn += g[i] * g[i];
            }
            wn = Math.sqrt(wn);
            gn = Math.sqrt(gn);
            double local = eta * wn / (gn + beta * wn);
            for (int i = 0; i < x.length; i++) {
                v[i] = m * v[i] + lr * local * (g[i] + beta * x[i]);
                x[i] -= v[i];
            }
        }
        return x;
    }

    @Test
    void matchesAlgorithmOneOverSeveralSteps() {
        double[] w0 = {0.5, -1.0, 0.25, 2.0, -0.75, 1.5};
        double[][] grads = {{0.1, 0.2, -0.3, 0.05, 0.0, -0.1}, {-0.2, 0.1, 0.4, 0.3, -0.1, 0.2}, {1, 1, 1, 1, 1, 1}};
        double[] want = reference(w0, grads, 0.5, 0.9, 0.02, 1e-3);
        Lars lars = Lars.builder()
                .optLearningRateTracker(Tracker.fixed(0.5f))
                .optMomentum(0.9f)
                .optTrustCoefficient(0.02f)
                .optWeightDecays(1e-3f)
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(toFloat(w0), new Shape(2, 3));
            for (double[] g : grads) {
                lars.update("w", w, m.create(toFloat(g), new Shape(2, 3)));
            }
            double[] got = toDouble(w.toFloatArray());
            // float32 arithmetic over three steps: relative 1e-6
            assertArrayEquals(want, got, 1e-5);
            assertEquals(3, lars.stepCount("w"));
        }
    }

    @Test
    void stepSizeFollowsTheWeightsNotTheGradientScale() {
        // the point of LARS: without momentum or decay, ||dw|| = lr * eta * ||w|| whatever ||g||
        try (NDManager m = NDManager.newBaseManager()) {
            for (float scale : new float[] {1e-4f, 1f, 1e4f}) {
                Lars lars = Lars.builder()
                        .optLearningRateTracker(Tracker.fixed(1f))
                        .optMomentum(0f)
                        .optTrustCoefficient(0.01f)
                        .build();
                NDArray w = m.create(new float[] {3, 4, 0, 0}, new Shape(2, 2)); // ||w|| = 5
                NDArray before = w.duplicate();
                lars.update(
                        "w",
                        w,
                        m.create(new float[] {1, -2, 2, 0}, new Shape(2, 2)).mul(scale));
                assertEquals(0.05, w.sub(before).norm().getFloat(), 1e-6);
            }
        }
    }

    @Test
    void biasesTakePlainMomentumSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            Lars lars = Lars.builder()
                    .optLearningRateTracker(Tracker.fixed(0.1f))
                    .optMomentum(0.5f)
                    .optWeightDecays(0.1f)
                    .build();
            NDArray b = m.create(new float[] {1, 2});
            lars.update("b", b, m.create(new float[] {1, 1}));
            lars.update("b", b, m.create(new float[] {1, 1}));
            // v1 = 0.1, v2 = 0.5 * 0.1 + 0.1 = 0.15: no trust ratio, no decay
            assertArrayEquals(new float[] {1 - 0.25f, 2 - 0.25f}, b.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Lars.builder().optMomentum(1f).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> Lars.builder().optTrustCoefficient(0f).build());
    }

    @Test
    void warmupCosineFollowsItsFormula() {
        Tracker t = Schedules.warmupCosine(1.0f, 0.1f, 10, 110);
        assertEquals(0.5, t.getNewValue(5), 1e-6); // half-way up the linear warm-up
        assertEquals(1.0, t.getNewValue(10), 1e-6); // the peak
        // half-way down: final + (base - final) (1 + cos(pi/2)) / 2 = 0.1 + 0.9 / 2
        assertEquals(0.55, t.getNewValue(60), 1e-6);
        assertEquals(0.1, t.getNewValue(110), 1e-6);
        assertEquals(0.1, t.getNewValue(500), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Schedules.warmupCosine(1f, 0f, 10, 10));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
