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
