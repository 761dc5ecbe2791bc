/**
 * Benchmarks of {@code dev.paperlab.framework.algorithms}: each class holds the paperlab method
 * and its peers (full sort, Guava, DJL, the JDK) on the same data. Run with
 * {@code java -Dai.djl.offline=true -jar benchmarks/target/benchmarks.jar 'algorithms' -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
package dev.paperlab.benchmarks.algorithms;
