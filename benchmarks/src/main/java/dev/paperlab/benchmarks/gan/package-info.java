/**
 * GAN side-by-side helpers: {@link dev.paperlab.benchmarks.gan.ScoreSamples} scores a peer's saved
 * Fashion-MNIST samples with paperlab's own Fréchet features (see {@code
 * benchmarks/scripts/gan_fashion_vs_pytorch.sh}; results in docs/benchmarks.md).
 */
package dev.paperlab.benchmarks.gan;
