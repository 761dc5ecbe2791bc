package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** libtorch's fused silu and group_norm, called past DJL: values, gradients and memory. */
class TorchOpsTest {

    /** The project's libtorch (pinned in the build) exports both entry points. */
    @Test
    void theFusedOperatorsAreReachable() {
        assertTrue(TorchOps.available());
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(TorchOps.accepts(m.zeros(new Shape(1))));
        }
    }

    /**
     * silu(x) = x sigmoid(x) and its gradient sigmoid(x) (1 + x (1 - sigmoid(x))), against the
     * composite through autograd; float32 rounding of a few operations, ~1e-7 relative.
     */
    @Test
    void siluEqualsXTimesSigmoidInValueAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray x0 = m.randomNormal(0f, 3f, new Shape(3, 4, 5), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray r = m.randomNormal(x0.getShape());
            NDArray[] fused = siluAndGradient(x0, r, true);
            NDArray[] composite = siluAndGradient(x0, r, false);
            for (int i = 0; i < 2; i++) {
                float err = fused[i].sub(composite[i]).abs().max().getFloat();
                assertTrue(err < 1e-5f, (i == 0 ? "value" : "gradient") + " differs by " + err);
            }
            NDArray s = Activation.sigmoid(x0);
            NDArray closedForm = s.mul(x0.mul(s.neg().add(1f)).add(1f)).mul(r);
            assertTrue(fused[1].sub(closedForm).abs().max().getFloat() < 1e-5f);
        }
    }

    private static NDArray[] siluAndGradient(NDArray x0, NDArray r, boolean fused) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            y = fused ? TorchOps.silu(x) : x.mul(Activation.sigmoid(x));
            c.backward(y.mul(r).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient()};
    }

    /** The layer_norm composite (the path for other engines) still equals Eq. 1-3 written out. */
    @Test
    void compositeGroupNormEqualsTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 6, 4, 3));
            NDArray g = m.randomNormal(new Shape(6));
            NDArray b = m.randomNormal(new Shape(6));
            NDArray a = GroupNorm.groupNormComposite(x, 3, g, b, 1e-5f);
            NDArray ref = GroupNorm.groupNormReference(x, 3, g, b, 1e-5f);
            assertTrue(a.sub(ref).abs().max().getFloat() < 1e-4f);
        }
    }

    /**
     * Every result belongs to its input's manager, so closing a step's sub-manager frees it: 2,000
     * fused calls with their backward leave the outer manager's array count where it was. (That
     * the native tensors are released with them was checked by resident memory outside the suite:
     * 600 calls on (64, 64, 14, 14), 3 MB each, stayed within 170-213 MB.)
     */
    @Test
    void resultsAreFreedWithTheirManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray gamma = m.ones(new Shape(4));
            NDArray beta = m.zeros(new Shape(4));
            gamma.setRequiresGradient(true);
            int before = -1;
            for (int i = 0; i < 2000; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(2, 4, 3, 3));
                    x.setRequiresGradient(true);
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        NDArray y = TorchOps.silu(TorchOps.groupNorm(TorchOps.channelsLast(x), 2, gamma, beta, 1e-5));
                        assertSame(step, y.getManager());
                        c.backward(y.sum());
                    }
                }
                if (i == 10) {
                    before = m.getManagedArrays().size();
                }
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }

    /**
     * grid_sample with align_corners false puts pixel (u, v)'s centre at ((2v + 1)/W - 1, (2u + 1)/H
     * - 1): a grid of those centres returns the image exactly (bilinear weights 1 and 0), and one
     * moved by a pixel (2/W) to the right reads each right neighbour, zero past the last column.
     */
    @Test
    void gridSampleReadsPixelCentresAndPadsWithZeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            int h = 3;
            int w = 4;
            NDArray img = m.arange(1f, 1f + 2 * h * w).reshape(2, 1, h, w);
            float[] centres = new float[2 * h * w * 2];
            float[] shifted = new float[centres.length];
            for (int n = 0; n < 2; n++) {
                for (int u = 0; u < h; u++) {
                    for (int v = 0; v < w; v++) {
                        int at = ((n * h + u) * w + v) * 2;
                        centres[at] = (2f * v + 1) / w - 1;
                        centres[at + 1] = (2f * u + 1) / h - 1;
                        shifted[at] = centres[at] + 2f / w;
                        shifted[at + 1] = centres[at + 1];
                    }
                }
            }
            Shape g = new Shape(2, h, w, 2);
            NDArray same = TorchOps.gridSample(
                    img, m.create(centres, g), TorchOps.Interpolation.BILINEAR, TorchOps.Padding.ZEROS, false);
            assertTrue(same.sub(img).abs().max().getFloat() < 1e-5f);
            float[] got = TorchOps.gridSample(
                            img, m.create(shifted, g), TorchOps.Interpolation.BILINEAR, TorchOps.Padding.ZEROS, false)
                    .toFloatArray();
            float[] x = img.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float want = i % w == w - 1 ? 0f : x[i + 1];
                assertEquals(want, got[i], 1e-5f, "pixel " + i);
            }
        }
    }

    /**
     * channelsLast keeps the values and stores channels innermost, strides (HWC, 1, WC, C), also for
     * one channel (a view); a convolution of it returns channels-last with the same values as the
     * plain layout's (oneDNN's NHWC kernel sums in another order: float32, ~1e-6 relative), and
     * the gradient reaches the input unchanged.
     */
    @Test
    void channelsLastKeepsValuesAndPropagatesThroughAConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            for (int c : new int[] {1, 3}) {
                NDArray x0 = m.randomNormal(new Shape(2, c, 5, 4));
                NDArray w = m.randomNormal(new Shape(6, c, 3, 3));
                NDArray r = m.randomNormal(new Shape(2, 6, 5, 4));
                NDArray[] plain = new NDArray[2];
                NDArray[] last = new NDArray[2];
                for (NDArray[] out : new NDArray[][] {plain, last}) {
                    NDArray x = x0.duplicate(); // a fresh leaf: gradients accumulate
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray in = out == last ? TorchOps.channelsLast(x) : x;
                        if (out == last) {
                            assertArrayEquals(new long[] {5 * 4 * c, 1, 4 * c, c}, TorchOps.strides(in));
                            assertArrayEquals(x.toFloatArray(), in.toFloatArray());
                        }
                        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(
                                        in, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                                .singletonOrThrow();
                        out[0] = y;
                        gc.backward(y.mul(r).sum());
                    }
                    out[1] = x.getGradient().duplicate();
                }
                assertArrayEquals(new long[] {5 * 4 * 6, 1, 4 * 6, 6}, TorchOps.strides(last[0]));
                assertArrayEquals(new long[] {5 * 4 * 6, 5 * 4, 4, 1}, TorchOps.strides(plain[0]));
                for (int i = 0; i < 2; i++) {
                    float scale = plain[i].abs().max().getFloat();
                    assertTrue(last[i].sub(plain[i]).abs().max().getFloat() < 1e-5f * scale, "c " + c + " part " + i);
                }
            }
        }
    }
}
