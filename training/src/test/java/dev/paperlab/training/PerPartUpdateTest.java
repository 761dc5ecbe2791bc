package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A least-squares GAN step with two scalar linear players, G(z) = a z + c and D(x) = w x + b,
 * updated by plain SGD: k = 5 discriminator updates, one generator update, then one more
 * discriminator update (critic after actor too), twice. Each part must move exactly as the
 * gradient of its own loss alone says, computed here by hand in doubles:
 *
 * <pre>
 *   L_D = mean (D(x) - 1)^2 + mean D(G(z))^2      dL_D/dw = mean 2(D(x)-1) x + mean 2 D(g) g
 *                                                  dL_D/db = mean 2(D(x)-1)   + mean 2 D(g)
 *   L_G = mean (D(G(z)) - 1)^2                     dL_G/da = mean 2(D(g)-1) w z,  dL_G/dc = mean 2(D(g)-1) w
 * </pre>
 *
 * <p>Backward of L_D also writes dL_D/da into G's gradient and backward of L_G writes dL_G/dw into
 * D's: a leak that a per-part update must never apply.
 */
class PerPartUpdateTest {
    private static final int N = 8;
    private static final int K = 5;
    private static final float LR = 0.05f;

    private static TrainedPart scalarLinear(String name) {
        Optimizer sgd =
                Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LR)).build();
        return Parts.create(
                name, Linear.builder().setUnits(1).build(), new SquaredErrorLoss(), sgd, Device.cpu(), new Shape(N, 1));
    }

    private static double value(TrainedPart part, String parameter) {
        return part.model().getBlock().getParameters().get(parameter).getArray().toFloatArray()[0];
    }

    private static float[] draw(Random random, double mean) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) (mean + random.nextGaussian());
        }
        return v;
    }

    @Test
    void kDiscriminatorUpdatesPerGeneratorUpdateEachFollowOnlyTheirOwnLoss() {
        Engine.getInstance().setRandomSeed(11);
        TrainedPart g = scalarLinear("generator");
        TrainedPart d = scalarLinear("discriminator");
        try (var gm = g.model();
                var gt = g.trainer();
                var dm = d.model();
                var dt = d.trainer()) {
            // the hand-computed trajectory starts from the same initial values
            double a = value(g, "weight");
            double c = value(g, "bias");
            double w = value(d, "weight");
            double b = value(d, "bias");
            Random random = new Random(5);
            for (int step = 0; step < 2; step++) {
                Gradients.zero(g.model().getBlock()); // what the harness does before a step
                Gradients.zero(d.model().getBlock());
                try (NDManager scope = g.trainer().getManager().newSubManager()) {
                    for (int inner = 0; inner <= K + 1; inner++) {
                        float[] x = draw(random, 3);
                        float[] z = draw(random, 0);
                        NDArray real = scope.create(x, new Shape(N, 1));
                        NDArray noise = scope.create(z, new Shape(N, 1));
                        if (inner == K) {
                            // generator update on L_G
                            g.update(() -> d.trainer()
                                    .forward(new NDList(g.trainer()
                                            .forward(new NDList(noise))
                                            .head()))
                                    .head()
                                    .sub(1)
                                    .square()
                                    .mean());
                            double ga = 0;
                            double gc = 0;
                            for (int j = 0; j < N; j++) {
                                double fake = a * z[j] + c;
                                double dg = w * fake + b;
                                ga += 2 * (dg - 1) * w * z[j] / N;
                                gc += 2 * (dg - 1) * w / N;
                            }
                            a -= LR * ga;
                            c -= LR * gc;
                        } else {
                            // discriminator update on L_D; no stopGradient on G(z), on purpose
                            d.update(() -> {
                                NDArray onReal = d.trainer()
                                        .forward(new NDList(real))
                                        .head()
                                        .sub(1)
                                        .square()
                                        .mean();
                                NDArray fake =
                                        g.trainer().forward(new NDList(noise)).head();
                                return onReal.add(d.trainer()
                                        .forward(new NDList(fake))
                                        .head()
                                        .square()
                                        .mean());
                            });
                            double gw = 0;
                            double gb = 0;
                            for (int j = 0; j < N; j++) {
                                double dx = w * x[j] + b;
                                double fake = a * z[j] + c;
                                double dg = w * fake + b;
                                gw += (2 * (dx - 1) * x[j] + 2 * dg * fake) / N;
                                gb += (2 * (dx - 1) + 2 * dg) / N;
                            }
                            w -= LR * gw;
                            b -= LR * gb;
                        }
                    }
                }
            }
            // float32 arithmetic against doubles over 14 updates of O(1) values: relative rounding
            // ~1e-7 per operation, far below the 1e-5 allowed; a leaked gradient moves them by ~1e-2.
            assertEquals(a, value(g, "weight"), 1e-5, "G weight a");
            assertEquals(c, value(g, "bias"), 1e-5, "G bias c");
            assertEquals(w, value(d, "weight"), 1e-5, "D weight w");
            assertEquals(b, value(d, "bias"), 1e-5, "D bias b");
        }
    }
}
