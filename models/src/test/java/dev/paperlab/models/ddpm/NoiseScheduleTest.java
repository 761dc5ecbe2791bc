package dev.paperlab.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Schedules against published values and the posterior's definition; the forward process against Eq. 4. */
class NoiseScheduleTest {

    @Test
    void linearAlphaBarMatchesTheReferenceValues() {
        NoiseSchedule s = NoiseSchedule.of(NoiseSchedule.Kind.LINEAR, 1000);
        // numpy: cumprod(1 - linspace(1e-4, 0.02, 1000))[t - 1]; 6 significant digits given
        assertEquals(0.078587, s.alphaBar(500), 5e-7);
        assertEquals(4.0358e-5, s.alphaBar(1000), 5e-9);
        assertEquals(1e-4, s.beta(1), 1e-15);
        assertEquals(0.02, s.beta(1000), 1e-15);
    }

    @Test
    void cosineAlphaBarMatchesTheReferenceValue() {
        NoiseSchedule s = NoiseSchedule.of("cosine", 1000);
        assertEquals(0.493844, s.alphaBar(500), 5e-7);
        // Eq. 17 before clipping: alpha-bar_t = f(t) / f(0) wherever no beta was clipped
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        double f250 = Math.pow(Math.cos((0.25 + 0.008) / 1.008 * Math.PI / 2), 2);
        assertEquals(f250 / f0, s.alphaBar(250), 1e-12);
        assertTrue(s.beta(1000) <= NoiseSchedule.MAX_BETA);
    }

    @Test
    void alphaBarIsStrictlyDecreasing() {
        for (NoiseSchedule.Kind kind : NoiseSchedule.Kind.values()) {
            NoiseSchedule s = NoiseSchedule.of(kind, 1000);
            assertEquals(1.0, s.alphaBar(0));
            for (int t = 1; t <= 1000; t++) {
                assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), kind + " at t = " + t);
                assertTrue(s.alphaBar(t) > 0, kind + " at t = " + t);
            }
        }
    }

    /**
     * The posterior q(x_{t-1} | x_t, x_0) from Bayes' rule on the two Gaussians q(x_t | x_{t-1})
     * (Eq. 2) and q(x_{t-1} | x_0) (Eq. 4): precisions add, 1/beta~ = 1/(1 - a_{t-1}) + alpha_t/beta_t,
     * and the mean is beta~ (sqrt(a_{t-1})/(1 - a_{t-1}) x_0 + sqrt(alpha_t)/beta_t x_t). An
     * independent route to Eq. 7.
     */
    @Test
    void posteriorMatchesBayesRule() {
        for (NoiseSchedule.Kind kind : NoiseSchedule.Kind.values()) {
            NoiseSchedule s = NoiseSchedule.of(kind, 1000);
            for (int t : new int[] {2, 3, 10, 500, 999, 1000}) {
                double prevVar = 1 - s.alphaBar(t - 1);
                double precision = 1 / prevVar + s.alpha(t) / s.beta(t);
                double var = 1 / precision;
                assertEquals(var, s.posteriorVariance(t), 1e-12 * Math.max(1, var), kind + " t=" + t);
                assertEquals(var * Math.sqrt(s.alphaBar(t - 1)) / prevVar, s.posteriorMeanCoefX0(t), 1e-9);
                assertEquals(var * Math.sqrt(s.alpha(t)) / s.beta(t), s.posteriorMeanCoefXt(t), 1e-9);
            }
            // at t = 1 the posterior is a point mass on x_0
            assertEquals(0.0, s.posteriorVariance(1));
            assertEquals(1.0, s.posteriorMeanCoefX0(1), 1e-12);
            assertEquals(0.0, s.posteriorMeanCoefXt(1));
        }
    }

    /**
     * 20,000 draws per coordinate of q(x_500 | x_0): mean sqrt(a) x_0 and variance 1 - a. Standard
     * errors: sqrt((1 - a)/N) ~ 0.007 for the mean, (1 - a) sqrt(2/N) ~ 0.009 for the variance;
     * tolerances are 5 of them.
     */
    @Test
    void forwardSamplesHaveTheClosedFormMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.of("linear", 1000);
        int n = 20_000;
        float[] x0Values = {-1f, -0.3f, 0.5f, 1f};
        int t = 500;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x0 = m.create(x0Values).reshape(1, 4).repeat(0, n); // (N, 4)
            int[] ts = new int[n];
            Arrays.fill(ts, t);
            NDArray xt = s.noised(x0, ts, m.randomNormal(x0.getShape()));
            checkMoments(xt, x0Values, s.sqrtAlphaBar(t), 1 - s.alphaBar(t), n);
        }
    }

    /** Composing 300 single steps (Eq. 2) from x_0 gives the distribution of q(x_300 | x_0) (Eq. 4). */
    @Test
    void composedSingleStepsMatchTheClosedForm() {
        NoiseSchedule s = NoiseSchedule.of("cosine", 1000);
        int n = 20_000;
        float[] x0Values = {-1f, 0f, 0.7f};
        int t = 300;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray x = m.create(x0Values).reshape(1, 3).repeat(0, n); // (N, 3)
            for (int k = 1; k <= t; k++) {
                try (NDManager step = m.newSubManager()) {
                    x.tempAttach(step);
                    NDArray next = s.step(x, k, step.randomNormal(x.getShape()));
                    next.attach(m);
                    x = next;
                }
            }
            checkMoments(x, x0Values, s.sqrtAlphaBar(t), 1 - s.alphaBar(t), n);
        }
    }

    private static void checkMoments(NDArray xt, float[] x0, double scale, double variance, int n) {
        float[] mean = xt.mean(new int[] {0}).toFloatArray();
        float[] var = xt.sub(xt.mean(new int[] {0}, true))
                .square()
                .mean(new int[] {0})
                .toFloatArray();
        double meanTol = 5 * Math.sqrt(variance / n);
        double varTol = 5 * variance * Math.sqrt(2.0 / n);
        for (int i = 0; i < x0.length; i++) {
            assertEquals(scale * x0[i], mean[i], meanTol, "mean of coordinate " + i);
            assertEquals(variance, var[i], varTol, "variance of coordinate " + i);
        }
    }

    @Test
    void badInputIsOneClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of("linear", 1));
        assertTrue(e.getMessage().contains("T must be >= 2, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of("quadratic", 1000));
        assertTrue(e.getMessage().contains("linear or cosine, got 'quadratic'"), e.getMessage());
        NoiseSchedule s = NoiseSchedule.of("linear", 10);
        e = assertThrows(IllegalArgumentException.class, () -> s.alphaBar(11));
        assertTrue(e.getMessage().contains("[0, 10], got 11"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 3));
            e = assertThrows(IllegalArgumentException.class, () -> s.noised(x, new int[] {1, 2, 3}, x));
            assertTrue(e.getMessage().contains("3 timesteps"), e.getMessage());
        }
    }
}
