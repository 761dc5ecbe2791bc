/**
 * Training-loop benchmarks.
 *
 * <ul>
 *   <li>{@link dev.paperlab.benchmarks.training.HarnessOverhead}: the harness's time per step
 *       against a bare DJL loop of the same VAE with the same optimizer (see {@code
 *       benchmarks/scripts/harness_overhead.sh}).
 *   <li>{@link dev.paperlab.benchmarks.training.AdamStepBenchmark} (JMH): one Adam step per
 *       parameter against one multi-tensor step over all of them.
 * </ul>
 *
 * Results and the commands that produced them are in docs/benchmarks.md.
 */
package dev.paperlab.benchmarks.training;
