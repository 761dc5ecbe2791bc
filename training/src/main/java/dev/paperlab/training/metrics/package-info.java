/**
 * Evaluation metrics over learned representations: k-nearest-neighbour accuracy (on our k-d
 * tree) and clustering accuracy (k-means, then the best label permutation by the Hungarian
 * method), as used to score VAE latents and contrastive embeddings.
 */
package dev.paperlab.training.metrics;
