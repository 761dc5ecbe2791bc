/**
 * Contrastive augmentations of grey images computed batched on the engine ({@link
 * dev.paperlab.datasets.augment.ContrastiveAugmentation}): random resized crop, horizontal flip,
 * small rotation and translation (one affine resampling per example, {@link
 * dev.paperlab.datasets.augment.AffineResampler}), Gaussian noise and random erasing; two
 * independent views per example, reproducible from a seed.
 */
package dev.paperlab.datasets.augment;
