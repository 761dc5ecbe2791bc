package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.maxAbsDiff;
import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every kernel must do, whatever its schedule. */
class AttentionKernelContractTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(13);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<AttentionKernel> kernels() {
        return Stream.of(
                AttentionKernel.naive(),
                AttentionKernel.chunked(),
                // 2 * 4 * 13 keys * 4 bytes = 416 bytes a row: blocks of 3 query rows
                AttentionKernel.chunked(1250),
                AttentionKernel.chunked(1),
                FlashAttention.withBlocks(4, 5),
                FlashAttention.create());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void matchesBruteForceWithPaddingCausalAndGroupedHeads(AttentionKernel kernel) {
        NDArray q = randn(manager, 2, 4, 11, 8);
        NDArray k = randn(manager, 2, 2, 13, 8);
        NDArray v = randn(manager, 2, 2, 13, 8);
        long[] lengths = {13, 9};
        NDArray mask = Attention.paddingMask(manager.create(lengths), 13);
        boolean[][][][] allowed = new boolean[2][4][11][13];
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 4; h++) {
                for (int i = 0; i < 11; i++) {
                    for (int j = 0; j < 13; j++) {
                        // causal with queries at positions i + 2, keys past the length padded
                        allowed[b][h][i][j] = j <= i + 2 && j < lengths[b];
                    }
                }
            }
        }
        NDArray out = kernel.attend(q, k, v, mask, true, 0f);
        double[][][][] ref =
                AttentionTesting.bruteForce(
                        AttentionTesting.toArray4(q),
                        AttentionTesting.toArray4(k),
                        AttentionTesting.toArray4(v),
                        allowed);
        double err = maxAbsDiff(out, ref);
        assertTrue(err <= 1e-5, kernel + " error " + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void autogradGradientsMatchTheNaiveKernel(AttentionKernel kernel) {
        NDArray q = randn(manager, 2, 4, 11, 8);
        NDArray k = randn(manager, 2, 2, 13, 8);
        NDArray v = randn(manager, 2, 2, 13, 8);
        NDArray dO = randn(manager, 2, 4, 11, 8);
        NDArray mask = Attention.paddingMask(manager.create(new long[] {13, 9}), 13);
        NDList expected = AttentionTesting.autogradGradients(q, k, v, mask, true, dO);
        NDArray[] inputs = {q.duplicate(), k.duplicate(), v.duplicate()};
        for (NDArray a : inputs) {
            a.setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = kernel.attend(inputs[0], inputs[1], inputs[2], mask, true, 0f);
            gc.backward(out.mul(dO).sum());
        }
        for (int i = 0; i < 3; i++) {
            float err = maxAbsDiff(inputs[i].getGradient(), expected.get(i));
            assertTrue(err <= 1e-4, kernel + " gradient " + i + " error " + err);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void causalOutputIgnoresLaterPositions(AttentionKernel kernel) {
        NDArray x = randn(manager, 1, 2, 12, 8);
        NDArray changed = x.duplicate();
        changed.set(new NDIndex(":, :, 7:"), randn(manager, 1, 2, 5, 8).mul(10));
        NDIndex upTo6 = new NDIndex(":, :, 0:7");
        NDArray a = kernel.attend(x, x, x, true).get(upTo6);
        NDArray b = kernel.attend(changed, changed, changed, true).get(upTo6);
        assertTrue(maxAbsDiff(a, b) <= 1e-6, kernel.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void leavesOnlyItsResultBehind(AttentionKernel kernel) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray q = randn(sub, 2, 4, 11, 8);
            NDArray k = randn(sub, 2, 2, 13, 8);
            NDArray mask = Attention.paddingMask(sub.create(new long[] {13, 9}), 13);
            int before = sub.getManagedArrays().size();
            kernel.attend(q, k, k, mask, true, 0f);
            assertEquals(before + 1, sub.getManagedArrays().size(), kernel.toString());
        }
    }
}
