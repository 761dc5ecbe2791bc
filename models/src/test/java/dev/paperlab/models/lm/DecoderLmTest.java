package dev.paperlab.models.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.attention.KvCache;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DecoderLmTest {

    private static LmConfig config(String attention, String position) {
        LmConfig.AttentionKind kind = LmConfig.AttentionKind.valueOf(attention);
        int kv = kind == LmConfig.AttentionKind.MQA ? 1 : kind == LmConfig.AttentionKind.GQA ? 2 : 4;
        return new LmConfig(11, 16, 2, 32, 4, kv, kind, LmConfig.PositionKind.valueOf(position), true, 0f);
    }

    private static DecoderLm model(NDManager manager, LmConfig config) {
        Engine.getInstance().setRandomSeed(11);
        DecoderLm lm = new DecoderLm(config);
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        lm.applyGptInit(manager);
        return lm;
    }

    @ParameterizedTest
    @CsvSource({"MHA,LEARNED", "GQA,ROPE", "MQA,ROPE", "FLASH,LEARNED", "FLASH,ROPE"})
    void incrementalDecodingWithKvCacheEqualsFullForward(String attention, String position) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LmConfig config = config(attention, position);
            DecoderLm lm = model(manager, config);
            ParameterStore ps = new ParameterStore(manager, false);
            int[] ids = {1, 5, 2, 9, 3, 3, 7, 0, 10, 4};
            NDArray tokens = manager.create(ids, new Shape(1, ids.length));
            NDArray full = lm.forward(ps, tokens, null, 0, false); // (1, T, V)
            List<KvCache> caches = lm.newCaches(manager, 1);
            // prefill 4, then one token at a time
            NDArray prefix = lm.forward(ps, tokens.get(new NDIndex(":, 0:4")), caches, 0, false);
            float max = prefix.sub(full.get(new NDIndex(":, 0:4"))).abs().max().getFloat();
            for (int t = 4; t < ids.length; t++) {
                NDArray step = lm.forward(ps, tokens.get(new NDIndex(":, {}:{}", t, t + 1)), caches, t, false);
                max = Math.max(max, step.sub(full.get(new NDIndex(":, {}:{}", t, t + 1))).abs().max().getFloat());
            }
            assertTrue(max < 1e-4, "max |incremental - full| = " + max);
        }
    }

    @ParameterizedTest
    @CsvSource({"MHA,LEARNED", "GQA,ROPE", "FLASH,ROPE"})
    void logitsAtPositionTIgnoreLaterTokens(String attention, String position) {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm lm = model(manager, config(attention, position));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = lm.forward(ps, manager.create(new int[] {1, 2, 3, 4, 5, 6}, new Shape(1, 6)), null, 0, false);
            NDArray b = lm.forward(ps, manager.create(new int[] {1, 2, 3, 9, 9, 9}, new Shape(1, 6)), null, 0, false);
            NDIndex head = new NDIndex(":, 0:3");
            assertEquals(0f, a.get(head).sub(b.get(head)).abs().max().getFloat(), 1e-5f);
            assertTrue(a.get(new NDIndex(":, 3:")).sub(b.get(new NDIndex(":, 3:"))).abs().max().getFloat() > 1e-4);
        }
    }

    @Test
    void badConfigurationsNameTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LmConfig(10, 16, 1, 30, 4, 4, LmConfig.AttentionKind.MHA, LmConfig.PositionKind.LEARNED, true, 0));
        assertTrue(e.getMessage().contains("30") && e.getMessage().contains("4 heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LmConfig(10, 16, 1, 32, 4, 3, LmConfig.AttentionKind.GQA, LmConfig.PositionKind.LEARNED, true, 0));
        assertTrue(e.getMessage().contains("4 heads") && e.getMessage().contains("3 kv heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LmConfig(10, 16, 1, 12, 4, 4, LmConfig.AttentionKind.MHA, LmConfig.PositionKind.ROPE, true, 0));
        assertTrue(e.getMessage().contains("even head size") && e.getMessage().contains("3"), e.getMessage());
    }
}
