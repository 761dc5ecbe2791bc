package dev.paperlab.datasets.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenWindowDatasetTest {
    @Test
    void windowsOfMemoryMappedShardsAreTheWrittenTokens(@TempDir Path dir) throws Exception {
        List<List<int[]>> docs = TokenShardsTest.write(dir, 1000, 11);
        int[] all =
                docs.stream().flatMap(List::stream).flatMapToInt(Arrays::stream).toArray();
        int t = 8;
        TokenWindowDataset ds = TokenWindowDataset.builder()
                .setTokens(TokenShards.open(dir))
                .setContext(t)
                .setSampling(4, false)
                .build();
        assertEquals(all.length - t, ds.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long i : new long[] {0, 1, all.length / 2, all.length - t - 1}) {
                Record r = ds.get(manager, i);
                int s = (int) i;
                assertArrayEquals(
                        Arrays.copyOfRange(all, s, s + t), r.getData().head().toIntArray());
                assertArrayEquals(
                        Arrays.copyOfRange(all, s + 1, s + t + 1),
                        r.getLabels().head().toIntArray());
            }
            // DJL's sequential sampler and stacking batchifier: the first batch is windows 0..3.
            Batch batch = ds.getData(manager).iterator().next();
            assertArrayEquals(
                    new long[] {4, t}, batch.getData().head().getShape().getShape());
            assertArrayEquals(
                    Arrays.copyOfRange(all, 3, 3 + t),
                    batch.getData().head().get(3).toIntArray());
            batch.close();
        }
    }
}
