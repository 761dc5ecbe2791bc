package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.convolutional.Deconvolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation of {@code nn.Linear} and {@code nn.ConvNd}, applied to an
 * already initialised DJL block tree.
 *
 * <p>PyTorch draws a layer's weight with Kaiming-uniform (He et al., 2015) using the leaky-ReLU
 * slope {@code a = sqrt(5)}, and the bias from the same interval:
 *
 * <pre>
 *   gain  = sqrt(2 / (1 + a^2)) = sqrt(1/3)
 *   bound = sqrt(3) * gain / sqrt(fan_in) = 1 / sqrt(fan_in)
 *   W ~ U(-bound, bound),  b ~ U(-bound, bound)
 *   fan_in = W.shape[1] * prod(W.shape[2:])
 * </pre>
 *
 * <p>The fan-in rule reads dimension 1 of the weight, as PyTorch does: for {@link Linear} (weight
 * {@code (O, I)}) that is {@code I}; for a {@link Convolution} (weight {@code (O, I/g, k...)}) it
 * is {@code I/g * prod(k)}; for a {@link Deconvolution} or {@link ConvTranspose2d} (weight {@code
 * (I, O/g, k...)}) PyTorch's rule gives {@code O/g * prod(k)}, kept here so that the weights
 * follow PyTorch's distribution exactly.
 *
 * <p>DJL's {@link Initializer} sees only the shape of the parameter it fills, so a bias cannot
 * know its layer's fan-in; therefore this class resets parameters in place after {@code
 * initialize}. Random numbers come from the engine RNG ({@code Engine.setRandomSeed} makes them
 * reproducible). {@link #weightInitializer()} covers the weight alone through DJL's own API.
 */
public final class TorchDefaultInit {

    private TorchDefaultInit() {}

    /**
     * Redraws weight and bias of every {@link Linear}, {@link Convolution}, {@link Deconvolution}
     * and {@link ConvTranspose2d} in {@code block} and its descendants.
     *
     * @param block an initialised block tree
     * @return the number of layers that were reset
     * @throws IllegalStateException if a layer to reset is not initialised
     */
    public static int apply(Block block) {
        int reset = 0;
        if (block instanceof Linear
                || block instanceof Convolution
                || block instanceof Deconvolution
                || block instanceof ConvTranspose2d) {
            resetLayer(block);
            reset++;
        }
        for (Block child : block.getChildren().values()) {
            reset += apply(child);
        }
        return reset;
    }

    /**
     * PyTorch's fan-in of a weight of the given shape: {@code shape[1] * prod(shape[2:])}.
     *
     * @param weightShape weight shape with at least two dimensions
     * @return the fan-in
     * @throws IllegalArgumentException if the shape has fewer than two dimensions
     */
    public static long fanIn(Shape weightShape) {
        if (weightShape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "weight shape must have at least 2 dimensions to define fan_in, got " + weightShape);
        }
        long receptive = 1;
        for (int i = 2; i < weightShape.dimension(); i++) {
            receptive *= weightShape.get(i);
        }
        return weightShape.get(1) * receptive;
    }

    /**
     * The half-width {@code 1/sqrt(fan_in)} of PyTorch's default uniform interval.
     *
     * @param fanIn a positive fan-in
     * @return {@code 1 / sqrt(fanIn)}
     * @throws IllegalArgumentException if {@code fanIn <= 0}
     */
    public static double bound(long fanIn) {
        if (fanIn <= 0) {
            throw new IllegalArgumentException("fan_in must be positive, got " + fanIn);
        }
        return 1.0 / Math.sqrt(fanIn);
    }

    /**
     * Kaiming-uniform with {@code a = sqrt(5)} as a DJL {@link Initializer} for weights, usable
     * with {@code Block.setInitializer(init, Parameter.Type.WEIGHT)} before {@code initialize}.
     *
     * @return the weight initializer
     */
    public static Initializer weightInitializer() {
        return TorchDefaultInit::drawWeight;
    }

    private static NDArray drawWeight(NDManager manager, Shape shape, DataType dataType) {
        double b = bound(fanIn(shape));
        return manager.randomUniform((float) -b, (float) b, shape, dataType);
    }

    private static void resetLayer(Block layer) {
        Parameter weight = null;
        Parameter bias = null;
        for (Parameter p : layer.getDirectParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                weight = p;
            } else if (p.getType() == Parameter.Type.BIAS) {
                bias = p;
            }
        }
        if (weight == null) {
            return;
        }
        if (!weight.isInitialized()) {
            throw new IllegalStateException("initialize the block before applying the default init: parameter "
                    + weight.getName() + " of " + layer.getClass().getSimpleName()
                    + " has no array");
        }
        double b = bound(fanIn(weight.getArray().getShape()));
        overwrite(weight.getArray(), b);
        if (bias != null && bias.isInitialized()) {
            overwrite(bias.getArray(), b);
        }
    }

    /** Fills {@code target} in place with U(-b, b), keeping the array object the model holds. */
    private static void overwrite(NDArray target, double b) {
        try (NDManager scratch = target.getManager().newSubManager()) {
            NDArray fresh = scratch.randomUniform((float) -b, (float) b, target.getShape(), target.getDataType());
            target.set(new NDIndex("..."), fresh);
        }
    }
}
