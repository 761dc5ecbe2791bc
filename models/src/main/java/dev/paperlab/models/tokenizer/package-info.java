/**
 * Byte-level byte pair encoding: training (Sennrich et al. 2016, on bytes as in GPT-2, Radford et
 * al. 2019), encoding by merge rank as tiktoken does, OpenAI's r50k_base and cl100k_base loaded
 * from their rank files, a DJL {@code Tokenizer}, a versioned file format and an export to Hugging
 * Face {@code tokenizer.json}.
 *
 * <p>Entry points: {@link dev.paperlab.models.tokenizer.BpeTokenizer} and {@link
 * dev.paperlab.models.tokenizer.BpeTrainer}.
 */
package dev.paperlab.models.tokenizer;
