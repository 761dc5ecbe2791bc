/**
 * Sparse matrices: CSR ({@link dev.paperlab.framework.algorithms.sparse.CsrMatrix}) with CSC and
 * COO conversions, SpMV, sparse x dense and sparse x sparse products, transpose, and DJL
 * {@code NDArray} conversion.
 *
 * <p>Sparse x sparse follows F. G. Gustavson, "Two Fast Algorithms for Sparse Matrices:
 * Multiplication and Permuted Transposition", ACM Transactions on Mathematical Software
 * 4(3):250-269, 1978 (row-by-row products with a dense accumulator, and the counting-sort
 * transpose).
 */
package dev.paperlab.framework.algorithms.sparse;
