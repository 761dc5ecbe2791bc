/**
 * Top-k selection without a full sort ({@link dev.paperlab.framework.algorithms.select.TopK}).
 *
 * <p>References: C. A. R. Hoare, "Algorithm 65: Find", Communications of the ACM 4(7), 1961
 * (quickselect); D. R. Musser, "Introspective Sorting and Selection Algorithms", Software:
 * Practice and Experience 27(8), 1997 (introselect: a depth limit with a guaranteed fallback).
 */
package dev.paperlab.framework.algorithms.select;
