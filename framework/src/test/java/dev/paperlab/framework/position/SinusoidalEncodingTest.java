package dev.paperlab.framework.position;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class SinusoidalEncodingTest {

    @Test
    void tableMatchesClosedForm() {
        int n = 50;
        int e = 16;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray table = SinusoidalEncoding.table(manager, n, e);
            assertEquals(new Shape(n, e), table.getShape());
            float[] values = table.toFloatArray();
            for (int pos = 0; pos < n; pos++) {
                for (int i = 0; i < e / 2; i++) {
                    double angle = pos / Math.pow(10_000, 2.0 * i / e);
                    assertEquals(Math.sin(angle), values[pos * e + 2 * i], 1e-6);
                    assertEquals(Math.cos(angle), values[pos * e + 2 * i + 1], 1e-6);
                }
            }
        }
    }

    @Test
    void timestepEmbeddingPutsSinesBeforeCosinesForRealTimesteps() {
        int e = 8;
        float[] steps = {0f, 1f, 999.5f, 37.25f};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray emb = SinusoidalEncoding.timestepEmbedding(manager.create(steps), e);
            assertEquals(DataType.FLOAT32, emb.getDataType());
            float[] values = emb.toFloatArray();
            for (int s = 0; s < steps.length; s++) {
                for (int i = 0; i < e / 2; i++) {
                    double angle = steps[s] / Math.pow(10_000, 2.0 * i / e);
                    assertEquals(Math.sin(angle), values[s * e + i], 1e-6);
                    assertEquals(Math.cos(angle), values[s * e + e / 2 + i], 1e-6);
                }
            }
            // Integer timesteps give float32 encodings of the same values.
            NDArray ints = SinusoidalEncoding.timestepEmbedding(manager.create(new int[] {0, 1, 999}), e);
            assertEquals(DataType.FLOAT32, ints.getDataType());
            assertArrayEquals(emb.get("0:2").toFloatArray(), ints.get("0:2").toFloatArray(), 0f);
        }
    }

    @Test
    void relativeShiftIsLinear() {
        // Vaswani et al.: PE(pos + k) is a linear (rotation) function of PE(pos) per frequency.
        int e = 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pe = SinusoidalEncoding.table(manager, 40, e).toFloatArray();
            int k = 5;
            for (int i = 0; i < e / 2; i++) {
                double w = Math.pow(10_000, -2.0 * i / e);
                for (int pos = 0; pos + k < 40; pos++) {
                    double s = pe[pos * e + 2 * i];
                    double c = pe[pos * e + 2 * i + 1];
                    double shiftedSin = s * Math.cos(k * w) + c * Math.sin(k * w);
                    assertEquals(shiftedSin, pe[(pos + k) * e + 2 * i], 1e-5);
                }
            }
        }
    }

    @Test
    void oddSizeIsRejectedWithItsValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException ex =
                    assertThrows(IllegalArgumentException.class, () -> SinusoidalEncoding.table(manager, 4, 9));
            assertTrue(ex.getMessage().contains("9"), ex.getMessage());
        }
    }
}
