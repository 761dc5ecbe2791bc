/**
 * Parameter-efficient fine-tuning: LoRA (Hu et al., "LoRA: Low-Rank Adaptation of Large Language
 * Models", 2021). {@link dev.paperlab.framework.adapters.LoraLinear} adapts one linear layer with
 * merge and unmerge; {@link dev.paperlab.framework.adapters.Lora} adapts the layers of a whole
 * model chosen by path and freezes the rest.
 */
package dev.paperlab.framework.adapters;
