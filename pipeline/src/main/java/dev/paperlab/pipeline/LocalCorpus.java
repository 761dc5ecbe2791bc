package dev.paperlab.pipeline;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.framework.algorithms.bloom.NearDuplicateFilter;
import dev.paperlab.framework.algorithms.hashing.ConsistentHashRing;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The corpus job on one machine, in one thread, written as plainly as possible: the reference the
 * distributed {@link CorpusJob} must equal byte for byte, and the baseline of its overhead. BPE is
 * trained here on the documents joined by the separator ({@code BpeTrainer.train}), not from
 * counts, so the distributed counting is checked against the trainer's own.
 */
public final class LocalCorpus {
    private LocalCorpus() {}

    /** Records the seconds since {@code since} under {@code name}; returns now. */
    static long lap(Map<String, Object> stages, String name, long since) {
        long now = System.nanoTime();
        stages.put(name, (now - since) / 1e9);
        return now;
    }

    /** The normalised documents of the input, in input order. */
    public static List<String> documents(Configuration conf, String input) throws IOException {
        List<String> docs = new ArrayList<>();
        for (String f : InputFiles.list(conf, input)) {
            Path p = new Path(f);
            // Compressed files (.gz, .bz2) are read through their codec, as Hadoop's text reader does.
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
            InputStream raw = p.getFileSystem(conf).open(p);
            try (InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
                docs.addAll(Documents.paragraphs(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return docs;
    }

    /** Runs every stage and writes the shard folder {@code output}. */
    public static CorpusResult run(Configuration conf, String input, String output, CorpusSettings s)
            throws IOException {
        long start = System.nanoTime();
        long inputBytes = InputFiles.totalBytes(conf, InputFiles.list(conf, input));
        Map<String, Object> stages = new java.util.LinkedHashMap<>();
        long t = System.nanoTime();
        List<String> docs = documents(conf, input);
        t = lap(stages, "read_seconds", t);
        // Exact duplicates: the first copy survives.
        Set<Documents.Hash> seen = new HashSet<>();
        List<String> unique = new ArrayList<>();
        List<Documents.Hash> uniqueHashes = new ArrayList<>();
        long chars = 0;
        for (String d : docs) {
            Documents.Hash h = Documents.hash(d);
            if (seen.add(h)) {
                unique.add(d);
                uniqueHashes.add(h);
                chars += d.length();
            }
        }
        t = lap(stages, "exact_dedup_seconds", t);
        // Near-duplicates: containment in all earlier unique documents (CorpusStages).
        NearDuplicateFilter filter = CorpusStages.nearDuplicateFilter(s, chars);
        List<String> kept = new ArrayList<>();
        List<Documents.Hash> keptHashes = new ArrayList<>();
        for (int i = 0; i < unique.size(); i++) {
            if (filter.observe(unique.get(i)) < s.threshold()) {
                kept.add(unique.get(i));
                keptHashes.add(uniqueHashes.get(i));
            }
        }
        t = lap(stages, "near_dedup_seconds", t);
        BpeTokenizer tokenizer = CorpusStages.trainer(s).train(String.join(CorpusSettings.SEPARATOR, kept));
        t = lap(stages, "bpe_train_seconds", t);
        ConsistentHashRing ring = CorpusStages.ring(s.shards(), s.virtualNodes());
        List<List<int[]>> byShard = new ArrayList<>();
        for (int k = 0; k < s.shards(); k++) {
            byShard.add(new ArrayList<>());
        }
        for (int i = 0; i < kept.size(); i++) {
            byShard.get(CorpusStages.shardOf(ring, keptHashes.get(i))).add(CorpusStages.encode(tokenizer, kept.get(i)));
        }
        t = lap(stages, "encode_seconds", t);
        ShardOutput out = ShardOutput.begin(conf, output);
        boolean committed = false;
        try {
            List<ShardManifest.Shard> entries = new ArrayList<>();
            for (int k = 0; k < s.shards(); k++) {
                entries.add(ShardOutput.writeShard(
                        out.tempDir(), k, tokenizer.vocabSize(), byShard.get(k).iterator()));
            }
            byte[] tokenizerBytes = CorpusStages.tokenizerBytes(tokenizer);
            ShardManifest manifest = ShardManifest.of(
                    tokenizer.vocabSize(),
                    CorpusStages.separatorId(tokenizer),
                    ShardOutput.TOKENIZER_FILE,
                    ShardManifest.sha256(new java.io.ByteArrayInputStream(tokenizerBytes)),
                    entries,
                    CorpusResult.stats(
                            s,
                            inputBytes,
                            docs.size(),
                            docs.size() - unique.size(),
                            unique.size() - kept.size(),
                            filter.bloomBits()));
            out.commit(tokenizerBytes, manifest);
            committed = true;
            lap(stages, "write_seconds", t);
            return new CorpusResult(manifest, tokenizer, keptHashes, (System.nanoTime() - start) / 1e9, stages);
        } finally {
            if (!committed) {
                out.abort(); // whatever failed, the target folder never appears half-written
            }
        }
    }
}
