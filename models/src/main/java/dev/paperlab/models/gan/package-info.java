/**
 * Generative adversarial networks (Goodfellow et al. 2014): MLP players ({@link
 * dev.paperlab.models.gan.GanMlp}), the non-saturating, minimax, least-squares (Mao et al. 2017)
 * and hinge (Lim &amp; Ye 2017) losses ({@link dev.paperlab.models.gan.GanLoss}), the alternating
 * two-player step on the harness ({@link dev.paperlab.models.gan.GanTask}) and mode coverage for
 * 2-D mixtures ({@link dev.paperlab.models.gan.ModeCoverage}).
 */
package dev.paperlab.models.gan;
