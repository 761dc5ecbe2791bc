package dev.paperlab.framework.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA's dropout on the adapter input (Hu et al., 2021, as in the reference {@code loralib}: {@code
 * h = W0 x + (alpha/r) B A dropout(x)}): it acts in training once B is non-zero, drops a fraction p
 * of the inputs, keeps the expectation, and leaves inference alone.
 */
class LoraDropoutTest {
    private static final int IN = 6;
    /** Rows of one batch: independent draws of the same input row. */
    private static final int N = 4000;

    private NDManager manager;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(17);
        manager = NDManager.newBaseManager();
        store = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private float[] forward(LoraLinear lora, NDArray x, boolean training) {
        return lora.forward(store, new NDList(x), training).singletonOrThrow().toFloatArray();
    }

    /**
     * W0 = 0, no bias, r = in = out, alpha = r (scaling 1), A = B = I: the layer computes exactly
     * dropout(x), so each output is either 0 or its input divided by 1 - p.
     */
    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.5f})
    void dropsAboutPOfTheInputsAndScalesTheRestInTrainingOnly(float p) {
        LoraLinear lora = LoraLinear.builder()
                .setWeight(manager.zeros(new Shape(IN, IN)), null)
                .setRank(IN)
                .optDropout(p)
                .build();
        manager.eye(IN).copyTo(lora.getLoraA().getArray());
        manager.eye(IN).copyTo(lora.getLoraB().getArray());
        NDArray row = manager.randomNormal(new Shape(1, IN));
        NDArray x = row.repeat(0, N); // (N, in)
        float[] in = x.toFloatArray();
        // inference: the identity, the same numbers on every call
        assertArrayEquals(in, forward(lora, x, false), 0f);
        assertArrayEquals(in, forward(lora, x, false), 0f);
        float[] out = forward(lora, x, true);
        long zeros = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0f) {
                zeros++;
            } else {
                // libtorch multiplies by the float 1 / (1 - p): one rounding from x / (1 - p)
                float expected = (float) (in[i] / (1.0 - p));
                assertEquals(expected, out[i], Math.ulp(expected), "survivor " + i);
            }
        }
        // Binomial(n, p) dropped inputs; 5 standard deviations: a false alarm below 1e-6
        double n = in.length;
        double sd = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(zeros - n * p) <= 5 * sd, "dropped " + zeros + " of " + (long) n + " at p " + p);
    }

    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.5f})
    void withARandomUpdateDrawsDifferAndTheirMeanIsTheInferenceOutput(float p) {
        NDArray w0 = manager.randomNormal(new Shape(4, IN));
        NDArray bias = manager.randomNormal(new Shape(4));
        LoraLinear lora = LoraLinear.builder()
                .setWeight(w0, bias)
                .setRank(2)
                .optAlpha(4)
                .optDropout(p)
                .build();
        lora.getLoraB().getArray().addi(manager.randomNormal(new Shape(4, 2))); // B != 0, as after training
        NDArray row = manager.randomNormal(new Shape(1, IN));
        NDArray x = row.repeat(0, N);
        float[] inference = forward(lora, row, false);
        assertArrayEquals(inference, forward(lora, row, false), 0f);
        float[] draws = forward(lora, x, true); // (N, 4)
        // two draws may share a mask by chance (at p = 0.1 both keep all 6 inputs with probability
        // 0.28); that all N draws equal the first has probability below 0.53^3999
        float[] first = Arrays.copyOfRange(draws, 0, 4);
        boolean anyDiffers = false;
        for (int i = 1; i < N && !anyDiffers; i++) {
            anyDiffers = !Arrays.equals(first, Arrays.copyOfRange(draws, 4 * i, 4 * i + 4));
        }
        assertTrue(anyDiffers, "all " + N + " training draws gave the same output");
        // update_o = s sum_i (BA)_oi x_i m_i / (1 - p): variance s^2 p / (1 - p) sum_i ((BA)_oi x_i)^2
        float[] ba =
                lora.getLoraB().getArray().matMul(lora.getLoraA().getArray()).toFloatArray(); // (4, in)
        float[] xs = row.toFloatArray();
        double s = lora.getScaling();
        for (int o = 0; o < 4; o++) {
            double mean = 0;
            for (int r = 0; r < N; r++) {
                mean += draws[r * 4 + o] / (double) N;
            }
            double var = 0;
            for (int i = 0; i < IN; i++) {
                var += Math.pow(s * ba[o * IN + i] * xs[i], 2) * p / (1 - p);
            }
            // 6 standard errors (normal tail 2e-9 per output) plus float rounding of one forward
            double tolerance = 6 * Math.sqrt(var / N) + 1e-5;
            assertEquals(inference[o], mean, tolerance, "output " + o);
        }
    }
}
