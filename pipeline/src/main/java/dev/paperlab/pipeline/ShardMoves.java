package dev.paperlab.pipeline;

import dev.paperlab.framework.algorithms.hashing.ConsistentHashRing;
import java.util.List;

/**
 * What adding one shard to {@code K} does to the assignment of documents on the consistent-hash
 * ring: the fraction that moves (about {@code 1/(K+1)}, Karger et al. 1997) and whether each moved
 * document went to the new shard, as the ring promises.
 *
 * @param moved fraction of documents whose shard changed
 * @param expected {@code 1/(K+1)}
 * @param allToNewShard every moved document now belongs to the new shard
 * @param largestLoad the fullest shard's share times {@code K+1} (1 = perfect balance)
 */
public record ShardMoves(double moved, double expected, boolean allToNewShard, double largestLoad) {
    /** Measures the move from {@code shards} to {@code shards + 1} shards for these documents. */
    public static ShardMoves measure(List<Documents.Hash> docs, int shards, int virtualNodes) {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("need at least one document to measure shard moves, got none");
        }
        ConsistentHashRing before = CorpusStages.ring(shards, virtualNodes);
        ConsistentHashRing after = CorpusStages.ring(shards + 1, virtualNodes);
        long moved = 0;
        boolean allToNew = true;
        long[] load = new long[shards + 1];
        for (Documents.Hash h : docs) {
            int a = CorpusStages.shardOf(before, h);
            int b = CorpusStages.shardOf(after, h);
            load[b]++;
            if (a != b) {
                moved++;
                allToNew &= b == shards;
            }
        }
        long max = java.util.Arrays.stream(load).max().getAsLong();
        return new ShardMoves(
                (double) moved / docs.size(), 1.0 / (shards + 1), allToNew, (double) max * (shards + 1) / docs.size());
    }
}
