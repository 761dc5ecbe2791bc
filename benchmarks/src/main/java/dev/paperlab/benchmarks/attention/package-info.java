/**
 * Attention benchmarks as plain Java mains, each printing machine-readable {@code RESULT} lines.
 *
 * <ul>
 *   <li>{@link dev.paperlab.benchmarks.attention.MhaBench}: multi-head self-attention forward and
 *       backward for every paperlab kernel and DJL's {@code ScaledDotProductAttentionBlock}, with
 *       the same math as the PyTorch peer (see {@code benchmarks/scripts/attention_vs_pytorch.sh}).
 *   <li>{@link dev.paperlab.benchmarks.attention.AttentionMemoryProbe}: one forward and backward
 *       of naive or flash attention per process, so that the peak resident memory of the process
 *       is that configuration's (see {@code benchmarks/scripts/attention_memory.sh}).
 *   <li>{@link dev.paperlab.benchmarks.attention.ComplexityReport}: log-log slopes of time and
 *       memory against sequence length, a Markdown table and a PNG plot.
 * </ul>
 *
 * Results and the commands that produced them are in docs/benchmarks.md.
 */
package dev.paperlab.benchmarks.attention;
