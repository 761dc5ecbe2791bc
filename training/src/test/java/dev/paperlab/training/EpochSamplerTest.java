package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    /** A dataset of n examples whose value is their index. */
    static ArrayDataset indices(NDManager manager, int n, int batch) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x).reshape(n, 1))
                .optLabels(manager.create(x).reshape(n, 1))
                .setSampling(batch, false)
                .build();
    }

    private static List<List<Long>> epoch(EpochSampler sampler, ArrayDataset data, int epoch, long first) {
        sampler.setEpoch(epoch, first);
        List<List<Long>> batches = new ArrayList<>();
        for (Iterator<List<Long>> it = sampler.sample(data); it.hasNext(); ) {
            batches.add(it.next());
        }
        return batches;
    }

    @Test
    void eachEpochIsAPermutationCutIntoBatchesWithAPartialLastOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = indices(manager, 10, 4);
            EpochSampler sampler = new EpochSampler(4, true, false, 9);
            assertEquals(3, sampler.batchesPerEpoch(10));
            List<List<Long>> e0 = epoch(sampler, data, 0, 0);
            assertEquals(List.of(4, 4, 2), e0.stream().map(List::size).toList());
            TreeSet<Long> seen = new TreeSet<>();
            e0.forEach(seen::addAll);
            assertEquals(10, seen.size());
            assertEquals(0L, seen.first());
            assertEquals(9L, seen.last());
            assertEquals(e0, epoch(sampler, data, 0, 0), "same (seed, epoch), same order");
            assertNotEquals(e0, epoch(sampler, data, 1, 0), "a new permutation each epoch");
            assertNotEquals(e0, epoch(new EpochSampler(4, true, false, 10), data, 0, 0), "seed matters");
            // a resumed epoch starts at batch k of the very same order
            assertEquals(e0.subList(1, 3), epoch(sampler, data, 0, 1));
        }
    }

    @Test
    void dropLastAndNoShuffle() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = indices(manager, 10, 4);
            EpochSampler sampler = new EpochSampler(4, false, true, 1);
            assertEquals(2, sampler.batchesPerEpoch(10));
            assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L)), epoch(sampler, data, 3, 0));
        }
    }

    @Test
    void badBatchSizeIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new EpochSampler(0, true, false, 1));
        assertTrue(e.getMessage().contains("batch size") && e.getMessage().contains("0"), e.getMessage());
    }

    /** EpochBatches gives the sampler's batches as data, and re-enters an epoch mid-way. */
    @Test
    void epochBatchesFollowTheSampler() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = indices(manager, 10, 4);
            EpochSampler sampler = new EpochSampler(4, true, false, 9);
            List<List<Long>> order = epoch(sampler, data, 2, 0);
            EpochBatches batches = new EpochBatches(data, new EpochSampler(4, true, false, 9));
            assertEquals(3, batches.batchesPerEpoch());
            batches.startEpoch(manager, 2, 1);
            for (int b = 1; b < 3; b++) {
                try (Batch batch = batches.next()) {
                    List<Long> values = new ArrayList<>();
                    for (float v : batch.getData().head().toFloatArray()) {
                        values.add((long) v);
                    }
                    assertEquals(order.get(b), values, "batch " + b);
                }
            }
            assertThrows(java.util.NoSuchElementException.class, batches::next);
        }
    }
}
