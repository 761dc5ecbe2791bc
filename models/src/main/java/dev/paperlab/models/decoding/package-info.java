/**
 * Decoding from a language model: greedy, temperature, top-k (Fan et al. 2018) and top-p /
 * nucleus (Holtzman et al. 2020) sampling, using the model's KV cache.
 */
package dev.paperlab.models.decoding;
