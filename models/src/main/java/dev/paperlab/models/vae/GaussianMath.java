package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.paperlab.framework.nn.Scalars;

/**
 * The closed-form pieces of the VAE objective of Kingma &amp; Welling, 2013, "Auto-Encoding
 * Variational Bayes", for a diagonal Gaussian posterior {@code q(z|x) = N(mu, diag(sigma^2))}, a
 * standard normal prior {@code p(z) = N(0, I)} and a Bernoulli decoder with logits {@code x_hat}.
 *
 * <pre>
 *   z  = mu + sigma * eps,  eps ~ N(0, I),  sigma = exp(logvar / 2)   (Sec. 2.4)
 *   KL(q || p) = -1/2 * sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)) (Appendix B)
 *   -log p(x|z) = sum_d max(x_hat_d, 0) - x_hat_d * x_d + log(1 + exp(-|x_hat_d|))
 * </pre>
 *
 * <p>Legend: N batch, J latent size, D data size (all non-batch axes of a tensor, flattened).
 * Every per-example result has shape {@code (N)}.
 */
public final class GaussianMath {

    private GaussianMath() {}

    /**
     * The reparameterization trick, {@code z = mu + exp(logvar / 2) * eps}.
     *
     * @param mu posterior means, (N, J)
     * @param logvar posterior log-variances, (N, J)
     * @param eps standard normal noise, (N, J)
     * @return samples z, (N, J), differentiable in mu and logvar
     */
    public static NDArray reparameterize(NDArray mu, NDArray logvar, NDArray eps) {
        requireSameShape("logvar", logvar, "mu", mu);
        requireSameShape("eps", eps, "mu", mu);
        // Sec. 2.4: z = g(eps, x) = mu + sigma (.) eps
        NDArray sigma = Scalars.mul(logvar, 0.5).exp(); // (N, J)
        return mu.add(sigma.mul(eps)); // (N, J)
    }

    /**
     * KL divergence from {@code N(mu, diag(exp(logvar)))} to {@code N(0, I)}, per example.
     *
     * @param mu posterior means, (N, J)
     * @param logvar posterior log-variances, (N, J)
     * @return KL per example, (N)
     */
    public static NDArray klToStandardNormal(NDArray mu, NDArray logvar) {
        requireSameShape("logvar", logvar, "mu", mu);
        // Appendix B: -D_KL = 1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)
        NDArray terms = logvar.add(1).sub(mu.square()).sub(logvar.exp()); // (N, J)
        return Scalars.mul(sumPerExample(terms), -0.5); // (N)
    }

    /**
     * Binary cross-entropy of Bernoulli logits against targets in [0, 1], summed over all non-batch
     * axes, in the form that never exponentiates a positive number.
     *
     * @param logits decoder logits, (N, D...)
     * @param target targets in [0, 1] with the same number of elements per example, (N, D...)
     * @return {@code -log p(x|z)} per example, (N)
     */
    public static NDArray bceWithLogitsSum(NDArray logits, NDArray target) {
        NDArray x = flatten(logits); // (N, D)
        NDArray t = flatten(target); // (N, D)
        requireSameShape("target", t, "logits", x);
        // -[t log s(x) + (1 - t) log(1 - s(x))] = softplus(x) - x t, softplus(x) = log(1 + e^x)
        // evaluated by libtorch as max(x, 0) + log1p(e^-|x|) (x for x > 20): one fused kernel
        NDArray terms = Activation.softPlus(x).sub(x.mul(t)); // (N, D)
        return terms.sum(new int[] {1}); // (N)
    }

    /** Sums over every axis but the first: (N, ...) -> (N). */
    static NDArray sumPerExample(NDArray a) {
        return flatten(a).sum(new int[] {1});
    }

    /** (N, ...) -> (N, D). */
    static NDArray flatten(NDArray a) {
        Shape s = a.getShape();
        if (s.dimension() < 1) {
            throw new IllegalArgumentException("expected a batch axis, got a scalar of shape " + s);
        }
        return s.dimension() == 2 ? a : a.reshape(s.get(0), -1);
    }

    private static void requireSameShape(String name, NDArray a, String refName, NDArray ref) {
        if (!a.getShape().equals(ref.getShape())) {
            throw new IllegalArgumentException(
                    name + " shape " + a.getShape() + " must equal " + refName + " shape " + ref.getShape());
        }
    }
}
