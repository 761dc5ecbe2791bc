package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.nn.Scalars;
import java.util.Locale;

/**
 * The variance schedule of a diffusion model and the closed-form forward process (Ho, Jain and
 * Abbeel 2020, "Denoising Diffusion Probabilistic Models", §2), with timesteps counted from 1 to T
 * as in the paper:
 *
 * <pre>
 *   q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I)                        (Eq. 2)
 *   alpha_t = 1 - beta_t,  alpha-bar_t = prod_{s=1..t} alpha_s
 *   q(x_t | x_0) = N(sqrt(alpha-bar_t) x_0, (1 - alpha-bar_t) I)                    (Eq. 4)
 *   posterior q(x_{t-1} | x_t, x_0) = N(mu~_t, beta~_t I)                            (Eq. 6, 7)
 *     mu~_t   = sqrt(alpha-bar_{t-1}) beta_t / (1 - alpha-bar_t) x_0
 *             + sqrt(alpha_t) (1 - alpha-bar_{t-1}) / (1 - alpha-bar_t) x_t
 *     beta~_t = (1 - alpha-bar_{t-1}) / (1 - alpha-bar_t) beta_t,   alpha-bar_0 = 1
 * </pre>
 *
 * <p>Two schedules: {@link Kind#LINEAR} (beta from 1e-4 to 0.02, §4) and {@link Kind#COSINE}
 * (Nichol &amp; Dhariwal 2021, "Improved DDPM", Eq. 17: alpha-bar_t = f(t)/f(0), f(t) = cos^2(((t/T +
 * s)/(1 + s)) pi/2), s = 0.008, beta_t = min(1 - alpha-bar_t/alpha-bar_{t-1}, 0.999)). Every
 * coefficient is computed once, in double precision, and read by index; arrays hold index 0 for
 * t = 0 (alpha-bar_0 = 1) so that {@code alphaBar(t)} reads exactly like the paper.
 */
public final class NoiseSchedule {
    /** Linear schedule's first and last beta (Ho et al. §4). */
    public static final double BETA_1 = 1e-4;

    public static final double BETA_T = 0.02;

    /** The cosine schedule's offset s and its beta clip (Nichol &amp; Dhariwal §3.2). */
    public static final double COSINE_S = 0.008;

    public static final double MAX_BETA = 0.999;

    /** The schedule family. */
    public enum Kind {
        LINEAR,
        COSINE;

        /** Parses {@code linear} or {@code cosine}, any case. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("schedule must be linear or cosine, got '" + name + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int steps;
    private final double[] beta;
    private final double[] alpha;
    private final double[] alphaBar;

    private NoiseSchedule(Kind kind, int steps, double[] beta) {
        this.kind = kind;
        this.steps = steps;
        this.beta = beta;
        this.alpha = new double[steps + 1];
        this.alphaBar = new double[steps + 1];
        alpha[0] = 1;
        alphaBar[0] = 1;
        for (int t = 1; t <= steps; t++) {
            alpha[t] = 1 - beta[t];
            alphaBar[t] = alphaBar[t - 1] * alpha[t];
        }
    }

    /**
     * A schedule of {@code steps} timesteps.
     *
     * @throws IllegalArgumentException when {@code steps < 2}
     */
    public static NoiseSchedule of(Kind kind, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("timesteps T must be >= 2, got " + steps);
        }
        double[] beta = new double[steps + 1];
        for (int t = 1; t <= steps; t++) {
            beta[t] = switch (kind) {
                // linspace(beta_1, beta_T, T) at index t - 1
                case LINEAR -> BETA_1 + (BETA_T - BETA_1) * (t - 1) / (steps - 1);
                // Improved DDPM Eq. 17 and the clip of §3.2
                case COSINE -> Math.min(1 - cosineF(t, steps) / cosineF(t - 1, steps), MAX_BETA);
            };
        }
        return new NoiseSchedule(kind, steps, beta);
    }

    /** A schedule by name ({@code linear} or {@code cosine}). */
    public static NoiseSchedule of(String kind, int steps) {
        return of(Kind.parse(kind), steps);
    }

