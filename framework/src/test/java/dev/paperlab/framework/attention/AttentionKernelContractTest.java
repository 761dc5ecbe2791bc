package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.maxAbsDiff;
import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
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
        double[][][][] ref = AttentionTesting.bruteForce(
                AttentionTesting.toArray4(q), AttentionTesting.toArray4(k), AttentionTesting.toArray4(v), allowed);
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

    /** One broken rule: the inputs' shapes (null: no mask), and what the message must name. */
    private record BadInput(
            String rule,
            long[] q,
            long[] k,
            long[] v,
            long[] mask,
            boolean causal,
            float dropout,
            String... mentions) {}

    private static final long[] Q = {2, 4, 5, 8};
    private static final long[] KV = {2, 2, 7, 8};

    static Stream<BadInput> badInputs() {
        return Stream.of(
                new BadInput(
                        "q rank 3",
                        new long[] {2, 4, 5},
                        KV,
                        KV,
                        null,
                        false,
                        0f,
                        "q must be (B, H, T, D), rank 4",
                        "(2, 4, 5)"),
                new BadInput(
                        "k rank 5",
                        Q,
                        new long[] {2, 2, 7, 8, 1},
                        new long[] {2, 2, 7, 8, 1},
                        null,
                        false,
                        0f,
                        "k must be (B, Hkv, S, D), rank 4",
                        "(2, 2, 7, 8, 1)"),
                new BadInput(
                        "v rank 3",
                        Q,
                        KV,
                        new long[] {2, 7, 8},
                        null,
                        false,
                        0f,
                        "v must be (B, Hkv, S, D), rank 4",
                        "(2, 7, 8)"),
                new BadInput(
                        "batch",
                        Q,
                        new long[] {3, 2, 7, 8},
                        new long[] {3, 2, 7, 8},
                        null,
                        false,
                        0f,
                        "k must be",
                        "B = 2",
                        "(2, 4, 5, 8)",
                        "(3, 2, 7, 8)"),
                new BadInput(
                        "head size",
                        Q,
                        new long[] {2, 2, 7, 6},
                        new long[] {2, 2, 7, 6},
                        null,
                        false,
                        0f,
                        "k must be",
                        "D = 8",
                        "(2, 2, 7, 6)"),
                new BadInput(
                        "heads",
                        Q,
                        new long[] {2, 3, 7, 8},
                        new long[] {2, 3, 7, 8},
                        null,
                        false,
                        0f,
                        "k must have",
                        "4 query heads",
                        "(2, 3, 7, 8)"),
                new BadInput(
                        "v unlike k",
                        Q,
                        KV,
                        new long[] {2, 2, 6, 8},
                        null,
                        false,
                        0f,
                        "v must have the shape of k (2, 2, 7, 8)",
                        "(2, 2, 6, 8)"),
                new BadInput(
                        "causal with S < T",
                        Q,
                        new long[] {2, 2, 3, 8},
                        new long[] {2, 2, 3, 8},
                        null,
                        true,
                        0f,
                        "k must have at least T = 5",
                        "(2, 2, 3, 8)"),
                new BadInput(
                        "mask",
                        Q,
                        KV,
                        KV,
                        new long[] {2, 1, 4, 7},
                        false,
                        0f,
                        "mask must broadcast",
                        "(2, 4, 5, 7)",
                        "(2, 1, 4, 7)"),
                new BadInput(
                        "mask rank 1",
                        Q,
                        KV,
                        KV,
                        new long[] {7},
                        false,
                        0f,
                        "mask must broadcast",
                        "(2, 4, 5, 7)",
                        "(7)"),
                new BadInput("dropout 1", Q, KV, KV, null, false, 1f, "dropout must be in [0, 1)", "1.0"),
                new BadInput("dropout < 0", Q, KV, KV, null, false, -0.1f, "dropout must be in [0, 1)", "-0.1"),
                new BadInput("dropout NaN", Q, KV, KV, null, false, Float.NaN, "dropout must be in [0, 1)", "NaN"));
    }

    private String messageOf(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void everyKernelRejectsABadInputWithTheSameMessage(BadInput bad) {
        NDArray q = manager.zeros(new Shape(bad.q()));
        NDArray k = manager.zeros(new Shape(bad.k()));
        NDArray v = manager.zeros(new Shape(bad.v()));
        NDArray mask = bad.mask() == null ? null : manager.ones(new Shape(bad.mask()), DataType.BOOLEAN);
        String expected = messageOf(() -> AttentionInputs.validate(q, k, v, mask, bad.causal(), bad.dropout()));
        for (String mention : bad.mentions()) {
            assertTrue(expected.contains(mention), bad.rule() + ": \"" + expected + "\" lacks \"" + mention + "\"");
        }
        kernels()
                .forEach(kernel -> assertEquals(
                        expected,
                        messageOf(() -> kernel.attend(q, k, v, mask, bad.causal(), bad.dropout())),
                        kernel.toString()));
        if (bad.dropout() == 0f) {
            assertEquals(
                    expected,
                    messageOf(() -> Attention.scaledDotProductWithWeights(q, k, v, mask, bad.causal())),
                    "static form");
            // the hand-written backward pass checks the same inputs before its own (o, dO, L)
            Shape lse = q.getShape().dimension() >= 3 ? q.getShape().slice(0, 3) : q.getShape();
            assertEquals(
                    expected,
                    messageOf(
                            () -> FlashAttention.backward(q, k, v, q, manager.zeros(lse), q, mask, bad.causal(), 4, 4)),
                    "flash backward");
        }
    }
}
