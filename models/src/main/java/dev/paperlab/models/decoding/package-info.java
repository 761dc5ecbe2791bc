/**
 * Decoding from a language model: greedy, temperature, top-k (Fan et al. 2018) and top-p /
 * nucleus (Holtzman et al. 2020) sampling with the KV cache ({@link
 * dev.paperlab.models.decoding.Generator}), and batched beam search with a length penalty,
 * early stopping and n-best output ({@link dev.paperlab.models.decoding.BeamSearch}) over any
 * {@link dev.paperlab.models.decoding.StepModel}.
 */
package dev.paperlab.models.decoding;
