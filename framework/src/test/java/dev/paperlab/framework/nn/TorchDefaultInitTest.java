package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorchDefaultInitTest {

    /** conv (8->64, k5) -> deconv (64->6, k3) -> flatten -> linear (600->400). */
    private static SequentialBlock smallTree() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(5, 5))
                        .setFilters(64)
                        .build())
                .add(Conv2dTranspose.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(6)
                        .build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(400).build());
    }

    private static final Shape INPUT = new Shape(2, 8, 12, 12);

    @Test
    void fanInFollowsPyTorchRule() {
        assertEquals(784, TorchDefaultInit.fanIn(new Shape(400, 784)));
        assertEquals(8 * 25, TorchDefaultInit.fanIn(new Shape(64, 8, 5, 5)));
        // ConvTranspose weight (I, O/g, k, k): PyTorch reads dim 1, the output channels.
        assertEquals(6 * 9, TorchDefaultInit.fanIn(new Shape(64, 6, 3, 3)));
        assertEquals(1.0 / 28.0, TorchDefaultInit.bound(784), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> TorchDefaultInit.fanIn(new Shape(7)));
        assertThrows(IllegalArgumentException.class, () -> TorchDefaultInit.bound(0));
    }

    @Test
    void drawnWeightsAndBiasesHaveUniformBoundsAndVariance() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = smallTree();
            // A deliberately different init, so the test sees the reset happen.
            net.setInitializer(new NormalInitializer(5f), Parameter.Type.WEIGHT);
            net.initialize(manager, DataType.FLOAT32, INPUT);
            Map<String, NDArray> before = new LinkedHashMap<>();
            net.getParameters().forEach(p -> before.put(p.getKey(), p.getValue().getArray()));

            assertEquals(3, TorchDefaultInit.apply(net));

            int checked = 0;
            for (var pair : net.getParameters()) {
                Parameter p = pair.getValue();
                NDArray array = p.getArray();
                assertSame(before.get(pair.getKey()), array, "array replaced, not reset in place");
                assertTrue(array.hasGradient(), p.getName() + " lost requiresGradient");
                Shape weightShape = p.getType() == Parameter.Type.WEIGHT
                        ? array.getShape()
                        : weightOf(net, pair.getKey()).getShape();
                double b = 1.0 / Math.sqrt(TorchDefaultInit.fanIn(weightShape));
                float[] v = array.toFloatArray();
                double max = 0;
                double sum = 0;
                double sumSq = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                    sum += x;
                    sumSq += (double) x * x;
                }
                int n = v.length;
                assertTrue(max <= b * (1 + 1e-6), p.getName() + " max " + max + " > bound " + b);
                // P(all |x| < 0.8 b) = 0.8^n is negligible for n >= 64.
                assertTrue(max > 0.8 * b, p.getName() + " max " + max + " far below bound " + b);
                // Var U(-b, b) = b^2 / 3; sd of the sample second moment is sqrt(4/45) b^2 / sqrt(n).
                double variance = sumSq / n;
                double se = Math.sqrt(4.0 / 45.0) * b * b / Math.sqrt(n);
                assertEquals(b * b / 3, variance, 6 * se, p.getName() + " variance");
                // Mean 0 with sd b / sqrt(3n).
                assertEquals(0, sum / n, 6 * b / Math.sqrt(3.0 * n), p.getName() + " mean");
                checked++;
            }
            assertEquals(6, checked);
        }
    }

    @Test
    void sameSeedGivesSameDraws() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock a = smallTree();
            SequentialBlock b = smallTree();
            a.initialize(manager, DataType.FLOAT32, INPUT);
            b.initialize(manager, DataType.FLOAT32, INPUT);
            Engine.getInstance().setRandomSeed(3);
            TorchDefaultInit.apply(a);
            Engine.getInstance().setRandomSeed(3);
            TorchDefaultInit.apply(b);
            var pa = a.getParameters();
            var pb = b.getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(
                        pa.get(i).getValue().getArray().toFloatArray(),
                        pb.get(i).getValue().getArray().toFloatArray());
            }
        }
    }

    @Test
    void weightInitializerMatchesBound() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(300).build();
            linear.setInitializer(TorchDefaultInit.weightInitializer(), Parameter.Type.WEIGHT);
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 100));
            NDArray w = linear.getParameters().get("weight").getArray();
            float max = w.abs().max().getFloat();
            assertTrue(max <= 0.1f + 1e-7f && max > 0.09f, "max |w| = " + max);
        }
    }

    @Test
    void uninitialisedBlockIsRejected() {
        Linear linear = Linear.builder().setUnits(3).build();
        assertThrows(IllegalStateException.class, () -> TorchDefaultInit.apply(linear));
    }

    private static NDArray weightOf(SequentialBlock net, String biasKey) {
        String weightKey = biasKey.substring(0, biasKey.length() - "bias".length()) + "weight";
        return net.getParameters().get(weightKey).getArray();
    }
}
