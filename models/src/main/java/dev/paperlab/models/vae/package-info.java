/**
 * Kingma &amp; Welling, 2013, "Auto-Encoding Variational Bayes": the {@link
 * dev.paperlab.models.vae.Vae} block (MLP and convolutional variants), its negative-ELBO {@link
 * dev.paperlab.models.vae.VaeLoss} and the closed-form Gaussian pieces in {@link
 * dev.paperlab.models.vae.GaussianMath}.
 */
package dev.paperlab.models.vae;
