package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.training.EvalContext;
import java.util.Arrays;
import java.util.Locale;

/**
 * The reverse process, from x_T ~ N(0, I) to x_0, with a noise predictor {@link EpsilonModel}:
 *
 * <ul>
 *   <li>{@link #ancestral}: Ho et al. 2020, Algorithm 2, exactly: for t = T..1, z ~ N(0, I) if t
 *       &gt; 1 else z = 0, and
 *       <pre>
 *   x_{t-1} = 1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 - alpha-bar_t) eps_theta(x_t, t)) + sigma_t z
 *       </pre>
 *       with sigma_t^2 = beta_t or the posterior variance beta~_t (§3.2: both gave similar
 *       results). No clipping of x_0, no noise at the last step.
 *   <li>{@link #ddim}: Song, Meng and Ermon 2020, "Denoising Diffusion Implicit Models", Eq. 12
 *       and 16, on S timesteps tau_1 &lt; ... &lt; tau_S of [1, T] ({@link Spacing}):
 *       <pre>
 *   x0^ = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t),   a = alpha-bar, t = tau_i, p = tau_{i-1} (a_0 = 1)
 *   sigma = eta sqrt((1 - a_p) / (1 - a_t)) sqrt(1 - a_t / a_p)
 *   x_p = sqrt(a_p) x0^ + sqrt(1 - a_p - sigma^2) eps + sigma z
 *       </pre>
 *       eta = 0 is deterministic; eta = 1 with S = T is the ancestral sampler with beta~_t.
 * </ul>
 *
 * <p>Noise comes from the engine's RNG (seed it for repeatable samples). Each step runs in its own
 * sub-manager of {@code scope} ({@link EvalContext#iterate}), so 1,000 steps keep the live array
 * count flat; only the result is attached to {@code scope}.
 */
public final class Samplers {
    private Samplers() {}

    /** The variance sigma_t^2 of Algorithm 2's noise. */
    public enum Variance {
        /** sigma_t^2 = beta_t (optimal for x_0 ~ N(0, I)). */
        BETA,
        /** sigma_t^2 = beta~_t, the posterior variance (optimal for a deterministic x_0). */
        POSTERIOR
    }

    /** Sees x_t after each reverse step (for pictures of the reverse process). */
    @FunctionalInterface
    public interface Observer {
        /** Called with x_t (do not keep it: it is freed after the step), t from T-1 down to 0. */
        void seen(int t, NDArray xt);

        /** An observer that does nothing. */
        Observer NONE = (t, xt) -> {};
    }

    /** Algorithm 2 from {@code xT}, which stays owned by the caller; the result lives in {@code scope}. */
    public static NDArray ancestral(
            NDManager scope,
            NoiseSchedule schedule,
            EpsilonModel model,
            NDArray xT,
            Variance variance,
            Observer observer) {
        int steps = schedule.steps();
        EvalContext loop = new EvalContext(0, 0, scope, null);
        return loop.iterate(xT, steps, (i, x, s) -> {
            int t = steps - (int) i;
            NDArray eps = model.epsilon(x, t); // eps_theta(x_t, t)
            double alpha = schedule.alpha(t);
            float c = (float) (schedule.beta(t) / schedule.sqrtOneMinusAlphaBar(t));
            // Algorithm 2, line 4
            NDArray next = Scalars.mul(x.sub(Scalars.mul(eps, c)), (float) (1 / Math.sqrt(alpha)));
            if (t > 1) {
                double var = variance == Variance.BETA ? schedule.beta(t) : schedule.posteriorVariance(t);
                NDArray z = s.randomNormal(x.getShape());
                next = next.add(Scalars.mul(z, (float) Math.sqrt(var)));
            }
            observer.seen(t - 1, next);
            return next;
        });
    }

    /**
     * How DDIM picks its S timesteps tau_1 &lt; ... &lt; tau_S from [1, T] (Song et al. 2020, Appendix
     * D.2: "linear" and "quadratic" selection; they used quadratic for CIFAR-10).
     */
    public enum Spacing {
        /** tau_i = floor((i - 1) T / S) + 1: evenly spaced. */
        UNIFORM,
        /**
         * tau_i = floor((i - 1)^2 T / S^2) + 1, raised to tau_(i-1) + 1 where that is larger: more
         * steps at small t, where the sample's detail forms.
         */
        QUADRATIC;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The S DDIM timesteps tau_1 &lt; ... &lt; tau_S, evenly spaced: tau_i = floor((i - 1) T / S) + 1. */
    public static int[] ddimTimesteps(int totalSteps, int sampleSteps) {
        return ddimTimesteps(totalSteps, sampleSteps, Spacing.UNIFORM);
    }