    /** f(t) = cos^2(((t/T + s)/(1 + s)) pi/2). */
    private static double cosineF(int t, int steps) {
        double c = Math.cos(((double) t / steps + COSINE_S) / (1 + COSINE_S) * Math.PI / 2);
        return c * c;
    }

    public Kind kind() {
        return kind;
    }

    /** T, the number of diffusion steps. */
    public int steps() {
        return steps;
    }

    public double beta(int t) {
        return beta[check(t, 1)];
    }

    public double alpha(int t) {
        return alpha[check(t, 1)];
    }

    /** alpha-bar_t for t in [0, T] (alpha-bar_0 = 1). */
    public double alphaBar(int t) {
        return alphaBar[check(t, 0)];
    }

    public double sqrtAlphaBar(int t) {
        return Math.sqrt(alphaBar(t));
    }

    public double sqrtOneMinusAlphaBar(int t) {
        return Math.sqrt(1 - alphaBar(t));
    }

    /** beta~_t = (1 - alpha-bar_{t-1}) / (1 - alpha-bar_t) beta_t (Eq. 7); 0 at t = 1. */
    public double posteriorVariance(int t) {
        check(t, 1);
        return (1 - alphaBar[t - 1]) / (1 - alphaBar[t]) * beta[t];
    }

    /** The coefficient of x_0 in mu~_t (Eq. 7). */
    public double posteriorMeanCoefX0(int t) {
        check(t, 1);
        return Math.sqrt(alphaBar[t - 1]) * beta[t] / (1 - alphaBar[t]);
    }

    /** The coefficient of x_t in mu~_t (Eq. 7). */
    public double posteriorMeanCoefXt(int t) {
        check(t, 1);
        return Math.sqrt(alpha[t]) * (1 - alphaBar[t - 1]) / (1 - alphaBar[t]);
    }

    /**
     * A draw of q(x_t | x_0) (Eq. 4) per example: {@code sqrt(alpha-bar_t) x_0 + sqrt(1 -
     * alpha-bar_t) eps}, each example with its own t.
     *
     * @param x0 clean examples (B, ...)
     * @param t one timestep in [1, T] per example
     * @param eps standard normal noise shaped like {@code x0}
     * @return x_t (B, ...), on {@code x0}'s manager
     */
    public NDArray noised(NDArray x0, int[] t, NDArray eps) {
        Shape s = x0.getShape();
        if (s.dimension() < 1 || s.get(0) != t.length || !eps.getShape().equals(s)) {
            throw new IllegalArgumentException("x0 " + s + ", eps " + eps.getShape() + " and " + t.length
                    + " timesteps must agree (B, ...) with B = number of timesteps");
        }
        float[] a = new float[t.length];
        float[] b = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            a[i] = (float) sqrtAlphaBar(check(t[i], 1));
            b[i] = (float) sqrtOneMinusAlphaBar(t[i]);
        }
        Shape perExample = perExample(s);
        NDArray ca = x0.getManager().create(a, perExample); // (B, 1, ...)
        NDArray cb = x0.getManager().create(b, perExample); // (B, 1, ...)
        return x0.mul(ca).add(eps.mul(cb)); // Eq. 4
    }

    /**
     * One forward step q(x_t | x_{t-1}) (Eq. 2): {@code sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t)
     * eps}, the same t for the whole batch.
     */
    public NDArray step(NDArray previous, int t, NDArray eps) {
        return Scalars.mul(previous, Math.sqrt(alpha(t))).add(Scalars.mul(eps, Math.sqrt(beta(t))));
    }

    /** (B, 1, 1, ...) for broadcasting a per-example coefficient over an example's axes. */
    static Shape perExample(Shape s) {
        long[] dims = new long[s.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = s.get(0);
        return new Shape(dims);
    }

    private int check(int t, int from) {
        if (t < from || t > steps) {
            throw new IllegalArgumentException("timestep t must be in [" + from + ", " + steps + "], got " + t);
        }
        return t;
    }
}
