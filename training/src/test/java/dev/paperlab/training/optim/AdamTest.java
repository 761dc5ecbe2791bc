package dev.paperlab.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Runs 100 steps of least squares ||X w - y||^2 / n from a fixed start; returns w. */
    private static float[] optimize(Optimizer optimizer, int steps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(32, 5));
            NDArray y =
                    x.matMul(manager.create(new float[] {1, -2, 0.5f, 3, -1})).add(0.1f);
            NDArray w = manager.randomNormal(new Shape(5));
            w.setRequiresGradient(true);
            for (int i = 0; i < steps; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray sx = x.duplicate();
                    sx.attach(scope);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = sx.matMul(w).sub(y).square().mean();
                        collector.backward(loss);
                    }
                    try (NDArray grad = w.getGradient()) {
                        optimizer.update("w", w, grad);
                    }
                }
            }
            return w.toFloatArray();
        }
    }

    @Test
    void followsDjlBuiltInAdamWithin1e6Over100Steps() {
        float[] ours = optimize(
                Adam.builder()
                        .optLearningRate(0.01f)
                        .optEpsilonPlacement(Adam.EpsilonPlacement.EFFICIENT)
                        .build(),
                100);
        float[] djl = optimize(
                Optimizer.adam()
                        .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f))
                        .build(),
                100);
        for (int i = 0; i < ours.length; i++) {
            assertEquals(djl[i], ours[i], 1e-6, "w[" + i + "]");
        }
    }

    /** Algorithm 1 of Kingma & Ba in plain doubles, the independent reference. */
    @Test
    void matchesAlgorithmOneInDoubles() {
        int steps = 50;
        float[] ours = optimize(Adam.builder().optLearningRate(0.01f).build(), steps);
        double[] w = reference(steps, 0.01, 0, false);
        for (int j = 0; j < 5; j++) {
            assertEquals(w[j], ours[j], 1e-4, "w[" + j + "]");
        }
    }

    /**
     * Coupled L2 decay, as torch.optim.Adam with {@code weight_decay}: {@code g_t = g_t +
     * lambda theta_{t-1}} before the moments.
     */
    @Test
    void coupledWeightDecayFollowsTorchAdam() {
        int steps = 10;
        float[] ours = optimize(
                Adam.builder().optLearningRate(0.01f).optWeightDecays(2f).build(), steps);
        double[] w = reference(steps, 0.01, 2, false);
        double[] undecayed = reference(steps, 0.01, 0, false);
        for (int j = 0; j < 5; j++) {
            // float32 against doubles over 10 steps of size ~lr: rounding ~1e-7 per step
            assertEquals(w[j], ours[j], 1e-5, "w[" + j + "]");
        }
        // the decay must move w by well over the tolerance, or the comparison proves nothing
        assertTrue(maxDiff(w, undecayed) > 1e-4, "decay too weak for the test to see it");
    }

    /**
     * Decoupled decay, as torch.optim.AdamW: {@code theta_t = theta_{t-1} - gamma lambda
     * theta_{t-1}} and then the Adam step from moments of the plain gradient.
     */
    @Test
    void decoupledWeightDecayFollowsTorchAdamW() {
        int steps = 10;
        float[] ours = optimize(
                Adam.builder()
                        .optLearningRate(0.01f)
                        .optWeightDecays(0.5f)
                        .optDecoupledWeightDecay(true)
                        .build(),
                steps);
        double[] w = reference(steps, 0.01, 0.5, true);
        double[] coupled = reference(steps, 0.01, 0.5, false);
        for (int j = 0; j < 5; j++) {
            assertEquals(w[j], ours[j], 1e-5, "w[" + j + "]"); // as above
        }
        assertTrue(maxDiff(w, coupled) > 1e-4, "coupled and decoupled decay indistinguishable here");
    }

    private static double maxDiff(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /**
     * The least-squares problem of {@link #optimize} solved by the algorithm boxes of
     * torch.optim.Adam / AdamW (betas 0.9, 0.999, eps 1e-8), in doubles.
     */
    private static double[] reference(int steps, double lr, double wd, boolean decoupled) {
        double[][] xs;
        double[] ys;
        double[] w;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(32, 5));
            NDArray y =
                    x.matMul(manager.create(new float[] {1, -2, 0.5f, 3, -1})).add(0.1f);
            NDArray w0 = manager.randomNormal(new Shape(5));
            float[] xf = x.toFloatArray();
            xs = new double[32][5];
            for (int i = 0; i < 32; i++) {
                for (int j = 0; j < 5; j++) {
                    xs[i][j] = xf[i * 5 + j];
                }
            }
            float[] yf = y.toFloatArray();
            ys = new double[32];
            for (int i = 0; i < 32; i++) {
                ys[i] = yf[i];
            }
            float[] wf = w0.toFloatArray();
            w = new double[5];
            for (int j = 0; j < 5; j++) {
                w[j] = wf[j];
            }
        }
        double[] m = new double[5];
        double[] v = new double[5];
        for (int t = 1; t <= steps; t++) {
            double[] g = new double[5];
            for (int i = 0; i < 32; i++) {
                double r = -ys[i];
                for (int j = 0; j < 5; j++) {
                    r += xs[i][j] * w[j];
                }
                for (int j = 0; j < 5; j++) {
                    g[j] += 2 * r * xs[i][j] / 32;
                }
            }
            for (int j = 0; j < 5; j++) {
                if (decoupled) {
                    w[j] -= lr * wd * w[j]; // AdamW: theta_t = theta_{t-1} - gamma lambda theta_{t-1}
                } else {
                    g[j] += wd * w[j]; // Adam: g_t = g_t + lambda theta_{t-1}
                }
                m[j] = 0.9 * m[j] + 0.1 * g[j];
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
                double mhat = m[j] / (1 - Math.pow(0.9, t));
                double vhat = v[j] / (1 - Math.pow(0.999, t));
                w[j] -= lr * mhat / (Math.sqrt(vhat) + 1e-8);
            }
        }
        return w;
    }

    @Test
    void rejectsBadHyperparameters() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Adam.builder().optBeta1(1f).build());
        assertTrue(e.getMessage().contains("beta1") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.builder().optLearningRate(-0.1f));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
    }
}
