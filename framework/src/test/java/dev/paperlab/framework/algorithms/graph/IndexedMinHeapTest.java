package dev.paperlab.framework.algorithms.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class IndexedMinHeapTest {
    @Property(tries = 200)
    void pollsInKeyOrderAfterRandomInsertsAndDecreases(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(60);
        IndexedMinHeap heap = new IndexedMinHeap(n);
        double[] expected = new double[n];
        java.util.Arrays.fill(expected, Double.NaN);
        for (int step = 0; step < 4 * n; step++) {
            int id = rnd.nextInt(n);
            double k = rnd.nextInt(50);
            if (!heap.contains(id) && Double.isNaN(expected[id])) {
                heap.insert(id, k);
                expected[id] = k;
            } else if (heap.contains(id) && k <= expected[id]) {
                heap.decreaseKey(id, k);
                expected[id] = k;
            }
        }
        double last = Double.NEGATIVE_INFINITY;
        int polled = 0;
        while (!heap.isEmpty()) {
            int id = heap.poll();
            assertTrue(expected[id] >= last, "keys come out in order");
            last = expected[id];
            expected[id] = Double.NaN;
            polled++;
        }
        for (double e : expected) {
            assertTrue(Double.isNaN(e), "every inserted id was polled once");
        }
        assertTrue(polled <= n);
    }

    @Test
    void tieKeyOrdersEqualKeys() {
        IndexedMinHeap heap = new IndexedMinHeap(3);
        heap.insert(0, 5.0, 0.0);
        heap.insert(1, 5.0, -2.0);
        heap.insert(2, 5.0, -1.0);
        assertEquals(1, heap.poll());
        assertEquals(2, heap.poll());
        assertEquals(0, heap.poll());
    }

    @Test
    void raisingAKeyOrDoubleInsertIsAnError() {
        IndexedMinHeap heap = new IndexedMinHeap(2);
        heap.insert(0, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> heap.decreaseKey(0, 2.0));
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> heap.insert(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> heap.decreaseKey(1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new IndexedMinHeap(-1));
    }
}
