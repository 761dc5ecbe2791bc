package dev.paperlab.models.gan;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.Arrays;

/**
 * The MLP players of Goodfellow et al. (2014) as DJL blocks, for 2-D points and flattened images.
 *
 * <pre>
 *   G: z (B, Z) -&gt; [Linear(h_i), ReLU]* -&gt; Linear(O) [-&gt; tanh]      x_fake (B, O)
 *   D: x (B, O) -&gt; [Linear(h_i), LeakyReLU(0.2)]* -&gt; Linear(1)         logit a (B, 1)
 * </pre>
 *
 * The 2-D recipe (Z = 2, hidden 128-128, no tanh) is the 8-Gaussian testbed of the unrolled-GAN and
 * VEEGAN papers; images use a tanh output so samples live in [-1, 1] like the scaled data. D
 * returns a logit: the losses in {@link GanLoss} take sigma where the paper uses D(x).
 */
public final class GanMlp {
    /** Negative slope of D's LeakyReLU, as in DCGAN (Radford et al. 2015, §3). */
    public static final float LEAKY_SLOPE = 0.2f;

    private GanMlp() {}

    /**
     * The generator.
     *
     * @param latentSize Z, at least 1 (checked here because the block infers its input size)
     * @param hidden hidden widths, each at least 1
     * @param outputSize O, at least 1
     * @param tanhOutput squash samples into [-1, 1]
     */
    public static SequentialBlock generator(int latentSize, int[] hidden, int outputSize, boolean tanhOutput) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be >= 1, got " + latentSize);
        }
        checkSizes(hidden, outputSize);
        SequentialBlock g = new SequentialBlock();
        for (int h : hidden) {
            g.add(Linear.builder().setUnits(h).build()).add(Activation.reluBlock());
        }
        g.add(Linear.builder().setUnits(outputSize).build());
        if (tanhOutput) {
            g.add(Activation.tanhBlock());
        }
        return g;
    }

    /**
     * The discriminator, returning one logit per example.
     *
     * @param hidden hidden widths, each at least 1 (empty: a linear discriminator)
     */
    public static SequentialBlock discriminator(int[] hidden) {
        checkSizes(hidden, 1);
        SequentialBlock d = new SequentialBlock();
        for (int h : hidden) {
            d.add(Linear.builder().setUnits(h).build()).add(Activation.leakyReluBlock(LEAKY_SLOPE));
        }
        d.add(Linear.builder().setUnits(1).build());
        return d;
    }

    private static void checkSizes(int[] hidden, int outputSize) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("output size must be >= 1, got " + outputSize);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
    }
}
