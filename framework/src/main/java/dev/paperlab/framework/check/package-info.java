/**
 * Gradient checks: central finite differences against DJL autograd ({@link
 * dev.paperlab.framework.check.GradientCheck}), and gradients derived by hand for the softmax
 * cross-entropy ({@link dev.paperlab.framework.check.SoftmaxCrossEntropyGradient}) and for
 * scaled dot-product attention (Vaswani et al., "Attention Is All You Need", 2017; {@link
 * dev.paperlab.framework.check.AttentionGradient}), each verified against autograd.
 */
package dev.paperlab.framework.check;
