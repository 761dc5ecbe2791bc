package dev.paperlab.framework.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoraInjectionTest {

    private static final int E = 8;
    private NDManager manager;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(9);
        manager = NDManager.newBaseManager();
        store = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A block that calls its projections through typed fields, as attention blocks do. */
    static final class TinyAttention extends AbstractBlock {
        private final Linear query;
        private final Linear key;
        private final Linear value;
        private final Linear output;

        TinyAttention() {
            query = addChildBlock("query", Linear.builder().setUnits(E).build());
            key = addChildBlock("key", Linear.builder().setUnits(E).build());
            value = addChildBlock("value", Linear.builder().setUnits(E).build());
            output = addChildBlock("output", Linear.builder().setUnits(E).build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList x = new NDList(inputs.head()); // (B, T, E)
            NDArray q = query.forward(ps, x, training).head(); // (B, T, E)
            NDArray k = key.forward(ps, x, training).head(); // (B, T, E)
            NDArray v = value.forward(ps, x, training).head(); // (B, T, E)
            NDArray p = q.matMul(k.swapAxes(1, 2)).div(Math.sqrt(E)).softmax(-1); // (B, T, T)
            return output.forward(ps, new NDList(p.matMul(v)), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
            for (Block child : getChildren().values()) {
                child.initialize(m, type, shapes);
            }
        }
    }

    private SequentialBlock model() {
        SequentialBlock model = new SequentialBlock()
                .add(new TinyAttention())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
        model.initialize(manager, DataType.FLOAT32, new Shape(2, 5, E));
        return model;
    }

    private NDArray run(Block model, NDArray x, boolean training) {
        return model.forward(store, new NDList(x), training).head();
    }

    private static long count(Block model) {
        return model.getParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    private void perturbAllB(List<LoraLinear> adapters) {
        for (LoraLinear lora : adapters) {
            NDArray b = lora.getLoraB().getArray();
            b.addi(manager.randomNormal(b.getShape()));
        }
    }

    @Test
    void adaptsSelectedLayersAndKeepsTheOutputAtInit() {
        SequentialBlock model = model();
        NDArray x = manager.randomNormal(new Shape(2, 5, E));
        float[] before = run(model, x, false).toFloatArray();
        long totalBefore = count(model);

        Lora.Report report = Lora.apply(model, path -> path.endsWith("query") || path.endsWith("value"), 2, 4f);

        assertEquals(List.of("01TinyAttention/01query", "01TinyAttention/03value"), report.adaptedPaths());
        assertEquals(report.adapters(), Lora.adapters(model));
        long perLayer = 2L * (E + E);
        assertEquals(2 * perLayer, report.trainableParameters());
        assertEquals(totalBefore + 2 * perLayer, report.totalParameters());
        assertEquals((double) 2 * perLayer / (totalBefore + 2 * perLayer), report.trainableFraction(), 1e-12);
        assertArrayEquals(before, run(model, x, false).toFloatArray(), 0f);

        // The typed fields now point at the adapters: moving B changes the output.
        perturbAllB(report.adapters());
        float[] after = run(model, x, false).toFloatArray();
        float diff = 0;
        for (int i = 0; i < after.length; i++) {
            diff = Math.max(diff, Math.abs(after[i] - before[i]));
        }
        assertTrue(diff > 1e-3, "adapters must be on the forward path, diff " + diff);

        // Merging every adapter keeps the function.
        Lora.adapters(model).forEach(LoraLinear::merge);
        assertArrayEquals(after, run(model, x, false).toFloatArray(), 1e-5f);
    }

    @Test
    void onlyAdapterParametersGetGradients() {
        SequentialBlock model = model();
        Lora.Report report = Lora.apply(model, path -> path.contains("query"), 2, 2f);
        assertEquals(1, report.adapters().size());
        perturbAllB(report.adapters());
        NDArray x = manager.randomNormal(new Shape(2, 5, E));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(run(model, x, true).square().sum());
        }
        LoraLinear lora = report.adapters().get(0);
        int nonZero = 0;
        for (var pair : model.getParameters()) {
            Parameter p = pair.getValue();
            NDArray array = p.getArray();
            boolean hasSignal =
                    array.hasGradient() && array.getGradient().abs().sum().getFloat() > 0;
            boolean adapter = p == lora.getLoraA() || p == lora.getLoraB();
            assertEquals(adapter, hasSignal, pair.getKey());
            nonZero += hasSignal ? 1 : 0;
        }
        assertEquals(2, nonZero);
    }

    @Test
    void replacesProjectionsInsideDjlsOwnAttentionBlock() {
        ScaledDotProductAttentionBlock attention = ScaledDotProductAttentionBlock.builder()
                .setEmbeddingSize(E)
                .setHeadCount(2)
                .optAttentionProbsDropoutProb(0f)
                .build();
        attention.initialize(manager, DataType.FLOAT32, new Shape(2, 5, E));
        NDArray x = manager.randomNormal(new Shape(2, 5, E));
        float[] before = run(attention, x, false).toFloatArray();
        Lora.Report report = Lora.apply(attention, path -> path.contains("query") || path.contains("value"), 4, 8f);
        assertEquals(2, report.adaptedPaths().size(), report.adaptedPaths().toString());
        assertArrayEquals(before, run(attention, x, false).toFloatArray(), 0f);
        perturbAllB(report.adapters());
        float[] after = run(attention, x, false).toFloatArray();
        float diff = 0;
        for (int i = 0; i < after.length; i++) {
            diff = Math.max(diff, Math.abs(after[i] - before[i]));
        }
        assertTrue(diff > 1e-3, "DJL's fields must now call the adapters, diff " + diff);
    }
}
