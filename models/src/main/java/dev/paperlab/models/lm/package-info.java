/**
 * A decoder-only transformer language model (Radford et al. 2018/2019, pre-norm as in GPT-2),
 * a stack of {@code framework.nn.TransformerBlock}s over {@code framework.attention} (MHA, GQA or
 * MQA head grouping; naive, chunked or flash kernel, chosen independently) and
 * {@code framework.position} (RoPE or learned positions), trained on characters or tokens with
 * the common harness.
 */
package dev.paperlab.models.lm;
