package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout on the attention weights (Vaswani et al., 2017, §5.4; inverted dropout as in Srivastava
 * et al., 2014): in training each weight is kept with probability 1 - p and then divided by 1 - p,
 * so the expected output is the output without dropout; outside training nothing is dropped.
 *
 * <p>The trick that exposes the dropped weights: with V the identity (S = D), the output row i is
 * the row i of the weights that multiplied V, {@code sum_j w'_ij e_j = w'_i}.
 */
class AttentionDropoutTest {
    /** Independent draws: the batch holds N copies of the same queries, keys and values. */
    private static final int N = 2000;
    /**
     * Per-element tolerance of a mean over N draws, in standard errors: a two-sided normal tail
     * beyond 6 sigma has probability 2e-9, so over the 40 elements of one check a correct
     * implementation fails with probability below 1e-7.
     */
    private static final double Z = 6;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<Arguments> kernelsAndRates() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (float p : new float[] {0.2f, 0.5f, 0.75f}) {
            s.add(Arguments.of(AttentionKernel.naive(), p));
            // 2000 * 2 * 6 keys * 4 bytes = 96 kB a query row: blocks of 2 rows
            s.add(Arguments.of(AttentionKernel.chunked(200_000), p));
            s.add(Arguments.of(FlashAttention.withBlocks(2, 4), p));
        }
        return s.build();
    }

    /** N copies along the batch axis of a (1, ...) array. */
    private static NDArray copies(NDArray a) {
        return a.repeat(0, N);
    }

    /**
     * How far a surviving weight may be from w / (1 - p), in float ulps: none for the unfused
     * kernels when 1 / (1 - p) is a power of two (the product is exact); one where libtorch's float
     * 1 / (1 - p) times w may round differently from w / (1 - p); flash divides by the row sum after
     * dropout instead of before, a few more roundings.
     */
    private static int allowedUlps(AttentionKernel kernel, float p) {
        if (kernel instanceof FlashAttention) {
            return 4;
        }
        return p == 0.5f || p == 0.75f ? 0 : 1;
    }

    @ParameterizedTest(name = "{0}, p={1}")
    @MethodSource("kernelsAndRates")
    void survivingWeightsAreDividedByOneMinusPAndAboutPAreDropped(AttentionKernel kernel, float p) {
        NDArray q = copies(randn(manager, 1, 2, 5, 6));
        NDArray k = copies(randn(manager, 1, 2, 6, 6));
        NDArray identity = copies(manager.eye(6).reshape(1, 1, 6, 6).repeat(1, 2)); // (N, 2, 6, 6)
        float[] w = kernel.attend(q, k, identity, null, false, 0f).toFloatArray(); // the weights
        float[] dropped = kernel.attend(q, k, identity, null, false, p).toFloatArray();
        int ulps = allowedUlps(kernel, p);
        long zeros = 0;
        for (int i = 0; i < w.length; i++) {
            assertTrue(w[i] > 0f, "unmasked weights are positive");
            if (dropped[i] == 0f) {
                zeros++;
                continue;
            }
            float expected = (float) (w[i] / (1.0 - p));
            assertTrue(
                    Math.abs(dropped[i] - expected) <= ulps * Math.ulp(expected),
                    kernel + ": surviving weight " + dropped[i] + " is not " + w[i] + " / (1 - " + p + ") = "
                            + expected);
        }
        // the dropped count is Binomial(n, p): 5 standard deviations, false alarm below 1e-6
        double n = w.length;
        double sd = Math.sqrt(n * p * (1 - p));
        assertTrue(
                Math.abs(zeros - n * p) <= 5 * sd,
                kernel + ": dropped " + zeros + " of " + (long) n + ", expected " + n * p + " +- " + 5 * sd);
    }

    @ParameterizedTest(name = "{0}, p={1}")
    @MethodSource("kernelsAndRates")
    void theMeanOverDrawsIsTheOutputWithoutDropout(AttentionKernel kernel, float p) {
        NDArray q1 = randn(manager, 1, 2, 5, 4);
        NDArray k1 = randn(manager, 1, 2, 6, 4);
        NDArray v1 = randn(manager, 1, 2, 6, 4);
        float[][][][] qa = AttentionTesting.toArray4(q1);
        float[][][][] ka = AttentionTesting.toArray4(k1);
        float[][][][] va = AttentionTesting.toArray4(v1);
        double[][][] w = AttentionTesting.bruteForceWeights(qa, ka, null)[0]; // (H, T, S), in doubles
        double[][][] expected = AttentionTesting.bruteForce(qa, ka, va, null)[0]; // (H, T, D)
        NDArray out = kernel.attend(copies(q1), copies(k1), copies(v1), null, false, p); // (N, H, T, D)
        float[][][] mean = AttentionTesting.toArray4(out.mean(new int[] {0}, true))[0];
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 5; i++) {
                for (int d = 0; d < 4; d++) {
                    // one draw: sum_j w_ij v_jd m_j / (1 - p), m_j ~ Bernoulli(1 - p), whose
                    // variance is p / (1 - p) sum_j (w_ij v_jd)^2
                    double var = 0;
                    for (int j = 0; j < 6; j++) {
                        var += Math.pow(w[h][i][j] * va[0][h][j][d], 2) * p / (1 - p);
                    }
                    // plus float rounding of the kernels, 1e-5 as in the kernel contract test
                    double tolerance = Z * Math.sqrt(var / N) + 1e-5;
                    double err = Math.abs(mean[h][i][d] - expected[h][i][d]);
                    assertTrue(
                            err <= tolerance,
                            kernel + " h" + h + " i" + i + " d" + d + ": mean " + mean[h][i][d] + " vs "
                                    + expected[h][i][d] + ", tolerance " + tolerance);
                }
            }
        }
    }

    /** One head, E = D = 4, no bias, W_v = W_o = I: fed x_j = e_j, output row i is weight row i. */
    private MultiHeadAttention weightRevealingBlock(float dropout) {
        MultiHeadAttention block = MultiHeadAttention.builder()
                .setEmbeddingSize(4)
                .setHeads(1)
                .optBias(false)
                .optDropout(dropout)
                .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4));
        for (Linear proj : new Linear[] {block.getValueProjection(), block.getOutputProjection()}) {
            manager.eye(4).copyTo(proj.getParameters().get("weight").getArray());
        }
        return block;
    }

    @Test
    void theBlockDropsOnlyInTrainingAndScalesBy1OverOneMinusP() {
        MultiHeadAttention block = weightRevealingBlock(0.5f);
        MultiHeadAttention noDropout = weightRevealingBlock(0f);
        block.getQueryProjection()
                .getParameters()
                .get("weight")
                .getArray()
                .copyTo(noDropout
                        .getQueryProjection()
                        .getParameters()
                        .get("weight")
                        .getArray());
        block.getKeyProjection()
                .getParameters()
                .get("weight")
                .getArray()
                .copyTo(noDropout
                        .getKeyProjection()
                        .getParameters()
                        .get("weight")
                        .getArray());
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = copies(manager.eye(4).reshape(1, 4, 4)); // (N, T = 4, E = 4), x_j = e_j
        float[] w = noDropout.forward(ps, new NDList(x), false).head().toFloatArray();
        // inference: no dropout, the same numbers as the block without it
        assertArrayEquals(w, block.forward(ps, new NDList(x), false).head().toFloatArray(), 0f);
        assertArrayEquals(w, block.forward(ps, new NDList(x), false).head().toFloatArray(), 0f);
        float[] train = block.forward(ps, new NDList(x), true).head().toFloatArray();
        long zeros = 0;
        for (int i = 0; i < w.length; i++) {
            if (train[i] == 0f) {
                zeros++;
            } else {
                assertEquals(2 * w[i], train[i], 0f, "survivor at " + i); // 1 / (1 - 0.5) = 2, exact
            }
        }
        double sd = Math.sqrt(w.length * 0.25); // Binomial(n, 0.5), 5 standard deviations
        assertTrue(Math.abs(zeros - w.length * 0.5) <= 5 * sd, "dropped " + zeros + " of " + w.length);
    }
}
