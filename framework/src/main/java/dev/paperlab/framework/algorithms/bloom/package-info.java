/**
 * Bloom filters and shingle-based near-duplicate detection built on them.
 *
 * <p>References: B. H. Bloom, "Space/Time Trade-offs in Hash Coding with Allowable Errors",
 * Communications of the ACM 13(7), 1970; A. Kirsch and M. Mitzenmacher, "Less Hashing, Same
 * Performance: Building a Better Bloom Filter", ESA 2006 (double hashing); A. Z. Broder, "On the
 * Resemblance and Containment of Documents", SEQUENCES 1997 (shingles and containment).
 */
package dev.paperlab.framework.algorithms.bloom;
