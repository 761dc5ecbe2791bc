/**
 * Seeded 2-D point sets with known structure, for fast tests and small generative models: a ring
 * of k Gaussians, an n x n grid of Gaussians and two moons ({@link
 * dev.paperlab.datasets.synthetic.Mixtures2d}), returned as plain arrays or as a DJL {@link
 * ai.djl.training.dataset.ArrayDataset} ({@link dev.paperlab.datasets.synthetic.Samples2d}).
 */
package dev.paperlab.datasets.synthetic;
