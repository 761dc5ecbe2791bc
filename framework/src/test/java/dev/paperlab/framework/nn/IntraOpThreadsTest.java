package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {

    @Test
    void setChangesTheCountLibtorchUsesAndResultsStayTheSame() {
        int before = IntraOpThreads.current();
        assertTrue(before >= 1, "libtorch's count is readable: " + before);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = Scalars.div(m.arange(0f, 256 * 128f).reshape(new Shape(256, 128)), 1e4);
            float[] many = a.matMul(a.transpose()).toFloatArray();
            assertTrue(IntraOpThreads.set(1));
            assertEquals(1, IntraOpThreads.current());
            float[] one = a.matMul(a.transpose()).toFloatArray();
            // the split over threads may change the order of a dot product's sums, nothing else:
            // 128 products of values < 3.3, each sum rounded in float32 (relative 6e-8 per add)
            for (int i = 0; i < many.length; i++) {
                assertEquals(many[i], one[i], 1e-5 * Math.abs(many[i]) + 1e-6, "element " + i);
            }
        } finally {
            IntraOpThreads.set(before);
        }
        assertEquals(before, IntraOpThreads.current());
    }

    @Test
    void aCountBelowOneIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntraOpThreads.set(0));
        assertEquals("intra-op threads must be >= 1, got 0", e.getMessage());
    }
}
