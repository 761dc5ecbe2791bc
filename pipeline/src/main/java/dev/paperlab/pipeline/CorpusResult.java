package dev.paperlab.pipeline;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a corpus job produced.
 *
 * @param manifest the manifest written with the shards (its stats hold the dedup counts)
 * @param tokenizer the trained tokenizer
 * @param keptHashes content hashes of the surviving documents, in input order
 * @param seconds wall time of the job
 * @param checks measurements beside the output: seconds per stage, and the MinHash agreement when asked for
 */
public record CorpusResult(
        ShardManifest manifest,
        BpeTokenizer tokenizer,
        List<Documents.Hash> keptHashes,
        double seconds,
        Map<String, Object> checks) {

    /** Dedup statistics for the manifest. */
    static Map<String, Object> stats(
            CorpusSettings s, long inputBytes, long documents, long exactRemoved, long nearRemoved, long bloomBits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_bytes", inputBytes);
        m.put("documents", documents);
        m.put("exact_duplicates_removed", exactRemoved);
        m.put("near_duplicates_removed", nearRemoved);
        m.put("kept", documents - exactRemoved - nearRemoved);
        m.put("shingle_words", s.shingleWords());
        m.put("near_duplicate_threshold", s.threshold());
        m.put("bloom_fpp", s.fpp());
        m.put("bloom_bits", bloomBits);
        m.put("shards", s.shards());
        m.put("virtual_nodes", s.virtualNodes());
        return m;
    }
}
