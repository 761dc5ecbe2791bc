/**
 * Token shards: a corpus encoded to fixed-width token ids in binary shard files, each with a
 * document index, described by a manifest ({@code manifest.json}) that names the tokenizer by its
 * SHA-256; written by the corpus pipeline, read memory-mapped for training.
 */
package dev.paperlab.datasets.shards;
