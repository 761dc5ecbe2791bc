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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecoderLmTest {

    private static LmConfig config(String grouping, String kernel, String position) {
        return LmConfig.builder()
                .setVocabSize(11)
                .optContext(16)
                .optLayers(2)
                .optDModel(32)
                .optHeads(4)
                .optKvHeads(LmConfig.HeadGrouping.valueOf(grouping))
                .optAttentionKernel(LmConfig.Kernel.valueOf(kernel))
                .optPosition(LmConfig.PositionKind.valueOf(position))
                .build();
    }

    private static DecoderLm model(NDManager manager, LmConfig config) {
        Engine.getInstance().setRandomSeed(11);
        DecoderLm lm = DecoderLm.builder().optConfig(config).build();
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        lm.applyGptInit(manager);
        return lm;
    }

    @ParameterizedTest
    @CsvSource({
        "MHA,CHUNKED,LEARNED,false",
        "GQA,CHUNKED,ROPE,false",
        "MQA,NAIVE,ROPE,false",
        "MHA,FLASH,LEARNED,false",
        "GQA,FLASH,ROPE,false",
        "MHA,CHUNKED,SINUSOIDAL,false",
        "GQA,CHUNKED,LEARNED,true",
        "MHA,NAIVE,SINUSOIDAL,true"
    })
    void incrementalDecodingWithKvCacheEqualsFullForward(
            String grouping, String kernel, String position, boolean postNorm) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LmConfig config = config(grouping, kernel, position).toBuilder()
                    .optPostNorm(postNorm)
                    .build();
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
                max = Math.max(
                        max,
                        step.sub(full.get(new NDIndex(":, {}:{}", t, t + 1)))
                                .abs()
                                .max()
                                .getFloat());
            }
            assertTrue(max < 1e-4, "max |incremental - full| = " + max);
        }
    }

    @Test
    void nonEmbeddingParametersAreTheBlocksAndFinalNormWhateverTheVocabularyPositionsOrHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm small = model(manager, config("MHA", "CHUNKED", "LEARNED"));
            DecoderLm other = model(
                    manager,
                    LmConfig.builder()
                            .setVocabSize(50)
                            .optContext(32)
                            .optLayers(2)
                            .optDModel(32)
                            .optHeads(4)
                            .optPosition(LmConfig.PositionKind.ROPE)
                            .optTieWeights(false)
                            .build());
            long blocks = small.blocks().stream()
                    .flatMap(b -> b.getParameters().values().stream())
                    .mapToLong(p -> p.getArray().size())
                    .sum();
            assertEquals(blocks + 2 * 32, small.nonEmbeddingParameterCount()); // + final LayerNorm gamma, beta
            assertEquals(small.nonEmbeddingParameterCount(), other.nonEmbeddingParameterCount());
            // Kaplan et al.'s 12 L E^2 leaves out biases and norms: within 10% at E = 32
            assertEquals(12 * 2 * 32 * 32, small.nonEmbeddingParameterCount(), 0.1 * 12 * 2 * 32 * 32);
        }
    }

    @ParameterizedTest
    @CsvSource({"MHA,CHUNKED,LEARNED", "GQA,CHUNKED,ROPE", "GQA,FLASH,ROPE", "MHA,CHUNKED,SINUSOIDAL"})
    void logitsAtPositionTIgnoreLaterTokens(String grouping, String kernel, String position) {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm lm = model(manager, config(grouping, kernel, position));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = lm.forward(ps, manager.create(new int[] {1, 2, 3, 4, 5, 6}, new Shape(1, 6)), null, 0, false);
            NDArray b = lm.forward(ps, manager.create(new int[] {1, 2, 3, 9, 9, 9}, new Shape(1, 6)), null, 0, false);
            NDIndex head = new NDIndex(":, 0:3");
            assertEquals(0f, a.get(head).sub(b.get(head)).abs().max().getFloat(), 1e-5f);
            assertTrue(a.get(new NDIndex(":, 3:"))
                            .sub(b.get(new NDIndex(":, 3:")))
                            .abs()
                            .max()
                            .getFloat()
                    > 1e-4);
        }
    }

    @Test
    void builderRejectsSettingsThatDoNotFitTogetherNamingTheValues() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder()
                        .setVocabSize(10)
                        .optDModel(250)
                        .optHeads(8)
                        .build());
        assertEquals("d_model 250 is not divisible by 8 heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder()
                        .setVocabSize(10)
                        .optDModel(32)
                        .optHeads(4)
                        .optKvHeads(3)
                        .build());
        assertEquals("4 heads are not divisible by 3 kv heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder()
                        .setVocabSize(10)
                        .optHeads(4)
                        .optKvHeads(8)
                        .build());
        assertEquals("4 heads are not divisible by 8 kv heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder()
                        .setVocabSize(10)
                        .optDModel(12)
                        .optHeads(4)
                        .optPosition(LmConfig.PositionKind.ROPE)
                        .build());
        assertEquals("RoPE needs an even head size, got 3 (d_model 12 / 4 heads)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder().optLayers(2).build());
        assertEquals("vocab size must be >= 1, got 0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DecoderLm.builder().setVocabSize(10).optDropout(1f).build());
        assertEquals("dropout must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void headGroupingPresetsGiveTheirKvHeads() {
        LmConfig.Builder b = LmConfig.builder().setVocabSize(10).optDModel(64).optHeads(8);
        assertEquals(8, b.optKvHeads(LmConfig.HeadGrouping.MHA).build().kvHeads());
        assertEquals(4, b.optKvHeads(LmConfig.HeadGrouping.GQA).build().kvHeads());
        assertEquals(1, b.optKvHeads(LmConfig.HeadGrouping.MQA).build().kvHeads());
        assertEquals(
                8,
                LmConfig.builder()
                        .setVocabSize(10)
                        .optHeads(8)
                        .optDModel(64)
                        .build()
                        .kvHeads());
        assertEquals(2, b.optKvHeads(2).build().kvHeads(), "an explicit count replaces the preset");
    }

    @Test
    void badConfigurationsNameTheValues() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new LmConfig(
                        10, 16, 1, 30, 4, 4, LmConfig.Kernel.CHUNKED, LmConfig.PositionKind.LEARNED, true, 0));
        assertTrue(e.getMessage().contains("30") && e.getMessage().contains("4 heads"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new LmConfig(
                        10, 16, 1, 32, 4, 3, LmConfig.Kernel.CHUNKED, LmConfig.PositionKind.LEARNED, true, 0));
        assertTrue(e.getMessage().contains("4 heads") && e.getMessage().contains("3 kv heads"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new LmConfig(10, 16, 1, 12, 4, 4, LmConfig.Kernel.CHUNKED, LmConfig.PositionKind.ROPE, true, 0));
        assertTrue(e.getMessage().contains("even head size") && e.getMessage().contains("3"), e.getMessage());
    }
}
