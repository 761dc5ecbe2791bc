package dev.paperlab.models.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.paperlab.datasets.shards.ShardFormat;
import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.datasets.shards.ShardWriter;
import dev.paperlab.datasets.shards.TokenShards;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
    /** Memory-mapped shards give the same batches as the same ids in memory, for the same seed. */
    @Test
    void shardBackedCorpusSamplesExactlyLikeTheInMemoryOne(@TempDir Path dir) throws Exception {
        Random rnd = new Random(3);
        int[] ids = new int[5_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rnd.nextInt(70_000); // 4-byte ids
        }
        int[] cuts = {0, 1_234, 1_234, 4_000, ids.length}; // one empty shard
        List<ShardManifest.Shard> entries = new ArrayList<>();
        for (int s = 0; s + 1 < cuts.length; s++) {
            try (OutputStream bin = Files.newOutputStream(dir.resolve(ShardFormat.binName(s)));
                    OutputStream idx = Files.newOutputStream(dir.resolve(ShardFormat.idxName(s)));
                    ShardWriter w = new ShardWriter(s, 70_000, bin, idx)) {
                w.add(Arrays.copyOfRange(ids, cuts[s], cuts[s + 1]));
                entries.add(w.finish());
            }
        }
        Files.writeString(dir.resolve("tok.bpe"), "t");
        Files.writeString(
                dir.resolve(ShardManifest.FILE),
                ShardManifest.of(70_000, -1, "tok.bpe", ShardManifest.sha256(dir.resolve("tok.bpe")), entries, Map.of())
                        .toJson());
        TextCorpus mapped = new TextCorpus(TokenShards.open(dir), 0.1);
        TextCorpus memory = new TextCorpus(ids, 0.1);
        assertEquals(memory.trainSize(), mapped.trainSize());
        assertEquals(memory.valWindows(16), mapped.valWindows(16));
        try (NDManager m = NDManager.newBaseManager()) {
            Random a = new Random(9);
            Random b = new Random(9);
            for (int step = 0; step < 20; step++) {
                NDArray[] x = memory.sampleBatch(m, a, 8, 16);
                NDArray[] y = mapped.sampleBatch(m, b, 8, 16);
                assertArrayEquals(x[0].toIntArray(), y[0].toIntArray());
                assertArrayEquals(x[1].toIntArray(), y[1].toIntArray());
            }
            int w = memory.valWindows(16);
            assertArrayEquals(
                    memory.valBatch(m, 0, w, 16)[1].toIntArray(), mapped.valBatch(m, 0, w, 16)[1].toIntArray());
            // And the in-memory windows are the ids themselves: y is x shifted by one.
            int[] x0 = memory.valBatch(m, 0, 1, 16)[0].toIntArray();
            int start = (int) (0.9 * ids.length);
            assertArrayEquals(Arrays.copyOfRange(ids, start, start + 16), x0);
        }
    }
}
