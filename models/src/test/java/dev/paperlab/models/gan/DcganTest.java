package dev.paperlab.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** The DCGAN pair: shapes for 28 x 28 images, N(0, 0.02) weights, tanh range, clear size errors. */
class DcganTest {

    @Test
    void generatorMakesImagesTheDiscriminatorScores() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block g = Dcgan.generator(100, 28);
            Block d = Dcgan.discriminator(28);
            g.initialize(manager, DataType.FLOAT32, new Shape(8, 100));
            d.initialize(manager, DataType.FLOAT32, new Shape(8, 1, 28, 28));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = g.forward(ps, new NDList(manager.randomNormal(new Shape(8, 100))), true)
                    .head();
            assertEquals(new Shape(8, 1, 28, 28), x.getShape());
            assertTrue(x.abs().max().getFloat() <= 1f, "tanh output");
            assertEquals(
                    new Shape(8, 1), d.forward(ps, new NDList(x), true).head().getShape());
            for (Block b : new Block[] {g, d}) {
                for (Pair<String, Parameter> p : b.getParameters()) {
                    if (p.getValue().getType() == Parameter.Type.WEIGHT
                            && p.getValue().getArray().size() > 5000) {
                        // > 5,000 draws: the sample std is within 5% of 0.02 (its relative error is ~1/sqrt(2n))
                        float[] w = p.getValue().getArray().toFloatArray();
                        double sum = 0;
                        double sq = 0;
                        for (float v : w) {
                            sum += v;
                            sq += (double) v * v;
                        }
                        double std = Math.sqrt(sq / w.length - Math.pow(sum / w.length, 2));
                        assertEquals(Dcgan.INIT_STD, std, 0.05 * Dcgan.INIT_STD, p.getKey());
                    }
                }
            }
        }
    }

    @Test
    void sizesTheArchitectureCannotMakeAreNamed() {
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> Dcgan.generator(100, 30));
        assertTrue(g.getMessage().contains("multiple of 4") && g.getMessage().contains("got 30"), g.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> Dcgan.discriminator(0));
        assertTrue(d.getMessage().contains("got 0"), d.getMessage());
        IllegalArgumentException z = assertThrows(IllegalArgumentException.class, () -> Dcgan.generator(0, 28));
        assertTrue(z.getMessage().contains("latent size must be >= 1, got 0"), z.getMessage());
    }
}
