package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ChannelsLastTest {

    /** Element (n, c, i, j) lands at (n, (i W + j) C + c), and unflatten puts it back. */
    @Test
    void flattenListsPositionsWithChannelsInnermostAndUnflattenInvertsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2;
            int c = 3;
            int h = 4;
            int w = 5;
            NDArray x = m.arange((float) (n * c * h * w)).reshape(n, c, h, w);
            float[] nchw = x.toFloatArray();
            for (NDArray in : new NDArray[] {x, ChannelsLast.of(x)}) {
                NDArray flat = ChannelsLast.flatten(in);
                assertEquals(new Shape(n, (long) h * w * c), flat.getShape());
                float[] got = flat.toFloatArray();
                for (int e = 0; e < n; e++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < w; j++) {
                                float want = nchw[((e * c + ch) * h + i) * w + j];
                                assertEquals(want, got[e * h * w * c + (i * w + j) * c + ch]);
                            }
                        }
                    }
                }
                NDArray back = ChannelsLast.unflatten(flat, c, h, w);
                assertEquals(x.getShape(), back.getShape());
                assertArrayEquals(nchw, back.toFloatArray());
            }
        }
    }

    /** On the PyTorch engine unflatten returns a channels-last view, and flatten undoes it without a copy. */
    @Test
    void theViewsAreChannelsLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray flat = m.arange(2f * 3 * 4 * 5).reshape(2, 60);
            NDArray map = ChannelsLast.unflatten(flat, 3, 4, 5);
            assertArrayEquals(new long[] {60, 1, 15, 3}, TorchOps.strides(map));
            assertArrayEquals(new long[] {60, 1}, TorchOps.strides(ChannelsLast.flatten(ChannelsLast.of(map))));
            NDArray grey = ChannelsLast.of(m.zeros(new Shape(2, 1, 4, 5)));
            assertArrayEquals(new long[] {20, 1, 5, 1}, TorchOps.strides(grey));
        }
    }

    @Test
    void badShapesNameWhatWasExpected() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ChannelsLast.unflatten(m.zeros(new Shape(2, 59)), 3, 4, 5));
            assertTrue(e.getMessage().contains("(N, 60)") && e.getMessage().contains("(2, 59)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ChannelsLast.flatten(m.zeros(new Shape(2, 3))));
            assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
        }
    }
}
