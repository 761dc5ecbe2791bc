package dev.paperlab.models.ddpm;

import java.util.Locale;

/**
 * Which reverse process draws samples, and its settings ({@link Samplers}).
 *
 * @param kind ancestral (Algorithm 2, all T steps) or DDIM
 * @param steps DDIM's S in [1, T] (ignored by the ancestral sampler, which takes T steps)
 * @param eta DDIM's noise scale, &gt;= 0 (0 deterministic, 1 the DDPM-like stochastic sampler)
 * @param variance sigma_t^2 of the ancestral sampler
 * @param clip DDIM clips each predicted x_0 to [-clip, clip]; 0 = no clipping
 * @param spacing how DDIM's S timesteps are spread over [1, T]
 */
public record SamplerConfig(
        Kind kind, int steps, float eta, Samplers.Variance variance, double clip, Samplers.Spacing spacing) {

    /** DDIM's default clip: images scaled to [-1, 1]. */
    public static final double IMAGE_CLIP = 1.0;

    /** The reverse processes. */
    public enum Kind {
        ANCESTRAL,
        DDIM;

        /** Parses {@code ancestral} or {@code ddim}, any case. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("sampler must be ancestral or ddim, got '" + name + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SamplerConfig {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(variance, "variance");
        java.util.Objects.requireNonNull(spacing, "spacing");
        if (kind == Kind.DDIM && steps < 1) {
            throw new IllegalArgumentException("DDIM sample steps must be >= 1, got " + steps);
        }
        if (!(eta >= 0)) {
            throw new IllegalArgumentException("DDIM eta must be >= 0, got " + eta);
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("DDIM x_0 clip must be finite and >= 0 (0 = off), got " + clip);
        }
    }

    /** Algorithm 2 with sigma_t^2 = beta_t. */
    public static SamplerConfig ancestral() {
        return new SamplerConfig(Kind.ANCESTRAL, 0, 0f, Samplers.Variance.BETA, 0, Samplers.Spacing.UNIFORM);
    }

    /**
     * Deterministic DDIM (eta = 0) with {@code steps} evenly spaced steps, predicted x_0 clipped to
     * [-1, 1].
     */
    public static SamplerConfig ddim(int steps) {
        return new SamplerConfig(Kind.DDIM, steps, 0f, Samplers.Variance.BETA, IMAGE_CLIP, Samplers.Spacing.UNIFORM);
    }

    /** This sampler with DDIM noise {@code eta}. */
    public SamplerConfig withEta(float eta) {
        return new SamplerConfig(kind, steps, eta, variance, clip, spacing);
    }

    /** This sampler with DDIM timestep {@code spacing}. */
    public SamplerConfig withSpacing(Samplers.Spacing spacing) {
        return new SamplerConfig(kind, steps, eta, variance, clip, spacing);
    }

    /** This sampler with the ancestral variance {@code variance}. */
    public SamplerConfig withVariance(Samplers.Variance variance) {
        return new SamplerConfig(kind, steps, eta, variance, clip, spacing);
    }

    /** Network evaluations one sample costs with schedule length T. */
    public int evaluations(int totalSteps) {
        return kind == Kind.ANCESTRAL ? totalSteps : steps;
    }
}
