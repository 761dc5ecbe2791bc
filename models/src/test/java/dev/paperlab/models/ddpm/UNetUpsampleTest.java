package dev.paperlab.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class UNetUpsampleTest {

    /**
     * Nearest x2: output (i, j) is input (i / 2, j / 2), checked element by element against the
     * definition; its gradient gives each input the sum of its 2x2 block of output gradients.
     * Gradients are small integers, so the sums are exact in float32.
     */
    @Test
    void nearestTimesTwoCopiesEachPixelToItsBlockAndSumsGradientsBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
            x.setRequiresGradient(true);
            NDArray upstream = m.randomInteger(-3, 4, new Shape(2, 3, 8, 10), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = UNet.nearestTimesTwo(x);
                gc.backward(y.mul(upstream).sum());
            }
            assertEquals(new Shape(2, 3, 8, 10), y.getShape());
            float[] in = x.toFloatArray();
            float[] out = y.toFloatArray();
            float[] up = upstream.toFloatArray();
            float[] grad = x.getGradient().toFloatArray();
            float[] expectedOut = new float[out.length];
            float[] expectedGrad = new float[in.length];
            for (int nc = 0; nc < 6; nc++) {
                for (int i = 0; i < 8; i++) {
                    for (int j = 0; j < 10; j++) {
                        int src = nc * 20 + (i / 2) * 5 + j / 2;
                        int dst = nc * 80 + i * 10 + j;
                        expectedOut[dst] = in[src];
                        expectedGrad[src] += up[dst];
                    }
                }
            }
            assertArrayEquals(expectedOut, out, 0f);
            assertArrayEquals(expectedGrad, grad, 0f);
        }
    }
}
