package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Scalar arithmetic: the same values as DJL's number overloads, and gradients that survive a
 * garbage collection between the forward and the backward pass.
 */
class ScalarsTest {

    @Test
    void valuesEqualTheEnginesOwnScalarOps() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = m.randomUniform(0.5f, 2f, new Shape(4, 5));
            assertArrayEquals(x.mul(0.3f).toFloatArray(), Scalars.mul(x, 0.3f).toFloatArray());
            assertArrayEquals(x.div(0.3f).toFloatArray(), Scalars.div(x, 0.3f).toFloatArray());
            assertArrayEquals(x.pow(1.5f).toFloatArray(), Scalars.pow(x, 1.5f).toFloatArray());
            assertArrayEquals(
                    x.maximum(1f).toFloatArray(), Scalars.maximum(x, 1f).toFloatArray());
            assertArrayEquals(
                    x.minimum(1f).toFloatArray(), Scalars.minimum(x, 1f).toFloatArray());
            assertArrayEquals(
                    x.mul(0.3f).toFloatArray(),
                    Scalars.muli(x.duplicate(), 0.3f).toFloatArray());
            assertArrayEquals(
                    x.div(0.3f).toFloatArray(),
                    Scalars.divi(x.duplicate(), 0.3f).toFloatArray());
            // float64 keeps the double value exactly (0.1 is not a float)
            NDArray d = m.ones(new Shape(3), DataType.FLOAT64);
            assertEquals(DataType.FLOAT64, Scalars.mul(d, 0.1).getDataType());
            assertEquals(0.1, Scalars.mul(d, 0.1).toDoubleArray()[0], 0.0);
            assertEquals(DataType.FLOAT32, Scalars.of(x, 2).getDataType());
            assertEquals(new Shape(), Scalars.of(x, 2).getShape());
        }
    }

    /**
     * d/dz sum(op(z z^T, s)) computed 40 times, with a full garbage collection between forward and
     * backward each time. DJL's {@code div(Number)} here gives a different, usually absurd,
     * gradient in almost every round (its scalar's memory is freed and reused); the engine-owned
     * scalar must give the first round's gradient every time, and that gradient must be the closed
     * form {@code (G + G^T) z / s} with {@code G} all ones, i.e. {@code 2 * colsum(z) / s} per row.
     */
    @Test
    void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
        check((y, s) -> Scalars.div(y, s), 0.5, 1 / 0.5);
        check((y, s) -> Scalars.mul(y, s), 3.0, 3.0);
    }

    private static void check(BiFunction<NDArray, Double, NDArray> op, double s, double factor) {
        try (NDManager root = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray z0 = root.randomNormal(0, 1, new Shape(64, 8), DataType.FLOAT32);
            // d/dz sum(z z^T) = 2 * 1 z: every row is twice the column sums
            float[] colSums = z0.sum(new int[] {0}).toFloatArray();
            for (int round = 0; round < 40; round++) {
                try (NDManager m = root.newSubManager()) {
                    NDArray z = z0.duplicate();
                    z.attach(m);
                    z.setRequiresGradient(true);
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = op.apply(z.matMul(z.transpose()), s).sum();
                        System.gc(); // frees what the forward pass let go of
                        byte[][] churn = new byte[64][];
                        for (int i = 0; i < churn.length; i++) {
                            churn[i] = new byte[4096]; // and lets the allocator hand it out again
                        }
                        c.backward(loss);
                    }
                    float[] g = z.getGradient().toFloatArray();
                    for (int i = 0; i < g.length; i++) {
                        float expected = (float) (2 * colSums[i % 8] * factor);
                        // float32 sums of 64 terms of size ~1: 1e-4 relative is far above rounding
                        assertEquals(
                                expected,
                                g[i],
                                1e-4f * Math.max(1f, Math.abs(expected)),
                                "round " + round + " element " + i);
                    }
                }
            }
        }
    }
}
