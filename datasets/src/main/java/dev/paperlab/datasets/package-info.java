/**
 * Data sources for paperlab as DJL {@link ai.djl.training.dataset.Dataset}s.
 *
 * <ul>
 *   <li>{@link dev.paperlab.datasets.fashion} — Fashion-MNIST from IDX files, with a procedural
 *       shapes fallback so that every job runs offline;
 *   <li>{@link dev.paperlab.datasets.images} — a user's folder of pictures (class sub-folders or
 *       flat), converted to the model's image shape;
 *   <li>{@link dev.paperlab.datasets.synthetic} — seeded 2-D mixtures (ring, grid, two moons).
 * </ul>
 */
package dev.paperlab.datasets;
