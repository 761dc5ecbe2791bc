package dev.paperlab.framework.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class KvCacheTest {
    private static final int B = 3;
    private static final int HKV = 2;
    private static final int T = 4;
    private static final int D = 5;

    /** A value that names its position, so a moved row is recognisable: b*1000 + h*100 + t*10 + d. */
    private static float tag(int b, int h, int t, int d) {
        return b * 1000 + h * 100 + t * 10 + d;
    }

    private static NDArray tagged(NDManager manager, float sign) {
        float[] data = new float[B * HKV * T * D];
        int i = 0;
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < HKV; h++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        data[i++] = sign * tag(b, h, t, d);
                    }
                }
            }
        }
        return manager.create(data, new Shape(B, HKV, T, D));
    }

    @Test
    void reorderMovesEachRowToItsNewPlaceAndLeaksNothing() {
        try (NDManager manager = NDManager.newBaseManager();
                KvCache cache = KvCache.allocate(manager, B, HKV, 6, D, DataType.FLOAT32)) {
            cache.append(tagged(manager, 1f), tagged(manager, -1f));
            int[] order = {2, 0, 0};
            int before = manager.getManagedArrays().size();
            try (NDArray idx = manager.create(order)) {
                cache.reorder(idx);
            }
            assertEquals(before, manager.getManagedArrays().size(), "reorder left arrays behind");
            assertEquals(T, cache.length());
            try (NDArray k = cache.keys();
                    NDArray v = cache.values()) {
                float[] keys = k.toFloatArray();
                float[] values = v.toFloatArray();
                int i = 0;
                for (int b = 0; b < B; b++) {
                    for (int h = 0; h < HKV; h++) {
                        for (int t = 0; t < T; t++) {
                            for (int d = 0; d < D; d++, i++) {
                                assertEquals(tag(order[b], h, t, d), keys[i]);
                                assertEquals(-tag(order[b], h, t, d), values[i]);
                            }
                        }
                    }
                }
            }
            // appending after a reorder continues every (new) row
            NDArray one = manager.ones(new Shape(B, HKV, 1, D));
            cache.append(one, one);
            try (NDArray k = cache.keys()) {
                assertEquals(new Shape(B, HKV, T + 1, D), k.getShape());
                assertEquals(1f, k.get(":, :, {}", T).min().getFloat());
            }
        }
    }

    @Test
    void identityReorderKeepsTheCacheAndEmptyCacheAcceptsAnyValidOrder() {
        try (NDManager manager = NDManager.newBaseManager();
                KvCache cache = KvCache.allocate(manager, B, HKV, T, D, DataType.FLOAT32)) {
            cache.reorder(manager.create(new long[] {1, 1, 1}));
            assertEquals(0, cache.length());
            NDArray k = tagged(manager, 1f);
            cache.append(k, k);
            cache.reorder(manager.create(new long[] {0, 1, 2}));
            try (NDArray keys = cache.keys()) {
                assertArrayEquals(k.toFloatArray(), keys.toFloatArray());
            }
        }
    }

    @Test
    void reorderRejectsWrongSizeAndOutOfRangeIndices() {
        try (NDManager manager = NDManager.newBaseManager();
                KvCache cache = KvCache.allocate(manager, B, HKV, T, D, DataType.FLOAT32)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> cache.reorder(manager.create(new int[] {0, 1})));
            assertTrue(e.getMessage().contains("batch size 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cache.reorder(manager.create(new int[] {0, 3, 1})));
            assertTrue(e.getMessage().contains("batch index 3"), e.getMessage());
        }
    }
}
