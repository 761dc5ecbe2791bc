/**
 * A decoder-only transformer language model (Radford et al. 2018/2019, pre-norm as in GPT-2),
 * built from {@code framework.attention} (MHA, GQA, MQA, flash) and {@code framework.position}
 * (RoPE or learned positions), trained on characters or tokens with the common harness.
 */
package dev.paperlab.models.lm;
