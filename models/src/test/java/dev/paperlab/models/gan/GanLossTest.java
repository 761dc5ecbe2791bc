package dev.paperlab.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.Parts;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Properties of the GAN game stated by Goodfellow et al. (2014), §4 and §3. */
class GanLossTest {
    // Fixed 1-D densities: p_data = N(0, 1), p_g = N(1, 0.7^2); the optimal logit is quadratic in x.
    private static final double DATA_MEAN = 0;
    private static final double DATA_STD = 1;
    private static final double G_MEAN = 1;
    private static final double G_STD = 0.7;

    private static double pData(double x) {
        return normal(x, DATA_MEAN, DATA_STD);
    }

    private static double pG(double x) {
        return normal(x, G_MEAN, G_STD);
    }

    private static double normal(double x, double mean, double std) {
        double u = (x - mean) / std;
        return Math.exp(-0.5 * u * u) / (std * Math.sqrt(2 * Math.PI));
    }

    /** Trapezoid rule on [-8, 8], 16,001 points: the integrands are smooth and vanish at the ends. */
    private static double integrate(DoubleUnaryOperator f) {
        int n = 16_000;
        double h = 16.0 / n;
        double sum = 0.5 * (f.applyAsDouble(-8) + f.applyAsDouble(8));
        for (int i = 1; i < n; i++) {
            sum += f.applyAsDouble(-8 + i * h);
        }
        return sum * h;
    }

    /** JSD(p || q) = KL(p || m)/2 + KL(q || m)/2 with m = (p + q)/2, integrated numerically. */
    private static double jensenShannon() {
        return integrate(x -> {
            double p = pData(x);
            double q = pG(x);
            double m = 0.5 * (p + q);
            double a = p > 0 ? p * Math.log(p / m) : 0;
            double b = q > 0 ? q * Math.log(q / m) : 0;
            return 0.5 * (a + b);
        });
    }

