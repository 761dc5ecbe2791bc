/**
 * Hash functions and consistent hashing.
 *
 * <p>References: A. Appleby, MurmurHash3 (2011, public domain reference implementation);
 * D. Karger, E. Lehman, T. Leighton, R. Panigrahy, M. Levine and D. Lewin, "Consistent Hashing
 * and Random Trees", STOC 1997; G. DeCandia et al., "Dynamo: Amazon's Highly Available
 * Key-value Store", SOSP 2007 (virtual nodes, preference lists of distinct nodes);
 * J. Lamping and E. Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014 (jump
 * hash, the peer used in tests).
 */
package dev.paperlab.framework.algorithms.hashing;
