package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GaussianMathTest {

    private static final int MC_SAMPLES = 200_000;

    /** KL(N(mu, s^2) || N(0, 1)) = 1/2 (mu^2 + s^2 - 1 - log s^2) >= 0, since y - 1 - log y >= 0. */
    @Property(tries = 200)
    void klIsNonNegativeAndMatchesDoublePrecision(@ForAll("posteriors") float[][] muLogvar) {
        float[] mu = muLogvar[0];
        float[] logvar = muLogvar[1];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray kl = GaussianMath.klToStandardNormal(
                    manager.create(mu, new Shape(1, mu.length)), manager.create(logvar, new Shape(1, mu.length)));
            assertEquals(new Shape(1), kl.getShape());
            double expected = 0;
            for (int j = 0; j < mu.length; j++) {
                double s2 = Math.exp(logvar[j]);
                expected += 0.5 * (mu[j] * (double) mu[j] + s2 - 1 - logvar[j]);
            }
            float actual = kl.getFloat(0);
            assertTrue(actual >= -1e-5f, "KL " + actual + " < 0");
            assertEquals(expected, actual, 1e-5 * Math.max(1, expected));
        }
    }

    @Provide
    Arbitrary<float[][]> posteriors() {
        return Arbitraries.integers()
                .between(1, 12)
                .flatMap(n -> Combinators.combine(
                                Arbitraries.floats()
                                        .between(-4, 4)
                                        .array(float[].class)
                                        .ofSize(n),
                                Arbitraries.floats()
                                        .between(-6, 3)
                                        .array(float[].class)
                                        .ofSize(n))
                        .as((m, v) -> new float[][] {m, v}));
    }

    @Test
    void klIsExactlyZeroAtThePrior() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zeros = manager.zeros(new Shape(3, 20));
            NDArray kl = GaussianMath.klToStandardNormal(zeros, zeros);
            assertEquals(new Shape(3), kl.getShape());
            for (float v : kl.toFloatArray()) {
                assertTrue(v == 0f, "KL at the prior is " + v);
            }
            NDArray shifted = GaussianMath.klToStandardNormal(zeros.add(0.1f), zeros);
            assertTrue(shifted.getFloat(0) > 0, "KL must be positive away from the prior");
        }
    }

    /** Analytic KL equals E_q[log q(z) - log p(z)] estimated with z = mu + sigma * eps. */
    @ParameterizedTest
    @CsvSource({"0.0, 0.0, 0.0, 0.0, 0.0, 0.0", "0.5, -1.0, 2.0, 0.3, -1.5, 0.8", "-1.2, 0.0, 0.7, -2.5, 0.5, 1.2"})
    void analyticKlMatchesMonteCarlo(float mu0, float mu1, float mu2, float lv0, float lv1, float lv2) {
        Engine.getInstance().setRandomSeed(42);
        float[] mu = {mu0, mu1, mu2};
        float[] logvar = {lv0, lv1, lv2};
        int dims = mu.length;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray muN = manager.create(mu, new Shape(1, dims)).repeat(0, MC_SAMPLES);
            NDArray lvN = manager.create(logvar, new Shape(1, dims)).repeat(0, MC_SAMPLES);
            NDArray eps = manager.randomNormal(new Shape(MC_SAMPLES, dims));
            float[] z = GaussianMath.reparameterize(muN, lvN, eps).toFloatArray();
            double analytic = GaussianMath.klToStandardNormal(muN.get("0:1"), lvN.get("0:1"))
                    .getFloat(0);

            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < MC_SAMPLES; i++) {
                double logRatio = 0;
                for (int j = 0; j < dims; j++) {
                    double zj = z[i * dims + j];
                    double var = Math.exp(logvar[j]);
                    // log N(z; mu, var) - log N(z; 0, 1); the 2 pi terms cancel.
                    double logQ = -0.5 * logvar[j] - (zj - mu[j]) * (zj - mu[j]) / (2 * var);
                    double logP = -0.5 * zj * zj;
                    logRatio += logQ - logP;
                }
                sum += logRatio;
                sumSq += logRatio * logRatio;
            }
            double mean = sum / MC_SAMPLES;
            double se = Math.sqrt(Math.max(sumSq / MC_SAMPLES - mean * mean, 0) / MC_SAMPLES);
            assertEquals(analytic, mean, 5 * se + 1e-4, "MC " + mean + " +- " + se);
        }
    }

    /**
     * Pathwise gradients through z = mu + sigma * eps: the autograd gradient of the MC mean of f(z)
     * w.r.t. mu and logvar matches the analytic derivative of E[f(z)], z ~ N(mu, sigma^2). The
     * logvar gradient is dE/dsigma * sigma / 2.
     *
     * <ul>
     *   <li>f = sin: E = sin(mu) e^{-s^2/2}, dE/dmu = cos(mu) e^{-s^2/2}, dE/ds = -s sin(mu) e^{-s^2/2}
     *   <li>f = square: E = mu^2 + s^2, dE/dmu = 2 mu, dE/ds = 2 s
     * </ul>
     */
    @ParameterizedTest
    @CsvSource({"sin, 0.3, 0.5", "sin, -1.1, 1.4", "sin, 2.0, 0.2", "square, 1.5, 2.0", "square, -0.4, 0.3"})
    void reparameterizedGradientsMatchAnalyticDerivatives(String f, double mu0, double sigma0) {
        Engine.getInstance().setRandomSeed(7);
        boolean sin = f.equals("sin");
        double e = Math.exp(-sigma0 * sigma0 / 2);
        double dMu = sin ? Math.cos(mu0) * e : 2 * mu0;
        double dSigma = sin ? -sigma0 * Math.sin(mu0) * e : 2 * sigma0;
        double dLogvar = dSigma * sigma0 / 2;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mu = manager.create(new float[] {(float) mu0}, new Shape(1, 1));
            NDArray logvar = manager.create(new float[] {(float) (2 * Math.log(sigma0))}, new Shape(1, 1));
            mu.setRequiresGradient(true);
            logvar.setRequiresGradient(true);
            NDArray eps = manager.randomNormal(new Shape(MC_SAMPLES, 1));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray z = GaussianMath.reparameterize(mu.repeat(0, MC_SAMPLES), logvar.repeat(0, MC_SAMPLES), eps);
                NDArray fz = sin ? z.sin() : z.square();
                gc.backward(fz.mean());
            }
            // Per-sample pathwise terms f'(z) and f'(z) eps sigma / 2, for the MC standard error.
            float[] epsValues = eps.toFloatArray();
            double[] gMu = new double[MC_SAMPLES];
            double[] gLv = new double[MC_SAMPLES];
            for (int i = 0; i < MC_SAMPLES; i++) {
                double z = mu0 + sigma0 * epsValues[i];
                double fPrime = sin ? Math.cos(z) : 2 * z;
                gMu[i] = fPrime;
                gLv[i] = fPrime * epsValues[i] * sigma0 / 2;
            }
            double autoMu = mu.getGradient().getFloat(0, 0);
            double autoLv = logvar.getGradient().getFloat(0, 0);
            assertEquals(dMu, autoMu, 5 * standardError(gMu) + 1e-4, "d/dmu");
            assertEquals(dLogvar, autoLv, 5 * standardError(gLv) + 1e-4, "d/dlogvar");
        }
    }

    @Test
    void stableBceEqualsNaiveOnModerateLogits() {
        Random random = new Random(1);
        int n = 4;
        int d = 50;
        float[] x = new float[n * d];
        float[] t = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 4);
            // Binary for the first half of the examples, soft targets for the rest.
            t[i] = i < x.length / 2 ? (random.nextBoolean() ? 1f : 0f) : random.nextFloat();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] bce = GaussianMath.bceWithLogitsSum(
                            manager.create(x, new Shape(n, d)), manager.create(t, new Shape(n, d)))
                    .toFloatArray();
            for (int i = 0; i < n; i++) {
                double naive = 0;
                for (int k = i * d; k < (i + 1) * d; k++) {
                    double s = 1 / (1 + Math.exp(-x[k]));
                    naive -= t[k] * Math.log(s) + (1 - t[k]) * Math.log(1 - s);
                }
                assertEquals(naive, bce[i], 1e-5 * naive, "example " + i);
            }
        }
    }

    @Test
    void stableBceIsFiniteAndExactAtExtremeLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {100, 100, -100, -100}, new Shape(4, 1));
            NDArray target = manager.create(new float[] {1, 0, 1, 0}, new Shape(4, 1));
            float[] bce = GaussianMath.bceWithLogitsSum(logits, target).toFloatArray();
            // -log s(100) = log(1 + e^-100) ~ 0; -log(1 - s(100)) = 100 + log(1 + e^-100).
            float[] expected = {0f, 100f, 100f, 0f};
            for (int i = 0; i < 4; i++) {
                assertTrue(Float.isFinite(bce[i]), "BCE not finite at " + i);
                assertEquals(expected[i], bce[i], 1e-5, "element " + i);
            }
            // The naive float32 form overflows here, which is why the stable form exists.
            NDArray s = Activation.sigmoid(logits);
            float naive = -(float) Math.log(1 - s.getFloat(0, 0));
            assertTrue(Float.isInfinite(naive), "naive form was expected to overflow");
        }
    }

    @Test
    void shapeMismatchesAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.zeros(new Shape(2, 3));
            NDArray b = manager.zeros(new Shape(2, 4));
            var e = assertThrows(IllegalArgumentException.class, () -> GaussianMath.klToStandardNormal(a, b));
            assertTrue(e.getMessage().contains("(2, 4)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GaussianMath.reparameterize(a, a, b));
            assertThrows(IllegalArgumentException.class, () -> GaussianMath.bceWithLogitsSum(a, b));
        }
    }

    private static double standardError(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / (values.length - 1) / values.length);
    }
}