    @Test
    void trainedDiscriminatorApproachesOptimumAndMinimaxValueIsJensenShannon() {
        Engine.getInstance().setRandomSeed(5);
        TrainedPart d = Parts.create(
                "discriminator",
                GanMlp.discriminator(new int[] {32, 32}),
                new SquaredErrorLoss(),
                Adam.builder().optLearningRate(3e-3f).build(),
                Device.cpu(),
                new Shape(1, 1));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Random random = new Random(5);
            int n = 1024;
            for (int step = 0; step < 2000; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray real = gaussian(scope, random, n, DATA_MEAN, DATA_STD);
                    NDArray fake = gaussian(scope, random, n, G_MEAN, G_STD);
                    d.update(() -> GanLoss.NS.discriminator(
                            d.trainer().forward(new NDList(real)).head(),
                            d.trainer().forward(new NDList(fake)).head()));
                }
            }
            // D(x) = sigma(a(x)) on a fine grid
            int points = 16_001;
            float[] grid = new float[points];
            for (int i = 0; i < points; i++) {
                grid[i] = (float) (-8 + i * 16.0 / (points - 1));
            }
            NDArray x = manager.create(grid, new Shape(points, 1));
            float[] logits = d.model()
                    .getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(x), false)
                    .head()
                    .toFloatArray();
            DoubleUnaryOperator trained = t -> {
                int i = (int) Math.round((t + 8) * (points - 1) / 16.0);
                return 1 / (1 + Math.exp(-logits[i]));
            };
            // Prop. 1: D*(x) = p_data / (p_data + p_g), where both densities carry mass ([-1, 2]).
            // Tolerance 0.05: D is fitted by SGD on 1,024-sample batches, whose noise moves a
            // probability by a few hundredths; a D off by a constant or a mirrored D misses by > 0.2.
            for (double t = -1; t <= 2.0001; t += 0.25) {
                double optimum = pData(t) / (pData(t) + pG(t));
                double got = trained.applyAsDouble(t);
                assertEquals(optimum, got, 0.05, "D(" + t + ")");
            }
            // Thm. 1: V(D*, G) = -log 4 + 2 JSD(p_data || p_g). The trained D's value is V(D*) minus
            // a term of second order in D - D*, so within 0.01 of it.
            double value = integrate(t -> {
                double dx = Math.min(Math.max(trained.applyAsDouble(t), 1e-12), 1 - 1e-12);
                return pData(t) * Math.log(dx) + pG(t) * Math.log(1 - dx);
            });
            double expected = -Math.log(4) + 2 * jensenShannon();
            assertEquals(expected, value, 0.01, "V(D, G) vs -log 4 + 2 JSD");
            assertTrue(value <= expected + 1e-3, "no discriminator beats D*: " + value + " > " + expected);
        } finally {
            d.trainer().close();
            d.model().close();
        }
    }

    private static NDArray gaussian(NDManager scope, Random random, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + std * random.nextGaussian());
        }
        return scope.create(v, new Shape(n, 1));
    }

    /** dL_G/da for a fake scored with logit {@code a}, by autograd. */
    private static double generatorGradient(GanLoss loss, float a) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logit = manager.create(new float[] {a}, new Shape(1, 1));
            logit.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.generator(logit));
            }
            return logit.getGradient().getFloat(0, 0);
        }
    }

    @Test
    void nonSaturatingGradientDominatesWhenFakesAreConfidentlyRejected() {
        // D(G(z)) = sigma(-5) = 0.0067: minimax dL/da = -sigma(a), non-saturating -(1 - sigma(a)),
        // so their ratio is e^-a (148.4 at a = -5); float32 keeps it to 1e-4 relative.
        float a = -5;
        double ns = generatorGradient(GanLoss.NS, a);
        double minimax = generatorGradient(GanLoss.MINIMAX, a);
        assertTrue(Math.abs(ns) > 100 * Math.abs(minimax), "ns " + ns + " minimax " + minimax);
        assertTrue(ns < 0 && minimax < 0, "both push the logit of fakes up");
        assertEquals(Math.exp(-a), ns / minimax, 1e-4 * Math.exp(-a));
        // ... and the other way round once D is fooled (a = +5): the property is about rejection.
        assertTrue(Math.abs(generatorGradient(GanLoss.NS, 5)) < Math.abs(generatorGradient(GanLoss.MINIMAX, 5)));
    }

    @Test
    void lossesVanishAtTheirTargets() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray two = manager.create(new float[] {2, 3}, new Shape(2, 1));
            NDArray minusTwo = two.neg();
            // hinge: margins met; LS: D outputs 1 on real and 0 on fake, G's fakes scored 1
            assertEquals(0, GanLoss.HINGE.discriminator(two, minusTwo).getFloat(), 0);
            NDArray ones = manager.ones(new Shape(2, 1));
            assertEquals(0, GanLoss.LS.discriminator(ones, ones.zerosLike()).getFloat(), 0);
            assertEquals(0, GanLoss.LS.generator(ones).getFloat(), 0);
            // NS/minimax D loss at a = 0 on both sides is 2 log 2 (D = 1/2 everywhere).
            NDArray zeros = ones.zerosLike();
            assertEquals(2 * Math.log(2), GanLoss.NS.discriminator(zeros, zeros).getFloat(), 1e-6);
        }
    }

    @Test
    void softplusAndItsGradientMatchTheirDefinitionsOverTheWholeRange() {
        float[] xs = {-100, -30, -5, -1, -1e-3f, 0, 1e-3f, 1, 5, 19.9f, 20.1f, 30, 100};
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(xs);
            x.setRequiresGradient(true);
            float[] value;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray y = GanLoss.softplus(x);
                value = y.toFloatArray();
                c.backward(y.sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double t = xs[i];
                // log(1 + e^t) in double: e^t overflows only above 709, far beyond these points
                double expected = t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
                double sigma = 1 / (1 + Math.exp(-t));
                // float32 rounding of values up to 100: relative 6e-8, absolute below 1e-5
                assertEquals(expected, value[i], 1e-6 * Math.max(1, Math.abs(expected)), "softplus(" + t + ")");
                assertEquals(sigma, grad[i], 1e-6, "softplus'(" + t + ")");
            }
        }
    }

    @Test
    void unknownLossNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanLoss.parse("wgan"));
        assertTrue(e.getMessage().contains("wgan") && e.getMessage().contains("hinge"), e.getMessage());
    }
}
