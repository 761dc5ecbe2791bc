package dev.paperlab.framework.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.paperlab.framework.position.RopeConvention;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionRopeTest {

    private static MultiHeadAttention block(NDManager m, RopeConvention rope) {
        MultiHeadAttention b = MultiHeadAttention.builder().setEmbeddingSize(16).setHeads(2).optCausal(true)
                .optRotary(rope).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 5, 16));
        return b;
    }

    @Test
    void meanPoolConversionKeepsRopeAndIsExactForIdenticalHeads() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            MultiHeadAttention mha = MultiHeadAttention.builder().setEmbeddingSize(16).setHeads(4).optCausal(true)
                    .optRotary(RopeConvention.INTERLEAVED).build();
            mha.initialize(m, DataType.FLOAT32, new Shape(1, 5, 16));
            // heads 2g and 2g+1 share their key and value projections: pooling pairs loses nothing
            for (var proj : new ai.djl.nn.core.Linear[] {mha.getKeyProjection(), mha.getValueProjection()}) {
                for (Pair<String, Parameter> p : proj.getParameters()) {
                    NDArray w = p.getValue().getArray(); // rows [h*4, (h+1)*4) belong to head h
                    for (int g = 0; g < 2; g++) {
                        w.set(new ai.djl.ndarray.index.NDIndex("{}:{}", 8 * g + 4, 8 * g + 8),
                                w.get(new ai.djl.ndarray.index.NDIndex("{}:{}", 8 * g, 8 * g + 4)));
                    }
                }
            }
            MultiHeadAttention gqa = GroupedQueryConversion.meanPool(mha, 2, m);
            assertEquals(RopeConvention.INTERLEAVED, gqa.rope());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 16));
            float diff = mha.forward(ps, x, null, null, false).sub(gqa.forward(ps, x, null, null, false))
                    .abs().max().getFloat();
            assertEquals(0f, diff, 1e-5f);
        }
    }

    @Test
    void ropeRotatesQueriesAndKeysByPositionOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            MultiHeadAttention plain = block(m, null);
            MultiHeadAttention rope = block(m, RopeConvention.HALF_SPLIT);
            var src = plain.getParameters().iterator();
            for (Pair<String, Parameter> p : rope.getParameters()) {
                src.next().getValue().getArray().copyTo(p.getValue().getArray());
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 16));
            NDArray a = plain.forward(ps, x, null, null, false);
            NDArray b = rope.forward(ps, x, null, null, false);
            // position 0 is the identity rotation: the first causal output is unchanged ...
            assertEquals(0f, a.get("0, 0").sub(b.get("0, 0")).abs().max().getFloat(), 1e-6f);
            // ... later positions see rotated scores
            assertTrue(a.get("0, 1:").sub(b.get("0, 1:")).abs().max().getFloat() > 1e-4);
        }
    }
}
