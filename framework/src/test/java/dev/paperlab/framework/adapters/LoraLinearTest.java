package dev.paperlab.framework.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoraLinearTest {

    private static final int IN = 6;
    private static final int OUT = 4;
    private NDManager manager;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        store = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Linear base() {
        Linear linear = Linear.builder().setUnits(OUT).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(3, IN));
        // non-zero bias so that it is really part of the comparison
        linear.getDirectParameters().get("bias").getArray().addi(manager.randomNormal(new Shape(OUT)));
        return linear;
    }

    private NDArray x() {
        return manager.randomNormal(new Shape(3, IN));
    }

    private NDArray forward(ai.djl.nn.Block block, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** Simulates training having moved B away from zero. */
    private void perturbB(LoraLinear lora) {
        NDArray b = lora.getLoraB().getArray();
        b.addi(manager.randomNormal(b.getShape()));
    }

    @ParameterizedTest
    @EnumSource(LoraInit.class)
    void outputAtInitEqualsFrozenBaseExactly(LoraInit init) {
        Linear base = base();
        NDArray x = x();
        float[] expected = forward(base, x, false).toFloatArray();
        LoraLinear lora = LoraLinear.builder()
                .setBase(base)
                .setRank(2)
                .optAlpha(8)
                .optDropout(0.3f)
                .optInit(init)
                .build();
        assertArrayEquals(expected, forward(lora, x, false).toFloatArray(), 0f);
        assertArrayEquals(expected, forward(lora, x, true).toFloatArray(), 0f);
        assertTrue(lora.getLoraA().getArray().abs().sum().getFloat() > 0, "A must be random");
        assertEquals(0f, lora.getLoraB().getArray().abs().sum().getFloat(), 0f);
    }

    @Test
    void forwardMatchesExplicitMatrixFormula() {
        Linear base = base();
        LoraLinear lora =
                LoraLinear.builder().setBase(base).setRank(3).optAlpha(6).build();
        perturbB(lora);
        NDArray x = x();
        NDArray w = lora.getBaseWeight().getArray();
        NDArray bias = base.getDirectParameters().get("bias").getArray();
        NDArray a = lora.getLoraA().getArray();
        NDArray b = lora.getLoraB().getArray();
        // Y = X W0^T + bias + (alpha/r) X A^T B^T, with alpha/r = 2
        NDArray expected = x.matMul(w.transpose())
                .add(bias)
                .add(x.matMul(a.transpose()).matMul(b.transpose()).mul(2));
        assertArrayEquals(expected.toFloatArray(), forward(lora, x, false).toFloatArray(), 1e-5f);
        assertArrayEquals(
                expected.toFloatArray(), LoraLinear.lora(x, w, bias, a, b, 2f).toFloatArray(), 1e-5f);
    }

    @Test
    void mergedEqualsUnmergedAndUnmergeRestoresTheWeight() {
        Linear base = base();
        NDArray x = x();
        LoraLinear lora =
                LoraLinear.builder().setBase(base).setRank(2).optAlpha(3).build();
        perturbB(lora);
        float[] w0 = lora.getBaseWeight().getArray().toFloatArray();
        float[] unmerged = forward(lora, x, false).toFloatArray();
        float[] plain = Linear.linear(
                        x,
                        lora.getBaseWeight().getArray(),
                        base.getDirectParameters().get("bias").getArray())
                .head()
                .toFloatArray();
        lora.merge();
        assertTrue(lora.isMerged());
        lora.merge(); // idempotent
        assertArrayEquals(unmerged, forward(lora, x, false).toFloatArray(), 1e-5f);
        // the merged weight really changed, so the merged path is not the base path
        float[] merged = lora.getBaseWeight().getArray().toFloatArray();
        assertTrue(maxAbsDiff(w0, merged) > 1e-3, "merge must change W");
        assertTrue(maxAbsDiff(plain, unmerged) > 1e-3, "the update must change the output");
        lora.unmerge();
        lora.unmerge(); // idempotent
        assertFalse(lora.isMerged());
        assertArrayEquals(w0, lora.getBaseWeight().getArray().toFloatArray(), 1e-6f);
        assertArrayEquals(unmerged, forward(lora, x, false).toFloatArray(), 1e-5f);
    }

    @Test
    void onlyAandBReceiveGradients() {
        Linear base = base();
        LoraLinear lora = LoraLinear.builder().setBase(base).setRank(2).build();
        NDArray x = x();
        // At B = 0, dL/dA = B^T (...) = 0 exactly while dL/dB = (...) (A x)^T is not.
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(forward(lora, x, true).square().sum());
        }
        assertEquals(0f, lora.getLoraA().getArray().getGradient().abs().sum().getFloat(), 0f);
        assertTrue(lora.getLoraB().getArray().getGradient().abs().sum().getFloat() > 0);
        perturbB(lora);
        lora.getLoraA().getArray().getGradient().subi(lora.getLoraA().getArray().getGradient());
        lora.getLoraB().getArray().getGradient().subi(lora.getLoraB().getArray().getGradient());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(forward(lora, x, true).square().sum());
        }
        for (var p : lora.getParameters()) {
            NDArray array = p.getValue().getArray();
            boolean adapter = p.getValue() == lora.getLoraA() || p.getValue() == lora.getLoraB();
            boolean nonZero =
                    array.hasGradient() && array.getGradient().abs().sum().getFloat() > 0;
            assertEquals(adapter, nonZero, p.getKey());
            assertEquals(adapter, p.getValue().requiresGradient(), p.getKey());
        }
    }

    @Test
    void trainableCountIsRankTimesInPlusOut() {
        LoraLinear lora = LoraLinear.builder().setBase(base()).setRank(3).build();
        assertEquals(3L * (IN + OUT), lora.getTrainableParameterCount());
        assertEquals(
                lora.getTrainableParameterCount(),
                lora.getLoraA().getArray().size() + lora.getLoraB().getArray().size());
        assertEquals(new Shape(3, IN), lora.getLoraA().getArray().getShape());
        assertEquals(new Shape(OUT, 3), lora.getLoraB().getArray().getShape());
        assertEquals(1f, lora.getScaling(), 0f); // alpha defaults to r
    }

    @Test
    void bareWeightCanBeAdapted() {
        NDArray w = manager.randomNormal(new Shape(OUT, IN));
        LoraLinear lora = LoraLinear.builder().setWeight(w, null).setRank(1).build();
        NDArray x = x();
        assertArrayEquals(
                x.matMul(w.transpose()).toFloatArray(), forward(lora, x, false).toFloatArray(), 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 5, 100})
    void badRankIsRejectedWithTheValues(int rank) {
        Linear base = base();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LoraLinear.builder().setBase(base).setRank(rank).build());
        assertTrue(e.getMessage().contains("rank " + rank), e.getMessage());
        assertTrue(
                e.getMessage().contains("in " + IN)
                        && e.getMessage().contains("out " + OUT)
                        && e.getMessage().contains("= " + Math.min(IN, OUT)),
                e.getMessage());
    }

    @Test
    void otherBadSettingsAreRejected() {
        Linear base = base();
        assertThrows(
                IllegalArgumentException.class,
                () -> LoraLinear.builder().setBase(base).setRank(2).optAlpha(-1).build());
        IllegalArgumentException dropout = assertThrows(
                IllegalArgumentException.class,
                () -> LoraLinear.builder()
                        .setBase(base)
                        .setRank(2)
                        .optDropout(1f)
                        .build());
        assertTrue(dropout.getMessage().contains("1.0"), dropout.getMessage());
        Linear uninitialized = Linear.builder().setUnits(3).build();
        assertThrows(
                IllegalArgumentException.class,
                () -> LoraLinear.builder().setBase(uninitialized).setRank(1).build());
        LoraLinear lora = LoraLinear.builder().setBase(base).setRank(1).build();
        assertThrows(
                IllegalArgumentException.class,
                () -> LoraLinear.builder().setBase(lora).setRank(1).build());
        assertThrows(
                UnsupportedOperationException.class, () -> LoraLinear.builder().setUnits(3));
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
