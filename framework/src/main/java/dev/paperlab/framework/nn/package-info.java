/**
 * Small shared layers and layer utilities: {@link dev.paperlab.framework.nn.TorchDefaultInit}
 * gives any DJL block tree PyTorch's default {@code Linear}/{@code ConvNd} initialisation.
 */
package dev.paperlab.framework.nn;
