package dev.paperlab.pipeline;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.framework.algorithms.bloom.NearDuplicateFilter;
import dev.paperlab.framework.algorithms.hashing.ConsistentHashRing;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import dev.paperlab.models.tokenizer.BpeTrainer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-document steps both paths share, so that they differ only in how work is distributed:
 * the near-duplicate filter's size, the BPE trainer, encoding with the separator, and the shard
 * of a document on the consistent-hash ring.
 *
 * <p>Near-duplicate rule (deterministic, independent of how the corpus is split): documents are
 * in input order (file path, then position); a document is removed when at least {@code threshold}
 * of its shingles occur in <em>earlier</em> documents that survived exact deduplication, whether
 * those were kept or removed themselves. So the first copy of a near-duplicate family survives and
 * every later copy is removed.
 */
public final class CorpusStages {
    private static final Map<String, BpeTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private CorpusStages() {}

    /** An empty near-duplicate filter sized for a corpus of {@code chars} characters. */
    public static NearDuplicateFilter nearDuplicateFilter(CorpusSettings s, long chars) {
        return NearDuplicateFilter.create(
                CorpusSettings.expectedShingles(chars), s.fpp(), s.shingleWords(), s.threshold());
    }

    /** The BPE trainer: GPT-2 pre-tokenization, the document separator as the one special token. */
    public static BpeTrainer trainer(CorpusSettings s) {
        return BpeTrainer.builder()
                .setVocabSize(s.vocabSize())
                .optSpecialTokens(List.of(CorpusSettings.SEPARATOR))
                .optName("corpus-bpe-" + s.vocabSize())
                .build();
    }

    /** The document's ids followed by the separator's id. */
    public static int[] encode(BpeTokenizer tokenizer, String doc) {
        int[] ids = tokenizer.encode(doc);
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = separatorId(tokenizer);
        return out;
    }

    /** The id of {@link CorpusSettings#SEPARATOR}. */
    public static int separatorId(BpeTokenizer tokenizer) {
        return tokenizer.specialTokens().get(CorpusSettings.SEPARATOR);
    }

    /** The ring of shards {@code shard-0 .. shard-(K-1)}. */
    public static ConsistentHashRing ring(int shards, int virtualNodes) {
        ConsistentHashRing ring = ConsistentHashRing.create(virtualNodes);
        for (int k = 0; k < shards; k++) {
            ring.addNode("shard-" + k);
        }
        return ring;
    }

    /** The shard of a document: its node on the ring, keyed by its content hash. */
    public static int shardOf(ConsistentHashRing ring, Documents.Hash hash) {
        return ring.nodeIndexFor(hash.h1());
    }

    /** A saved tokenizer's bytes. */
    public static byte[] tokenizerBytes(BpeTokenizer tokenizer) {
        try {
            java.nio.file.Path tmp = Files.createTempFile("paperlab-bpe", ".bpe");
            try {
                tokenizer.save(tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer saved as {@code bytes}, loaded once per JVM (an executor's tasks share it). */
    public static BpeTokenizer tokenizerFrom(byte[] bytes) {
        String key;
        try {
            key = ShardManifest.sha256(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TOKENIZERS.computeIfAbsent(key, k -> {
            try {
                java.nio.file.Path tmp = Files.createTempFile("paperlab-bpe", ".bpe");
                try {
                    Files.write(tmp, bytes);
                    return BpeTokenizer.load(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
