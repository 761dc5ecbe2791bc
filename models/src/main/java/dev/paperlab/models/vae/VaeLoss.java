package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The negative evidence lower bound of Kingma &amp; Welling, 2013, "Auto-Encoding Variational
 * Bayes", per example and averaged over the batch, for a Bernoulli decoder and a Gaussian
 * posterior with a standard normal prior:
 *
 * <pre>
 *   -L(x) = -log p(x|z) + D_KL(q(z|x) || N(0, I))            (Eq. 10, one sample z)
 *         = BCE_sum(logits, x) - 1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))
 *   loss  = 1/N sum_i -L(x_i)
 * </pre>
 *
 * <p>The batch mean of per-example sums matches pytorch/examples' test loss (sum / N).
 *
 * <p>Labels: {@code (x)} with targets in [0, 1], (N, D) or (N, C, H, W). Predictions: the output
 * of {@link Vae}, {@code (logits, mu, logvar)}. Legend: N batch, D data size, J latent size.
 */
public final class VaeLoss extends Loss {

    /**
     * Batch means of the two terms of the negative ELBO, each a scalar.
     *
     * @param reconstruction mean over the batch of {@code -log p(x|z)} (BCE summed over pixels)
     * @param kl mean over the batch of {@code D_KL(q(z|x) || p(z))}
     */
    public record Terms(NDArray reconstruction, NDArray kl) {
        /** @return reconstruction + kl, the loss */
        public NDArray total() {
            return reconstruction.add(kl);
        }
    }

    /** A loss named {@code "VaeLoss"}. */
    public VaeLoss() {
        this("VaeLoss");
    }

    /** @param name the loss name shown by DJL's training listeners */
    public VaeLoss(String name) {
        super(name);
    }

    /**
     * Negative ELBO per example, the functional form of this loss.
     *
     * @param logits decoder logits, (N, D) or (N, C, H, W)
     * @param target targets in [0, 1], same number of elements per example
     * @param mu posterior means, (N, J)
     * @param logvar posterior log-variances, (N, J)
     * @return {@code BCE + KL} per example, (N)
     */
    public static NDArray negativeElbo(NDArray logits, NDArray target, NDArray mu, NDArray logvar) {
        return GaussianMath.bceWithLogitsSum(logits, target).add(GaussianMath.klToStandardNormal(mu, logvar)); // (N)
    }

    /**
     * The reconstruction and KL terms separately, for logging.
     *
     * @param labels {@code (x)}
     * @param predictions {@code (logits, mu, logvar)}
     * @return the batch means of both terms
     */
    public Terms terms(NDList labels, NDList predictions) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels must hold the target x, got an empty list");
        }
        if (predictions.size() < 3) {
            throw new IllegalArgumentException(
                    "predictions must be (logits, mu, logvar), got " + predictions.size() + " arrays");
        }
        NDArray x = labels.get(0); // (N, D...)
        NDArray logits = predictions.get(0); // (N, D...)
        NDArray mu = predictions.get(1); // (N, J)
        NDArray logvar = predictions.get(2); // (N, J)
        // -log p(x|z): Bernoulli log-likelihood summed over pixels, then averaged over the batch
        NDArray reconstruction = GaussianMath.bceWithLogitsSum(logits, x).mean(); // ()
        // Appendix B: D_KL(q(z|x) || N(0, I)), averaged over the batch
        NDArray kl = GaussianMath.klToStandardNormal(mu, logvar).mean(); // ()
        return new Terms(reconstruction, kl);
    }

    /** {@inheritDoc} Returns the batch mean of the per-example negative ELBO, a scalar. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return terms(labels, predictions).total();
    }
}
