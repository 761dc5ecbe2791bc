/**
 * Optimal assignment and what it scores.
 *
 * <ul>
 *   <li>{@link dev.paperlab.framework.algorithms.matching.Hungarian}: H. W. Kuhn, "The Hungarian
 *       method for the assignment problem", Naval Research Logistics Quarterly 2:83-97, 1955;
 *       J. Munkres, "Algorithms for the Assignment and Transportation Problems", Journal of the
 *       SIAM 5(1):32-38, 1957; R. Jonker, A. Volgenant, "A shortest augmenting path algorithm for
 *       dense and sparse linear assignment problems", Computing 38:325-340, 1987.
 *   <li>{@link dev.paperlab.framework.algorithms.matching.ClusteringMetrics}: clustering accuracy
 *       under the best label permutation.
 * </ul>
 */
package dev.paperlab.framework.algorithms.matching;
