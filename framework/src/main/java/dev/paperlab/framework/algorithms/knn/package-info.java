/**
 * Exact nearest-neighbour search.
 *
 * <p>{@link dev.paperlab.framework.algorithms.knn.KdTree}: J. L. Bentley, "Multidimensional
 * binary search trees used for associative searching", Communications of the ACM 18(9):509-517,
 * 1975; J. H. Friedman, J. L. Bentley, R. A. Finkel, "An Algorithm for Finding Best Matches in
 * Logarithmic Expected Time", ACM Transactions on Mathematical Software 3(3):209-226, 1977;
 * S. Arya, D. M. Mount, "Algorithms for fast vector quantization", DCC 1993 (incremental
 * distance to the far cell).
 */
package dev.paperlab.framework.algorithms.knn;
