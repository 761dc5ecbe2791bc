/**
 * Parallel prefix scans (inclusive and exclusive) for any associative operator.
 *
 * <p>References: G. E. Blelloch, "Prefix Sums and Their Applications", Technical Report
 * CMU-CS-90-190, 1990; R. E. Ladner and M. J. Fischer, "Parallel Prefix Computation", Journal of
 * the ACM 27(4), 1980.
 */
package dev.paperlab.framework.algorithms.scan;
