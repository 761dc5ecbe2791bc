/**
 * A user's own pictures for any image model: {@link dev.paperlab.datasets.images.ImageFolderDataset}
 * reads a folder (one sub-folder per class, or flat) through DJL basicdataset's {@code ImageFolder}
 * and {@code ImageFactory}, converts every image to one {@code (C, H, W)} shape and holds it as a
 * DJL {@code ArrayDataset} with a seeded train/test split.
 */
package dev.paperlab.datasets.images;
