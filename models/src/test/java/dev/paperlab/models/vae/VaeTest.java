package dev.paperlab.models.vae;

import static dev.paperlab.models.vae.VaeLossReferenceTest.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VaeTest {

    private static Vae initialized(Vae vae, NDManager manager, Shape input) {
        vae.initialize(manager, DataType.FLOAT32, input);
        return vae;
    }

    private static NDList forward(Vae vae, NDList inputs, boolean training) {
        NDManager manager = inputs.head().getManager();
        return vae.forward(new ParameterStore(manager, false), inputs, training);
    }

    @Test
    void mlpMatchesPyTorchExampleLayout() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = initialized(Vae.builder().build(), manager, new Shape(8, 784));
            var p = vae.getParameters();
            assertEquals(
                    new Shape(400, 784), param(vae, "fc1_weight").getArray().getShape());
            assertEquals(
                    new Shape(20, 400), param(vae, "fc21_weight").getArray().getShape());
            assertEquals(
                    new Shape(20, 400), param(vae, "fc22_weight").getArray().getShape());
            assertEquals(new Shape(400, 20), param(vae, "fc3_weight").getArray().getShape());
            assertEquals(
                    new Shape(784, 400), param(vae, "fc4_weight").getArray().getShape());
            long count = p.values().stream().mapToLong(q -> q.getArray().size()).sum();
            // 784*400+400 + 2*(400*20+20) + 20*400+400 + 400*784+784, as in pytorch/examples.
            assertEquals(652_824L, count);

            // PyTorch default init was applied: biases drawn, |W| <= 1/sqrt(fan_in).
            float maxW = param(vae, "fc1_weight").getArray().abs().max().getFloat();
            assertTrue(maxW <= 1 / 28f + 1e-7f && maxW > 0.9f / 28f, "max |fc1 W| " + maxW);
            assertTrue(param(vae, "fc4_bias").getArray().abs().max().getFloat() > 0);

            NDArray x = manager.randomUniform(0, 1, new Shape(8, 784));
            NDList out = forward(vae, new NDList(x), true);
            assertEquals(3, out.size());
            assertEquals(new Shape(8, 784), out.get(0).getShape());
            assertEquals(new Shape(8, 20), out.get(1).getShape());
            assertEquals(new Shape(8, 20), out.get(2).getShape());
            Shape[] declared = vae.getOutputShapes(new Shape[] {new Shape(8, 784)});
            for (int i = 0; i < 3; i++) {
                assertEquals(declared[i], out.get(i).getShape());
            }
            // Image-shaped input is flattened like x.view(-1, 784).
            NDList fromImage = forward(vae, new NDList(x.reshape(8, 1, 28, 28)), false);
            NDList fromFlat = forward(vae, new NDList(x), false);
            assertArrayEquals(fromFlat.get(0).toFloatArray(), fromImage.get(0).toFloatArray());
        }
    }

    @Test
    void convVariantShapes() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = Vae.builder()
                    .optVariant(Vae.Variant.CONV)
                    .optConvChannels(8, 16)
                    .optHiddenSize(64)
                    .optLatentSize(5)
                    .build();
            initialized(vae, manager, new Shape(4, 1, 28, 28));
            assertEquals(784, vae.getInputSize());
            NDArray x = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));
            NDList out = forward(vae, new NDList(x), true);
            assertEquals(new Shape(4, 1, 28, 28), out.get(0).getShape());
            assertEquals(new Shape(4, 5), out.get(1).getShape());
            assertEquals(new Shape(4, 5), out.get(2).getShape());
            assertArrayEquals(vae.getOutputShapes(new Shape[] {x.getShape()}), out.getShapes());
            // Flat input of the same size is accepted; a non-square, 3-channel image works too.
            assertEquals(
                    new Shape(4, 1, 28, 28),
                    forward(vae, new NDList(x.reshape(4, 784)), false).get(0).getShape());
            Vae rgb = Vae.builder()
                    .optVariant(Vae.Variant.CONV)
                    .optImageShape(3, 16, 12)
                    .optConvChannels(4, 8)
                    .optHiddenSize(32)
                    .optLatentSize(3)
                    .build();
            initialized(rgb, manager, new Shape(2, 3, 16, 12));
            NDArray y = manager.randomUniform(0, 1, new Shape(2, 3, 16, 12));
            assertEquals(
                    new Shape(2, 3, 16, 12),
                    forward(rgb, new NDList(y), true).get(0).getShape());
            assertEquals(new Shape(5, 3, 16, 12), rgb.sample(manager, 5).getShape());
        }
    }

    @Test
    void evalIsDeterministicAndUsesTheMeanWhileTrainingSamples() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = initialized(
                    Vae.builder()
                            .optInputSize(30)
                            .optHiddenSize(16)
                            .optLatentSize(4)
                            .build(),
                    manager,
                    new Shape(5, 30));
            NDArray x = manager.randomUniform(0, 1, new Shape(5, 30));
            float[] eval1 = forward(vae, new NDList(x), false).get(0).toFloatArray();
            float[] eval2 = forward(vae, new NDList(x), false).get(0).toFloatArray();
            assertArrayEquals(eval1, eval2);
            NDArray mu = vae.encode(x).get(0);
            ParameterStore ps = new ParameterStore(manager, false);
            assertArrayEquals(eval1, vae.decodeLogits(ps, mu, false).toFloatArray());

            float[] train1 = forward(vae, new NDList(x), true).get(0).toFloatArray();
            float[] train2 = forward(vae, new NDList(x), true).get(0).toFloatArray();
            assertFalse(Arrays.equals(train1, train2), "training forward must sample z");

            // Training draws eps ~ N(0, I) from the engine RNG and decodes mu + sigma * eps.
            Engine.getInstance().setRandomSeed(99);
            float[] sampled = forward(vae, new NDList(x), true).get(0).toFloatArray();
            Engine.getInstance().setRandomSeed(99);
            NDArray eps = manager.randomNormal(new Shape(5, 4));
            float[] given = forward(vae, new NDList(x, eps), true).get(0).toFloatArray();
            assertArrayEquals(given, sampled);

            NDArray samples = vae.sample(manager, 6);
            assertEquals(new Shape(6, 30), samples.getShape());
            assertTrue(samples.min().getFloat() >= 0 && samples.max().getFloat() <= 1);
            float[] decoded = vae.decode(mu).toFloatArray();
            for (int i = 0; i < decoded.length; i++) {
                assertEquals(1 / (1 + Math.exp(-eval1[i])), decoded[i], 1e-6);
            }
        }
    }

    @Test
    void secondInitializeKeepsTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = Vae.builder()
                    .optInputSize(6)
                    .optHiddenSize(5)
                    .optLatentSize(2)
                    .build();
            initialized(vae, manager, new Shape(1, 6));
            float[] before = param(vae, "fc1_weight").getArray().toFloatArray();
            vae.initialize(manager, DataType.FLOAT32, new Shape(1, 6));
            assertArrayEquals(before, param(vae, "fc1_weight").getArray().toFloatArray());
        }
    }

    @Test
    void saveLoadRoundTripGivesTheSameOutputs() throws Exception {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae.Builder config = Vae.builder()
                    .optVariant(Vae.Variant.CONV)
                    .optConvChannels(4, 8)
                    .optHiddenSize(16)
                    .optLatentSize(3);
            Vae original = initialized(config.build(), manager, new Shape(2, 1, 28, 28));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));
            Vae restored = config.build();
            restored.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            // A later initialize (as a trainer does) must not redraw loaded weights.
            restored.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            NDArray x = manager.randomUniform(0, 1, new Shape(2, 1, 28, 28));
            assertArrayEquals(
                    forward(original, new NDList(x), false).get(0).toFloatArray(),
                    forward(restored, new NDList(x), false).get(0).toFloatArray());
        }
    }

    @Test
    void builderAndInputValidation() {
        var latent = assertThrows(
                IllegalArgumentException.class,
                () -> Vae.builder().optLatentSize(0).build());
        assertEquals("latent size must be positive, got 0", latent.getMessage());
        var image = assertThrows(
                IllegalArgumentException.class,
                () -> Vae.builder()
                        .optVariant(Vae.Variant.CONV)
                        .optImageShape(1, 30, 28)
                        .build());
        assertTrue(image.getMessage().contains("30 x 28"), image.getMessage());
        var size = assertThrows(
                IllegalArgumentException.class,
                () -> Vae.builder()
                        .optVariant(Vae.Variant.CONV)
                        .optImageShape(3, 28, 28)
                        .optInputSize(784)
                        .build());
        assertTrue(size.getMessage().contains("2352"), size.getMessage());
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = Vae.builder()
                    .optInputSize(6)
                    .optHiddenSize(5)
                    .optLatentSize(2)
                    .build();
            initialized(vae, manager, new Shape(1, 6));
            var input = assertThrows(IllegalArgumentException.class, () -> vae.encode(manager.zeros(new Shape(2, 7))));
            assertEquals("input must have shape (N, 6), got (2, 7)", input.getMessage());
            var loss = assertThrows(
                    IllegalArgumentException.class,
                    () -> new VaeLoss()
                            .evaluate(
                                    new NDList(manager.zeros(new Shape(2, 6))),
                                    new NDList(manager.zeros(new Shape(2, 6)))));
            assertTrue(loss.getMessage().contains("got 1 arrays"), loss.getMessage());
        }
    }

    @Test
    void encoderAndDecoderArePartsACallerCanUse() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = Vae.builder()
                    .optVariant(Vae.Variant.CONV)
                    .optImageShape(2, 12, 8)
                    .optConvChannels(3, 5)
                    .optHiddenSize(16)
                    .optLatentSize(4)
                    .build();
            initialized(vae, manager, vae.inputShape(3));
            assertEquals(new Shape(2, 12, 8), vae.getImageShape());
            assertEquals(new Shape(3, 2, 12, 8), vae.inputShape(3));
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 2, 12, 8));
            ParameterStore ps = new ParameterStore(manager, false);
            NDList q = vae.encoder().forward(ps, new NDList(x), false);
            NDList whole = forward(vae, new NDList(x), false); // z = mu in inference mode
            assertArrayEquals(whole.get(1).toFloatArray(), q.get(0).toFloatArray());
            assertArrayEquals(whole.get(2).toFloatArray(), q.get(1).toFloatArray());
            NDArray logits =
                    vae.decoder().forward(ps, new NDList(q.get(0)), false).singletonOrThrow();
            assertArrayEquals(whole.get(0).toFloatArray(), logits.toFloatArray());
            // The two parts hold every parameter of the VAE, and nothing else.
            int parts = vae.encoder().getParameters().size()
                    + vae.decoder().getParameters().size();
            assertEquals(vae.getParameters().size(), parts);
            assertTrue(vae.getParameters().keys().stream()
                    .allMatch(k -> k.contains("encoder_") || k.contains("decoder_")));
        }
    }

    @Test
    void imageShapeIsCheckedAgainstTheTotalStride() {
        // 2 stride-2 layers: 4 divides 12 and 8, not 10.
        var odd = assertThrows(
                IllegalArgumentException.class,
                () -> Vae.builder()
                        .optVariant(Vae.Variant.CONV)
                        .optImageShape(1, 10, 8)
                        .build());
        assertEquals(
                "image height x width 10 x 8 must be divisible by 4 (two stride-2 convolutions)", odd.getMessage());
        var channels = assertThrows(
                IllegalArgumentException.class,
                () -> Vae.builder().optImageShape(0, 28, 28).build());
        assertEquals("image channels must be positive, got 0", channels.getMessage());
        // The MLP takes any image shape; D follows it.
        assertEquals(3 * 10 * 7, Vae.builder().optImageShape(3, 10, 7).build().getInputSize());
        assertEquals(new Shape(1, 1, 30), Vae.builder().optInputSize(30).build().getImageShape());
    }
}
