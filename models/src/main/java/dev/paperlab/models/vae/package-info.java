/**
 * Kingma &amp; Welling, 2013, "Auto-Encoding Variational Bayes": the {@link
 * dev.paperlab.models.vae.Vae} block (MLP and convolutional variants, any image shape) with its
 * two parts {@link dev.paperlab.models.vae.VaeEncoder} and {@link
 * dev.paperlab.models.vae.VaeDecoder}, its negative-ELBO {@link dev.paperlab.models.vae.VaeLoss},
 * the closed-form Gaussian pieces in {@link dev.paperlab.models.vae.GaussianMath}, the harness
 * task {@link dev.paperlab.models.vae.VaeTask}, and {@link dev.paperlab.models.vae.VaeSampling}
 * for what a trained VAE is used for: latent means, reconstructions, samples from the prior.
 */
package dev.paperlab.models.vae;
