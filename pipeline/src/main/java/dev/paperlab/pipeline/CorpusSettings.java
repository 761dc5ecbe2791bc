package dev.paperlab.pipeline;

import java.io.Serializable;

/**
 * The settings of a corpus job, shared by the distributed and the single-machine path.
 *
 * @param vocabSize BPE vocabulary size, including the document separator
 * @param shards number of token shards K
 * @param shingleWords words per shingle of the near-duplicate filter
 * @param threshold containment at or above which a document is a near-duplicate
 * @param fpp the Bloom filter's false-positive rate: a containment estimate exceeds the exact one
 *     by about this much, so at 0.01 a document can be removed wrongly only when at least {@code
 *     threshold - 0.01} of its shingles really occurred before
 * @param virtualNodes points per shard on the consistent-hash ring
 */
public record CorpusSettings(
        int vocabSize, int shards, int shingleWords, double threshold, double fpp, int virtualNodes)
        implements Serializable {
    /** The token that ends every document in the shards. */
    public static final String SEPARATOR = "<|endoftext|>";

    /** Defaults: 5-word shingles, containment 0.8, Bloom false-positive rate 0.01, 128 virtual nodes. */
    public static CorpusSettings of(int vocabSize, int shards) {
        return new CorpusSettings(vocabSize, shards, 5, 0.8, 0.01, 128);
    }

    public CorpusSettings {
        if (vocabSize < 257) {
            throw new IllegalArgumentException(
                    "vocab size must be >= 257 (256 bytes + the document separator), got " + vocabSize);
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shard count must be >= 1, got " + shards);
        }
        if (shingleWords < 1) {
            throw new IllegalArgumentException("shingle size must be >= 1 word, got " + shingleWords);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], got " + threshold);
        }
        if (!(fpp > 0 && fpp < 1)) {
            throw new IllegalArgumentException("Bloom false-positive rate must be in (0, 1), got " + fpp);
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtual nodes must be >= 1, got " + virtualNodes);
        }
    }

    /** Shingles the Bloom filter is sized for: about one per 6 characters of the corpus. */
    public static long expectedShingles(long chars) {
        return Math.max(1, chars / 6);
    }
}
