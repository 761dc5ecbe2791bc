package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu &amp; He 2018, "Group Normalization", Eq. 1-3), which DJL lacks: the C
 * channels are split into G groups and each example's group is normalised over its channels and
 * positions, then scaled and shifted per channel:
 *
 * <pre>
 *   mu_g = mean over (c in g, h, w) of x,  var_g = mean of (x - mu_g)^2   (biased, as PyTorch)
 *   y = gamma_c (x - mu_g) / sqrt(var_g + eps) + beta_c
 * </pre>
 *
 * <p>Input (N, C, ...) with C divisible by G; gamma starts at 1 and beta at 0, as PyTorch's {@code
 * nn.GroupNorm}. With G = 1 it is layer normalisation over (C, ...); with G = C, instance norm.
 */
public final class GroupNorm extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int groups;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    private GroupNorm(Builder b) {
        super(VERSION);
        groups = b.groups;
        eps = b.eps;
        gamma = addParameter(Parameter.builder()
                .setName("gamma")
                .setType(Parameter.Type.GAMMA)
                .build());
        beta = addParameter(
                Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Functional form.
     *
     * @param x input (N, C, ...), C divisible by {@code groups}
     * @param gamma per-channel scale (C), or null
     * @param beta per-channel shift (C), or null
     * @return normalised x, same shape
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        checkShape(x.getShape(), groups);
        if (TorchOps.accepts(x)) {
            return TorchOps.groupNorm(x, groups, gamma, beta, eps); // normalisation and affine in one kernel
        }
        return groupNormComposite(x, groups, gamma, beta, eps);
    }

    /** {@link #groupNorm} from DJL's operators: torch's layer_norm, then the affine part. */
    static NDArray groupNormComposite(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = checkShape(x.getShape(), groups);
        long n = s.get(0);
        long m = s.size() / (n * groups);
        NDManager manager = x.getManager();
        // torch's fused layer_norm over the last axis of (N, G, M) is group norm without the
        // affine part, in one pass instead of the reference's eight
        NDArray y = LayerNorm.layerNorm(
                        x.reshape(n, groups, m),
                        new Shape(m),
                        manager.ones(new Shape(m)),
                        manager.zeros(new Shape(m)),
                        eps)
                .head()
                .reshape(s); // (N, C, ...)
        return affine(x, y, gamma, beta);
    }

    /** {@link #groupNorm} written out from Eq. 1-3 (mean, biased variance, normalise): the reference. */
    public static NDArray groupNormReference(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = checkShape(x.getShape(), groups);
        NDArray g = x.reshape(s.get(0), groups, -1); // (N, G, C/G * positions)
        NDArray mu = g.mean(new int[] {2}, true); // (N, G, 1)
        NDArray centred = g.sub(mu); // (N, G, M)
        NDArray var = centred.square().mean(new int[] {2}, true); // (N, G, 1)
        return affine(x, centred.div(var.add(eps).sqrt()).reshape(s), gamma, beta);
    }

    private static Shape checkShape(Shape s, int groups) {
        if (s.dimension() < 2 || s.get(1) % groups != 0) {
            throw new IllegalArgumentException(
                    "group norm needs input (N, C, ...) with C divisible by " + groups + " groups, got " + s);
        }
        return s;
    }

    /** y gamma_c + beta_c, per channel. */
    private static NDArray affine(NDArray x, NDArray y, NDArray gamma, NDArray beta) {
        Shape s = x.getShape();
        long[] perChannel = new long[s.dimension()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = s.get(1);
        Shape c = new Shape(perChannel); // (1, C, 1, ...)
        // a parameter's reshape belongs to the parameter's manager: move it to the input's, so
        // that a step's or a sampler iteration's scope frees it
        if (gamma != null) {
            y = y.mul(onManagerOf(x, gamma.reshape(c)));
        }
        if (beta != null) {
            y = y.add(onManagerOf(x, beta.reshape(c)));
        }
        return y;
    }

    private static NDArray onManagerOf(NDArray owner, NDArray a) {
        a.attach(owner.getManager());
        return a;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        return new NDList(groupNorm(
                x,
                groups,
                ps.getValue(gamma, x.getDevice(), training),
                ps.getValue(beta, x.getDevice(), training),
                eps));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() < 2 || s.get(1) % groups != 0) {
            throw new IllegalArgumentException(
                    "group norm needs input (N, C, ...) with C divisible by " + groups + " groups, got " + s);
        }
        gamma.setShape(new Shape(s.get(1)));
        beta.setShape(new Shape(s.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builder of a {@link GroupNorm}. */
    public static final class Builder {
        private int groups = 32;
        private float eps = 1e-5f;

        private Builder() {}

        /** Number of groups G, at least 1; 32 by default (Wu &amp; He). */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** epsilon added to the variance, positive; 1e-5 by default (PyTorch). */
        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        public GroupNorm build() {
            if (groups < 1) {
                throw new IllegalArgumentException("groups must be >= 1, got " + groups);
            }
            if (!(eps > 0)) {
                throw new IllegalArgumentException("eps must be > 0, got " + eps);
            }
            return new GroupNorm(this);
        }
    }
}
