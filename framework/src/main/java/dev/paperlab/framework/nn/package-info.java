/**
 * Small shared layers and layer utilities: {@link dev.paperlab.framework.nn.TorchDefaultInit}
 * gives any DJL block tree PyTorch's default {@code Linear}/{@code ConvNd} initialisation;
 * {@link dev.paperlab.framework.nn.TransformerBlock} is the pre-norm attention + MLP block of
 * GPT-style models, with any head grouping and attention kernel.
 */
package dev.paperlab.framework.nn;
