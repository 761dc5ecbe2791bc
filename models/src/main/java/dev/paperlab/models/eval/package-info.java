/**
 * Scores for image generators on Fashion-MNIST: a small classifier trained by the project
 * ({@link dev.paperlab.models.eval.FashionClassifier}) whose penultimate features feed the
 * Fréchet distance of Heusel et al. (2017) ({@code training.metrics.FrechetDistance}), and the
 * classifier's predicted-class histogram ({@link dev.paperlab.models.eval.ClassCoverage}), where
 * mode collapse shows as missing classes.
 */
package dev.paperlab.models.eval;
