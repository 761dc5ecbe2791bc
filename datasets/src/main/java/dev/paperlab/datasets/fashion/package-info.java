/**
 * Fashion-MNIST as a DJL dataset: an IDX reader ({@link dev.paperlab.datasets.fashion.IdxReader}),
 * the dataset ({@link dev.paperlab.datasets.fashion.FashionMnist}) and its offline fallback of
 * procedurally drawn shapes ({@link dev.paperlab.datasets.fashion.ProceduralShapes}).
 */
package dev.paperlab.datasets.fashion;
