package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConvTranspose2dTest {
    @org.junit.jupiter.api.BeforeAll
    static void rightConvolutionGradients() {
        ConvGuard.ensureCorrectGradients(); // oneDNN's conv backward is wrong on some CPUs
    }

    /** Scatter definition: y[o, s i + a - p, s j + b - p] += x[c, i, j] W[c, o, a, b]. */
    @Property(tries = 60)
    void equalsBruteForceScatter(
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 1, max = 4) int kh,
            @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 0, max = 3) int padRaw,
            @ForAll @IntRange(min = 0, max = 2) int opRaw,
            @ForAll @IntRange(min = 1, max = 4) int h,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        int ph = Math.min(padRaw, kh - 1);
        int pw = Math.min(padRaw, kw - 1);
        int op = Math.min(opRaw, stride - 1);
        int w = h + 1;
        int n = 2;
        int c = 3;
        int o = 2;
        int hOut = (h - 1) * stride - 2 * ph + kh + op;
        int wOut = (w - 1) * stride - 2 * pw + kw + op;
        if (hOut <= 0 || wOut <= 0) {
            return;
        }
        Random random = new Random(seed);
        float[] x = gaussian(random, n * c * h * w);
        float[] wt = gaussian(random, c * o * kh * kw);
        float[] b = gaussian(random, o);
        double[] expected = new double[n * o * hOut * wOut];
        for (int ni = 0; ni < n; ni++) {
            for (int oi = 0; oi < o; oi++) {
                for (int r = 0; r < hOut; r++) {
                    for (int q = 0; q < wOut; q++) {
                        expected[((ni * o + oi) * hOut + r) * wOut + q] = b[oi];
                    }
                }
            }
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double xv = x[((ni * c + ci) * h + i) * w + j];
                        for (int oi = 0; oi < o; oi++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int r = stride * i + a - ph;
                                    int q = stride * j + bb - pw;
                                    if (r >= 0 && r < hOut && q >= 0 && q < wOut) {
                                        expected[((ni * o + oi) * hOut + r) * wOut + q] +=
                                                xv * wt[((ci * o + oi) * kh + a) * kw + bb];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray y = ConvTranspose2d.convTranspose2d(
                    manager.create(x, new Shape(n, c, h, w)),
                    manager.create(wt, new Shape(c, o, kh, kw)),
                    manager.create(b, new Shape(o)),
                    new Shape(stride, stride),
                    new Shape(ph, pw),
                    new Shape(op, op));
            NDArray reference = ConvTranspose2d.convTranspose2dByDilation(
                    manager.create(x, new Shape(n, c, h, w)),
                    manager.create(wt, new Shape(c, o, kh, kw)),
                    manager.create(b, new Shape(o)),
                    new Shape(stride, stride),
                    new Shape(ph, pw),
                    new Shape(op, op));
            for (NDArray form : new NDArray[] {y, reference}) {
                assertEquals(new Shape(n, o, hOut, wOut), form.getShape());
                float[] actual = form.toFloatArray();
                for (int k = 0; k < actual.length; k++) {
                    // sums of at most 3 * 4 * 4 = 48 products of N(0, 1) floats: rounding ~1e-6
                    assertEquals(expected[k], actual[k], 1e-4, "element " + k);
                }
            }
        }
    }

    /** <conv2d(u; W), x> = <u, convT(x; W)>, and autograd's dx of <convT(x), g> is conv2d(g). */
    @Test
    void isTheAdjointOfConv2d() {
        Engine.getInstance().setRandomSeed(4);
        Shape stride = new Shape(2, 2);
        Shape pad = new Shape(1, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.randomNormal(new Shape(5, 3, 4, 4)); // conv: 3 -> 5 channels
            NDArray u = manager.randomNormal(new Shape(2, 3, 14, 14));
            NDArray x = manager.randomNormal(new Shape(2, 5, 7, 7));
            NDArray convU = Conv2d.conv2d(u, w, null, stride, pad).singletonOrThrow(); // (2,5,7,7)
            x.setRequiresGradient(true);
            NDArray tx;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                tx = ConvTranspose2d.convTranspose2d(x, w, null, stride, pad, new Shape(0, 0));
                gc.backward(tx.mul(u).sum());
            }
            assertEquals(u.getShape(), tx.getShape());
            float lhs = convU.mul(x).sum().getFloat();
            float rhs = u.mul(tx).sum().getFloat();
            assertEquals(lhs, rhs, 1e-3 * Math.abs(lhs) + 1e-3);
            float[] grad = x.getGradient().toFloatArray();
            float[] conv = convU.toFloatArray();
            for (int k = 0; k < grad.length; k++) {
                assertEquals(conv[k], grad[k], 1e-4, "gradient element " + k);
            }
        }
    }

    @Test
    void blockShapesParametersAndTorchInit() {
        Engine.getInstance().setRandomSeed(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvTranspose2d block = ConvTranspose2d.builder()
                    .setFilters(6)
                    .setKernelShape(4, 4)
                    .optStride(2, 2)
                    .optPadding(1, 1)
                    .build();
            Shape in = new Shape(3, 16, 7, 7);
            block.initialize(manager, DataType.FLOAT32, in);
            assertEquals(
                    new Shape(16, 6, 4, 4),
                    block.getParameters().get("weight").getArray().getShape());
            assertEquals(1, TorchDefaultInit.apply(block));
            // PyTorch's ConvTranspose fan_in reads weight dim 1: 6 * 4 * 4 = 96.
            float bound = (float) (1 / Math.sqrt(96));
            float maxBias =
                    block.getParameters().get("bias").getArray().abs().max().getFloat();
            assertTrue(maxBias > 0 && maxBias <= bound, "max |b| " + maxBias);
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(in)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(3, 6, 14, 14), y.getShape());
            assertArrayEquals(new Shape[] {y.getShape()}, block.getOutputShapes(new Shape[] {in}));
        }
    }

    /**
     * Arrays derived from the weights during a forward pass belong to the input's manager: the
     * model's manager holds as many arrays after ten training passes as before (it used to gain
     * the phase kernels of every pass, 4-5 MB per DCGAN step).
     */
    @Test
    void forwardLeavesNothingOnTheModelsManager() {
        try (NDManager model = NDManager.newBaseManager()) {
            ConvTranspose2d block = ConvTranspose2d.builder()
                    .setFilters(4)
                    .setKernelShape(4, 4)
                    .optStride(2, 2)
                    .optPadding(1, 1)
                    .build();
            Shape in = new Shape(2, 3, 5, 5);
            block.initialize(model, DataType.FLOAT32, in);
            NDManager weights = block.getParameters().get("weight").getArray().getManager();
            int before = weights.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                try (NDManager step = model.newSubManager();
                        ai.djl.training.GradientCollector collector =
                                Engine.getInstance().newGradientCollector()) {
                    NDArray y = block.forward(new ParameterStore(step, false), new NDList(step.randomNormal(in)), true)
                            .singletonOrThrow();
                    collector.backward(y.sum());
                }
            }
            assertEquals(before, weights.getManagedArrays().size(), "arrays on the weights' manager");
        }
    }

    @Test
    void builderRejectsBadArguments() {
        var pad = assertThrows(
                IllegalArgumentException.class,
                () -> ConvTranspose2d.builder()
                        .setFilters(2)
                        .setKernelShape(3, 3)
                        .optPadding(3, 0)
                        .build());
        assertEquals("padding 3 must be in [0, kernel - 1 = 2]", pad.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvTranspose2d.builder()
                        .setFilters(2)
                        .setKernelShape(3, 3)
                        .optStride(2, 2)
                        .optOutputPadding(2, 0)
                        .build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvTranspose2d.builder().setKernelShape(3, 3).build());
    }

    private static float[] gaussian(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
