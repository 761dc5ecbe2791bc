package dev.paperlab.models.gan;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import dev.paperlab.framework.nn.ConvTranspose2d;

/**
 * The DCGAN players (Radford et al. 2015, §3 "architecture guidelines") for square grey images of
 * side S divisible by 4 (28 for Fashion-MNIST), as DJL blocks:
 *
 * <pre>
 *   G: z (B, Z) -&gt; Linear(128 (S/4)^2) -&gt; BN -&gt; ReLU -&gt; reshape (B, 128, S/4, S/4)
 *        -&gt; ConvT(64, k4 s2 p1) -&gt; BN -&gt; ReLU -&gt; ConvT(1, k4 s2 p1) -&gt; tanh      (B, 1, S, S)
 *   D: x (B, 1, S, S) -&gt; Conv(64, k4 s2 p1) -&gt; LeakyReLU(0.2)                       (B, 64, S/2, S/2)
 *        -&gt; Conv(128, k4 s2 p1) -&gt; BN -&gt; LeakyReLU(0.2) -&gt; flatten -&gt; Linear(1)  logit (B, 1)
 * </pre>
 *
 * Strided convolutions instead of pooling, batch norm in both players except D's first layer and
 * G's output, ReLU in G with a tanh output, LeakyReLU 0.2 in D; weights of the convolutions and
 * linear layers drawn from N(0, 0.02) (§4). D's batch norm sees real and fake batches in separate
 * passes ({@link GanTask.Builder#optJointDiscriminatorPass}).
 */
public final class Dcgan {
    /** Standard deviation of the initial weights (§4). */
    public static final float INIT_STD = 0.02f;

    private Dcgan() {}

    /**
     * The generator for S x S images.
     *
     * @throws IllegalArgumentException when the latent size is below 1 or S is not a positive
     *     multiple of 4 (two stride-2 up-samplings from S/4)
     */
    public static SequentialBlock generator(int latentSize, int side) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be >= 1, got " + latentSize);
        }
        checkSide(side);
        int base = side / 4;
        SequentialBlock g = new SequentialBlock()
                .add(Linear.builder().setUnits(128L * base * base).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(new LambdaBlock(x -> new NDList(x.head().reshape(new Shape(-1, 128, base, base)))))
                .add(ConvTranspose2d.builder()
                        .setFilters(64)
                        .setKernelShape(4, 4)
                        .optStride(2, 2)
                        .optPadding(1, 1)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(ConvTranspose2d.builder()
                        .setFilters(1)
                        .setKernelShape(4, 4)
                        .optStride(2, 2)
                        .optPadding(1, 1)
                        .build())
                .add(Activation.tanhBlock());
        g.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        return g;
    }

    /**
     * The discriminator for S x S images, returning one logit per image.
     *
     * @throws IllegalArgumentException when S is not a positive multiple of 4
     */
    public static SequentialBlock discriminator(int side) {
        checkSide(side);
        SequentialBlock d = new SequentialBlock()
                .add(Conv2d.builder()
                        .setFilters(64)
                        .setKernelShape(new Shape(4, 4))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(Activation.leakyReluBlock(GanMlp.LEAKY_SLOPE))
                .add(Conv2d.builder()
                        .setFilters(128)
                        .setKernelShape(new Shape(4, 4))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.leakyReluBlock(GanMlp.LEAKY_SLOPE))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1).build());
        d.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        return d;
    }

    private static void checkSide(int side) {
        if (side < 4 || side % 4 != 0) {
            throw new IllegalArgumentException(
                    "DCGAN image side must be a positive multiple of 4 (two stride-2 layers), got " + side);
        }
    }
}
