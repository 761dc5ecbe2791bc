package dev.paperlab.models.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LmStoreTest {

    private static float[] logits(DecoderLm lm, NDManager manager) {
        int[] ids = {1, 0, 2, 2, 1};
        return lm.forward(
                        new ParameterStore(manager, false),
                        manager.create(ids, new Shape(1, ids.length)),
                        null,
                        0,
                        false)
                .toFloatArray();
    }

    private static DecoderLm saved(Path dir, LmConfig config, NDManager manager) throws IOException {
        Engine.getInstance().setRandomSeed(3);
        DecoderLm lm = DecoderLm.builder().optConfig(config).build();
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        lm.applyGptInit(manager);
        LmStore.save(dir, lm, CharVocabulary.of("abc"));
        return lm;
    }

    @Test
    void roundTripKeepsConfigurationAndOutputs(@TempDir Path dir) throws IOException {
        LmConfig config = LmConfig.builder()
                .setVocabSize(3)
                .optContext(8)
                .optLayers(1)
                .optDModel(16)
                .optHeads(4)
                .optKvHeads(2)
                .optAttentionKernel(LmConfig.Kernel.FLASH)
                .optPosition(LmConfig.PositionKind.ROPE)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm lm = saved(dir, config, manager);
            LmStore.Loaded loaded = LmStore.load(dir, manager);
            assertEquals(config, loaded.model().config());
            assertArrayEquals(logits(lm, manager), logits(loaded.model(), manager));
        }
    }

    /**
     * Models saved before the kernel became its own setting stored {@code "attention"} (MHA, GQA,
     * MQA or FLASH) beside {@code kvHeads}, in format version 1; they ran the chunked kernel
     * unless FLASH was named.
     */
    @ParameterizedTest
    @CsvSource({"GQA,2,CHUNKED", "MHA,4,CHUNKED", "MQA,1,CHUNKED", "FLASH,4,FLASH"})
    void readsTheVersionOneFormat(String attention, int kvHeads, String kernel, @TempDir Path dir) throws IOException {
        LmConfig config = LmConfig.builder()
                .setVocabSize(3)
                .optContext(8)
                .optLayers(1)
                .optDModel(16)
                .optHeads(4)
                .optKvHeads(kvHeads)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm lm = saved(dir, config, manager);
            // lm.json exactly as version 1 wrote it (Jackson's record names, enum constant names)
            Files.writeString(dir.resolve("lm.json"), """
                    {
                      "format" : "paperlab-lm",
                      "version" : 1,
                      "config" : {
                        "vocabSize" : 3,
                        "context" : 8,
                        "layers" : 1,
                        "dModel" : 16,
                        "heads" : 4,
                        "kvHeads" : %d,
                        "attention" : "%s",
                        "position" : "LEARNED",
                        "tieWeights" : true,
                        "dropout" : 0.0
                      },
                      "codec" : "chars",
                      "code_points" : [ 97, 98, 99 ]
                    }
                    """.formatted(kvHeads, attention));
            LmStore.Loaded loaded = LmStore.load(dir, manager);
            LmConfig read = loaded.model().config();
            assertEquals(kvHeads, read.kvHeads());
            assertEquals(LmConfig.Kernel.valueOf(kernel), read.attentionKernel());
            assertEquals(
                    config.toBuilder()
                            .optAttentionKernel(read.attentionKernel())
                            .build(),
                    read);
            // chunked and flash compute the same attention; only float32 summation order differs
            float[] want = logits(lm, manager);
            float[] got = logits(loaded.model(), manager);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5f, "logit " + i);
            }
            assertEquals("abc", loaded.codec().decode(loaded.codec().encode("abc")));
        }
    }

    @Test
    void anUnknownVersionOrABrokenConfigurationIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            saved(
                    dir,
                    LmConfig.builder()
                            .setVocabSize(3)
                            .optContext(8)
                            .optLayers(1)
                            .optDModel(16)
                            .build(),
                    manager);
            Path json = dir.resolve("lm.json");
            String good = Files.readString(json);
            Files.writeString(json, good.replace("\"version\" : 2", "\"version\" : 9"));
            IOException e = assertThrows(IOException.class, () -> LmStore.load(dir, manager));
            assertTrue(e.getMessage().contains("lm.json") && e.getMessage().contains("version 9"), e.getMessage());
            Files.writeString(json, good.replace("\"heads\" : 4", "\"heads\" : 5"));
            e = assertThrows(IOException.class, () -> LmStore.load(dir, manager));
            assertTrue(
                    e.getMessage().contains("lm.json") && e.getMessage().contains("d_model 16 is not divisible by 5"),
                    e.getMessage());
        }
    }
}
