package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every convolution path's forward value and gradients in float32 against the same computation in
 * float64, on whatever CPU runs the tests. float64 convolutions never run through oneDNN, so they
 * are an independent reference for the float32 kernels (see {@link ConvGuard}).
 *
 * <p>Tolerance: the largest sum here has 64 * 4 * 4 = 1024 float32 terms, whose rounding stays
 * below about 1e-5 of the largest magnitude (seen: 1e-7 to 1e-6); the faulty kernels are off by
 * 0.2 and more. 1e-4 relative to the largest magnitude separates the two on any CPU.
 */
class ConvGradientsTest {
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void guard() {
        ConvGuard.ensureCorrectGradients();
    }

    @Test
    void conv2dForwardInputWeightAndBiasGradients() {
        int[] channels = {1, 3, 8, 16};
        for (int cin : channels) {
            for (int cout : channels) {
                for (int k : new int[] {1, 3, 4}) {
                    for (int s : new int[] {1, 2}) {
                        int p = k / 2;
                        String name = String.format("conv2d %d->%d k%d s%d p%d", cin, cout, k, s, p);
                        compare(
                                name,
                                new Shape[] {new Shape(2, cin, 10, 10), new Shape(cout, cin, k, k), new Shape(cout)},
                                in -> Conv2d.conv2d(in.get(0), in.get(1), in.get(2), new Shape(s, s), new Shape(p, p))
                                        .singletonOrThrow());
                    }
                }
            }
        }
    }

    @Test
    void convTranspose2dForwardInputWeightAndBiasGradients() {
        int[] channels = {1, 3, 8, 16};
        for (int cin : channels) {
            for (int cout : channels) {
                for (int[] ksp : new int[][] {{3, 1, 1, 0}, {4, 2, 1, 0}, {3, 2, 1, 1}, {5, 1, 0, 0}}) {
                    int k = ksp[0];
                    Shape stride = new Shape(ksp[1], ksp[1]);
                    Shape pad = new Shape(ksp[2], ksp[2]);
                    Shape outPad = new Shape(ksp[3], ksp[3]);
                    String name = String.format("convT %d->%d k%d s%d p%d op%d", cin, cout, k, ksp[1], ksp[2], ksp[3]);
                    compare(
                            name,
                            new Shape[] {new Shape(2, cin, 6, 6), new Shape(cin, cout, k, k), new Shape(cout)},
                            in -> ConvTranspose2d.convTranspose2d(
                                    in.get(0), in.get(1), in.get(2), stride, pad, outPad));
                }
            }
        }
    }

    /** The conv VAE's chain: 1 -> 32 -> 64 channels down by strided convolutions, and back up. */
    @Test
    void encoderDecoderChainOfTheConvVae() {
        Shape s2 = new Shape(2, 2);
        Shape p1 = new Shape(1, 1);
        compare(
                "conv VAE chain",
                new Shape[] {
                    new Shape(4, 1, 28, 28),
                    new Shape(32, 1, 4, 4),
                    new Shape(64, 32, 4, 4),
                    new Shape(64, 32, 4, 4),
                    new Shape(32, 1, 4, 4)
                },
                in -> {
                    NDArray h = Activation.relu(
                            Conv2d.conv2d(in.get(0), in.get(1), null, s2, p1).singletonOrThrow());
                    h = Activation.relu(
                            Conv2d.conv2d(h, in.get(2), null, s2, p1).singletonOrThrow());
                    h = Activation.relu(ConvTranspose2d.convTranspose2d(h, in.get(3), null, s2, p1, new Shape(0, 0)));
                    return ConvTranspose2d.convTranspose2d(h, in.get(4), null, s2, p1, new Shape(0, 0));
                });
    }

    /**
     * Evaluates {@code f} on inputs drawn from a fixed Java RNG in float32 and float64, backward
     * of sum(f * r) for a fixed r, and compares the value and every input's gradient.
     */
    private static void compare(String name, Shape[] shapes, Function<NDList, NDArray> f) {
        Random random = new Random(name.hashCode());
        try (NDManager manager = NDManager.newBaseManager()) {
            List<float[]> values = new ArrayList<>();
            for (Shape s : shapes) {
                float[] v = new float[Math.toIntExact(s.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) random.nextGaussian();
                }
                values.add(v);
            }
            List<NDArray> r32 = run(manager, shapes, values, f, DataType.FLOAT32);
            List<NDArray> r64 = run(manager, shapes, values, f, DataType.FLOAT64);
            String[] what = new String[r32.size()];
            what[0] = "value";
            for (int i = 1; i < what.length; i++) {
                what[i] = "gradient of input " + (i - 1) + " " + shapes[i - 1];
            }
            for (int i = 0; i < r32.size(); i++) {
                double error = ConvGuard.relativeError(r32.get(i), r64.get(i));
                assertTrue(error <= TOLERANCE, name + ": " + what[i] + " is off by " + error + " (relative)");
            }
        }
    }

    private static List<NDArray> run(
            NDManager manager, Shape[] shapes, List<float[]> values, Function<NDList, NDArray> f, DataType type) {
        NDList inputs = new NDList();
        for (int i = 0; i < shapes.length; i++) {
            NDArray x = manager.create(values.get(i), shapes[i]).toType(type, false);
            x.setRequiresGradient(true);
            inputs.add(x);
        }
        List<NDArray> out = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(inputs);
            NDArray r = manager.arange((float) y.getShape().size())
                    .reshape(y.getShape())
                    .mul(0.37)
                    .sin()
                    .toType(type, false);
            collector.backward(y.mul(r).sum());
            out.add(y);
        }
        for (NDArray x : inputs) {
            out.add(x.getGradient());
        }
        return out;
    }
}
