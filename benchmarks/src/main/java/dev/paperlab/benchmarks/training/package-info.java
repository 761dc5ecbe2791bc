/**
 * Training-loop benchmarks as plain Java mains printing machine-readable {@code RESULT} lines.
 *
 * <ul>
 *   <li>{@link dev.paperlab.benchmarks.training.HarnessOverhead}: the harness's time per step
 *       against a bare DJL loop of the same VAE with the same optimizer (see {@code
 *       benchmarks/scripts/harness_overhead.sh}).
 * </ul>
 *
 * Results and the commands that produced them are in docs/benchmarks.md.
 */
package dev.paperlab.benchmarks.training;