    /** The S DDIM timesteps tau_1 = 1 &lt; ... &lt; tau_S &lt;= T with the given spacing. */
    public static int[] ddimTimesteps(int totalSteps, int sampleSteps, Spacing spacing) {
        if (sampleSteps < 1 || sampleSteps > totalSteps) {
            throw new IllegalArgumentException(
                    "sample steps must be in [1, T = " + totalSteps + "], got " + sampleSteps);
        }
        int[] tau = new int[sampleSteps];
        for (int i = 0; i < sampleSteps; i++) {
            long scaled = spacing == Spacing.UNIFORM ? (long) i * totalSteps : (long) i * i * totalSteps / sampleSteps;
            tau[i] = (int) (scaled / sampleSteps) + 1;
            if (i > 0 && tau[i] <= tau[i - 1]) {
                tau[i] = tau[i - 1] + 1; // quadratic: the first gaps are below one step
            }
        }
        return tau;
    }

    /**
     * DDIM from {@code xT} with {@code sampleSteps} steps and noise scale {@code eta} (Eq. 12, 16).
     * With {@code clip > 0} each predicted x_0 is clipped to {@code [-clip, clip]}
     * and the noise estimate recomputed from it, as Ho et al.'s and Song et al.'s samplers do for
     * images in [-1, 1]. Without it, an error e in the noise estimate moves the predicted x_0 by
     * e * sqrt((1 - alpha-bar_t) / alpha-bar_t), about 100 e at t near T, and a deterministic run
     * can end far outside the data.
     */
    public static NDArray ddim(
            NDManager scope,
            NoiseSchedule schedule,
            EpsilonModel model,
            NDArray xT,
            int sampleSteps,
            float eta,
            double clip,
            Observer observer) {
        return ddim(scope, schedule, model, xT, ddimTimesteps(schedule.steps(), sampleSteps), eta, clip, observer);
    }

    /** DDIM as above on the given timesteps {@code tau}, strictly increasing in [1, T]. */
    public static NDArray ddim(
            NDManager scope,
            NoiseSchedule schedule,
            EpsilonModel model,
            NDArray xT,
            int[] tau,
            float eta,
            double clip,
            Observer observer) {
        if (!(eta >= 0)) {
            throw new IllegalArgumentException("DDIM eta must be >= 0, got " + eta);
        }
        for (int i = 0; i < tau.length; i++) {
            if (tau[i] < 1 || tau[i] > schedule.steps() || (i > 0 && tau[i] <= tau[i - 1])) {
                throw new IllegalArgumentException("DDIM timesteps must increase strictly within [1, T = "
                        + schedule.steps() + "], got " + Arrays.toString(tau));
            }
        }
        int sampleSteps = tau.length;
        EvalContext loop = new EvalContext(0, 0, scope, null);
        return loop.iterate(xT, sampleSteps, (i, x, s) -> {
            int k = sampleSteps - 1 - (int) i;
            int t = tau[k];
            int p = k == 0 ? 0 : tau[k - 1];
            double at = schedule.alphaBar(t);
            double ap = schedule.alphaBar(p);
            NDArray predicted = model.epsilon(x, t);
            // predicted x_0 (Eq. 12, first term)
            NDArray x0 = Scalars.mul(x.sub(Scalars.mul(predicted, Math.sqrt(1 - at))), 1 / Math.sqrt(at));
            NDArray eps = predicted;
            if (clip > 0) {
                x0 = x0.clip(-clip, clip);
                eps = Scalars.mul(
                        x.sub(Scalars.mul(x0, Math.sqrt(at))), 1 / Math.sqrt(1 - at)); // the noise x_0 implies
            }
            double sigma = eta * Math.sqrt((1 - ap) / (1 - at)) * Math.sqrt(1 - at / ap); // Eq. 16
            // direction pointing to x_t (Eq. 12, second term); max guards rounding at sigma^2 = 1 - a_p
            NDArray next = Scalars.mul(x0, (float) Math.sqrt(ap)).add(Scalars.mul(eps, (float)
                    Math.sqrt(Math.max(0, 1 - ap - sigma * sigma))));
            if (sigma > 0) {
                next = next.add(Scalars.mul(s.randomNormal(x.getShape()), (float) sigma));
            }
            observer.seen(p, next);
            return next;
        });
    }
}
