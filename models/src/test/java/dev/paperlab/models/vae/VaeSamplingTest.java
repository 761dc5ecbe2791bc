package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.junit.jupiter.api.Test;

class VaeSamplingTest {

    private static Vae smallConv(NDManager manager) {
        Vae vae = Vae.builder()
                .optVariant(Vae.Variant.CONV)
                .optImageShape(1, 8, 8)
                .optConvChannels(2, 3)
                .optHiddenSize(8)
                .optLatentSize(3)
                .build();
        vae.initialize(manager, DataType.FLOAT32, vae.inputShape(1));
        return vae;
    }

    @Test
    void posteriorMeansCoverEveryExampleAcrossChunks() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = smallConv(manager);
            // more than two chunks, the last one partial
            int n = 2 * VaeSampling.CHUNK + 37;
            NDArray x = manager.randomUniform(0, 1, new Shape(n, 1, 8, 8));
            int arrays = manager.getManagedArrays().size();
            double[][] means = VaeSampling.posteriorMeans(vae, x);
            // every chunk's temporaries were freed with its sub-manager
            assertEquals(arrays, manager.getManagedArrays().size());
            assertEquals(n, means.length);
            for (int i : new int[] {0, VaeSampling.CHUNK - 1, VaeSampling.CHUNK, n - 1}) {
                // the reference: the encoder on that one example
                float[] one = vae.encode(x.get(i + ":" + (i + 1))).get(0).toFloatArray();
                for (int k = 0; k < one.length; k++) {
                    // batching may change the summation order of a convolution: 1e-5 covers float32 rounding
                    assertEquals(one[k], means[i][k], 1e-5, "example " + i + " dim " + k);
                }
            }
        }
    }

    @Test
    void reconstructionsDecodeThePosteriorMeanAsImages() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = smallConv(manager);
            NDArray x = manager.randomUniform(0, 1, new Shape(5, 64)); // flat input is accepted
            NDArray r = VaeSampling.reconstructions(vae, x, manager);
            assertEquals(new Shape(5, 1, 8, 8), r.getShape());
            NDArray mu = vae.encode(x).get(0);
            NDArray expected =
                    Activation.sigmoid(vae.decodeLogits(new ai.djl.training.ParameterStore(manager, false), mu, false));
            assertArrayEquals(expected.toFloatArray(), r.toFloatArray());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> VaeSampling.reconstructions(
                            vae, manager.zeros(new Shape(VaeSampling.CHUNK + 1, 64)), manager));
        }
    }

    @Test
    void priorSamplesDecodeStandardNormalCodes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = smallConv(manager);
            Engine.getInstance().setRandomSeed(13);
            NDArray samples = VaeSampling.priorSamples(vae, manager, 6);
            assertEquals(new Shape(6, 1, 8, 8), samples.getShape());
            Engine.getInstance().setRandomSeed(13);
            NDArray z = manager.randomNormal(new Shape(6, 3)); // the same draw, made here
            assertArrayEquals(vae.decode(z).toFloatArray(), samples.toFloatArray());
        }
    }

    @Test
    void latentScoresSeparateClassesFarApartInDataSpace() {
        Engine.getInstance().setRandomSeed(14);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = smallConv(manager);
            // class 0 near black, class 1 near white: far apart inputs have far apart means even untrained
            NDArray noise = manager.randomUniform(0, 0.05f, new Shape(40, 1, 8, 8));
            float[] y = new float[40];
            for (int i = 20; i < 40; i++) {
                y[i] = 1;
            }
            NDArray labels = manager.create(y);
            NDArray x = noise.add(labels.reshape(40, 1, 1, 1).mul(0.9f));
            var scores = VaeSampling.latentScores(vae, x.get("0:30"), labels.get("0:30"), x, labels, 1);
            assertEquals(
                    java.util.List.of("latent_knn10_accuracy", "latent_cluster_accuracy"),
                    java.util.List.copyOf(scores.keySet()));
            assertEquals(1.0, scores.get("latent_knn10_accuracy"));
            assertEquals(1.0, scores.get("latent_cluster_accuracy"));
            // fewer training examples than 10: k follows them; one class: nothing to score
            assertEquals(
                    java.util.Set.of("latent_knn4_accuracy", "latent_cluster_accuracy"),
                    VaeSampling.latentScores(vae, x.get("18:22"), labels.get("18:22"), x, labels, 1)
                            .keySet());
            assertEquals(
                    java.util.Map.of(), VaeSampling.latentScores(vae, x.get("0:10"), labels.get("0:10"), x, labels, 1));
        }
    }
}
