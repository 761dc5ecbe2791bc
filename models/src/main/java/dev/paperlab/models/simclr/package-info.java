/**
 * SimCLR (Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual
 * Representations"): the {@link dev.paperlab.models.simclr.Simclr} network (base encoder f and
 * projection head g), the NT-Xent loss of Eq. 1 ({@link dev.paperlab.models.simclr.NtXentLoss}),
 * the training step of Algorithm 1 ({@link dev.paperlab.models.simclr.SimclrTask}, with the
 * augmentations of {@code dev.paperlab.datasets.augment}) and the evaluation of frozen features
 * by weighted k-NN (Wu et al. 2018) and a linear probe ({@link
 * dev.paperlab.models.simclr.SimclrEvaluation}).
 */
package dev.paperlab.models.simclr;
