package dev.paperlab.pipeline;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.framework.algorithms.bloom.NearDuplicateFilter;
import dev.paperlab.framework.algorithms.hashing.ConsistentHashRing;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import dev.paperlab.models.tokenizer.BpeTrainer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The corpus job on Spark: the stages of {@link LocalCorpus}, distributed, with the same output
 * byte for byte.
 *
 * <ol>
 *   <li>Read: Hadoop's text reader cuts the input files (in {@link InputFiles} order) at blank
 *       lines; splits follow file order, so (partition, position in it) is input order, and a
 *       document's key {@code p << 40 | i} orders documents as the input does without a counting
 *       pass. Paragraphs are normalised ({@link Documents}).
 *   <li>Exact duplicates: (content hash, index) pairs are grouped by hash; every index but the
 *       smallest is dropped (only hashes and indices move, never text).
 *   <li>Near-duplicates in two passes over the same partitions: each partition builds the Bloom
 *       filter of its documents' shingles; the driver ORs them into prefix filters {@code G_p =
 *       F_0 | ... | F_(p-1)} and broadcasts them; partition {@code p} then replays its documents
 *       against {@code G_p} with {@code observe}, which is exactly the one-pass rule of {@link
 *       CorpusStages} (the filter of a set of shingles is the same however it was built).
 *   <li>BPE: pre-token counts per partition, summed by {@code reduceByKey}; merges on the driver by
 *       {@link BpeTrainer#trainOnCounts}.
 *   <li>Encode with the tokenizer broadcast as its saved bytes; assign each document a shard on
 *       the consistent-hash ring; one task per shard writes it, documents in input order.
 *   <li>Manifest and rename ({@link ShardOutput}).
 * </ol>
 *
 * <p>The driver holds the partitions' Bloom filters, {@code P m / 8} bytes for {@code P}
 * partitions and {@code m} bits, and the distinct pre-tokens.
 */
public final class CorpusJob {
    private CorpusJob() {}

    /** One document: its key in input order (partition {@code << 40 |} position), text and content hash. */
    record Doc(long index, String text, Documents.Hash hash) implements Serializable {}

    /** A document with the Bloom hashes of its shingles ({@link NearDuplicateFilter#shingleHashes}). */
    record Shingled(Doc doc, long[] hashes) implements Serializable {}

    /** Sort key of the shard writers: shard first (the partition), then input position. */
    record ShardKey(int shard, long index) implements Serializable, Comparable<ShardKey> {
        @Override
        public int compareTo(ShardKey o) {
            return shard != o.shard ? Integer.compare(shard, o.shard) : Long.compare(index, o.index);
        }
    }

    /** Sends shard {@code k}'s documents to partition {@code k}. */
    static final class ShardPartitioner extends Partitioner {
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return ((ShardKey) key).shard();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ShardPartitioner p && p.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }

    /** Runs the job without the MinHash check. */
    public static CorpusResult run(SparkSession spark, String input, String output, CorpusSettings s, int partitions)
            throws IOException {
        return run(spark, input, output, s, partitions, 0);
    }

    /**
     * Runs the job.
     *
     * @param partitions input partitions (0: twice the default parallelism)
     * @param minhashTables when above 0, also compares the near-duplicate decisions with Spark ML's
     *     MinHashLSH of this many hash tables ({@link MinHashAgreement}), outside the timed job
     */
    public static CorpusResult run(
            SparkSession spark, String input, String output, CorpusSettings s, int partitions, int minhashTables)
            throws IOException {
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = new Configuration(sc.hadoopConfiguration());
        List<String> files = InputFiles.list(conf, input);
        long inputBytes = InputFiles.totalBytes(conf, files);
        ShardOutput out = ShardOutput.begin(conf, output);
        boolean committed = false;
        List<JavaRDD<?>> cached = new ArrayList<>();
        List<Broadcast<?>> broadcasts = new ArrayList<>();
        Map<String, Object> stages = new java.util.LinkedHashMap<>(); // driver wall time per stage
        long lap = System.nanoTime();
        try {
            int p = partitions > 0 ? partitions : 2 * sc.defaultParallelism();
            conf.set("textinputformat.record.delimiter", Documents.RECORD_DELIMITER);
            conf.setLong("mapreduce.input.fileinputformat.split.maxsize", Math.max(4096, (inputBytes + p - 1) / p));
            JavaRDD<String> paragraphs = sc.newAPIHadoopFile(
                            String.join(",", files), TextInputFormat.class, LongWritable.class, Text.class, conf)
                    .values()
                    .flatMap(t -> Documents.paragraphs(t.toString()).iterator());
            // Keys instead of zipWithIndex, which would read and normalise the input twice.
            JavaRDD<Doc> docs = paragraphs
                    .mapPartitionsWithIndex(
                            (part, it) -> {
                                List<Doc> out2 = new ArrayList<>();
                                for (long i = 0; it.hasNext(); i++) {
                                    String text = it.next();
                                    out2.add(new Doc(((long) part << 40) | i, text, Documents.hash(text)));
                                }
                                return out2.iterator();
                            },
                            true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(docs);

            // Exact duplicates: every copy but the first.
            long[] dropped = docs
                    .mapToPair(d -> new Tuple2<>(d.hash(), d.index()))
                    .groupByKey()
                    .flatMap(CorpusJob::allButFirst)
                    .collect()
                    .stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            lap = LocalCorpus.lap(stages, "read_exact_dedup_seconds", lap);
            Broadcast<long[]> droppedB = sc.broadcast(dropped);
            broadcasts.add(droppedB);
            JavaRDD<Doc> unique = docs.filter(d -> Arrays.binarySearch(droppedB.value(), d.index()) < 0)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(unique);
            long[] countAndChars = unique.map(d -> new long[] {1, d.text().length()})
                    .fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            long chars = countAndChars[1];
            lap = LocalCorpus.lap(stages, "count_seconds", lap);

            // Near-duplicates, pass 1: each partition's filter; prefix ORs on the driver.
            // Shingled and hashed once, for both passes.
            int w = s.shingleWords();
            JavaRDD<Shingled> shingled = unique.map(
                            d -> new Shingled(d, NearDuplicateFilter.shingleHashes(d.text(), w)))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(shingled);
            List<byte[]> filters = new ArrayList<>(shingled.mapPartitions(it -> {
                        NearDuplicateFilter f = CorpusStages.nearDuplicateFilter(s, chars);
                        while (it.hasNext()) {
                            f.addHashes(it.next().hashes());
                        }
                        return List.of(f.seenBytes()).iterator();
                    })
                    .collect());
            lap = LocalCorpus.lap(stages, "near_filters_seconds", lap);
            List<Broadcast<byte[]>> prefixes = new ArrayList<>();
            NearDuplicateFilter running = CorpusStages.nearDuplicateFilter(s, chars);
            long bloomBits = running.bloomBits();
            for (int i = 0; i < filters.size(); i++) {
                prefixes.add(sc.broadcast(running.seenBytes()));
                running = running.union(
                        NearDuplicateFilter.fromSeenBytes(filters.get(i), s.shingleWords(), s.threshold()));
                filters.set(i, null);
            }
            broadcasts.addAll(prefixes);
            lap = LocalCorpus.lap(stages, "near_prefixes_seconds", lap);
            // Pass 2: replay each partition against the filter of everything before it.
            JavaRDD<Doc> kept = shingled.mapPartitionsWithIndex(
                            (part, it) -> {
                                NearDuplicateFilter f = NearDuplicateFilter.fromSeenBytes(
                                        prefixes.get(part).value(), s.shingleWords(), s.threshold());
                                List<Doc> out2 = new ArrayList<>();
                                while (it.hasNext()) {
                                    Shingled d = it.next();
                                    if (f.observeHashes(d.hashes()) < s.threshold()) {
                                        out2.add(d.doc());
                                    }
                                }
                                return out2.iterator();
                            },
                            true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(kept);
            List<Documents.Hash> keptHashes = kept.map(Doc::hash).collect();
            lap = LocalCorpus.lap(stages, "near_replay_seconds", lap);

            // BPE: distributed pre-token counts, merges on the driver.
            BpeTrainer trainer = CorpusStages.trainer(s);
            Map<String, Long> counts = new TreeMap<>(kept.mapPartitionsToPair(it -> {
                        BpeTrainer t = CorpusStages.trainer(s);
                        Map<String, Long> local = new HashMap<>();
                        // Documents joined by the separator, which cuts pieces as a document end does;
                        // counted a few MB at a time.
                        StringBuilder chunk = new StringBuilder();
                        while (it.hasNext()) {
                            chunk.append(it.next().text()).append(CorpusSettings.SEPARATOR);
                            if (chunk.length() > 1 << 22 || !it.hasNext()) {
                                t.countPieces(chunk.toString()).forEach((k, v) -> local.merge(k, v, Long::sum));
                                chunk.setLength(0);
                            }
                        }
                        return local.entrySet().stream()
                                .map(e -> new Tuple2<>(e.getKey(), e.getValue()))
                                .iterator();
                    })
                    .reduceByKey(Long::sum)
                    .collectAsMap());
            lap = LocalCorpus.lap(stages, "bpe_count_seconds", lap);
            BpeTokenizer tokenizer = trainer.trainOnCounts(counts);
            lap = LocalCorpus.lap(stages, "bpe_merge_seconds", lap);
            byte[] tokenizerBytes = CorpusStages.tokenizerBytes(tokenizer);
            Broadcast<byte[]> tokenizerB = sc.broadcast(tokenizerBytes);
            broadcasts.add(tokenizerB);

            // Encode, place on the ring, write one shard per task.
            int vocab = tokenizer.vocabSize();
            String dir = out.tempDir();
            List<ShardManifest.Shard> entries = kept.mapPartitionsToPair(it -> {
                        BpeTokenizer tok = CorpusStages.tokenizerFrom(tokenizerB.value());
                        ConsistentHashRing ring = CorpusStages.ring(s.shards(), s.virtualNodes());
                        List<Tuple2<ShardKey, int[]>> out2 = new ArrayList<>();
                        while (it.hasNext()) {
                            Doc d = it.next();
                            out2.add(new Tuple2<>(
                                    new ShardKey(CorpusStages.shardOf(ring, d.hash()), d.index()),
                                    CorpusStages.encode(tok, d.text())));
                        }
                        return out2.iterator();
                    })
                    .repartitionAndSortWithinPartitions(new ShardPartitioner(s.shards()))
                    .mapPartitionsWithIndex(
                            (k, it) -> List.of(ShardOutput.writeShard(dir, k, vocab, values(it)))
                                    .iterator(),
                            true)
                    .collect();
            ShardManifest manifest = ShardManifest.of(
                    vocab,
                    CorpusStages.separatorId(tokenizer),
                    ShardOutput.TOKENIZER_FILE,
                    ShardManifest.sha256(new ByteArrayInputStream(tokenizerBytes)),
                    entries,
                    CorpusResult.stats(
                            s,
                            inputBytes,
                            docs.count(),
                            dropped.length,
                            countAndChars[0] - keptHashes.size(),
                            bloomBits));
            out.commit(tokenizerBytes, manifest);
            committed = true;
            LocalCorpus.lap(stages, "encode_write_seconds", lap);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> checks = new HashMap<>(stages);
            if (minhashTables > 0) {
                long[] keptSorted = kept.map(Doc::index).collect().stream()
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                checks.putAll(MinHashAgreement.measure(spark, unique, keptSorted, s, minhashTables));
            }
            return new CorpusResult(manifest, tokenizer, keptHashes, seconds, checks);
        } finally {
            if (!committed) {
                out.abort(); // whatever failed, the target folder never appears half-written
            }
            cached.forEach(JavaRDD::unpersist);
            broadcasts.forEach(b -> b.destroy());
        }
    }

    private static Iterator<Long> allButFirst(Tuple2<Documents.Hash, Iterable<Long>> group) {
        List<Long> all = new ArrayList<>();
        group._2().forEach(all::add);
        if (all.size() == 1) {
            return java.util.Collections.emptyIterator();
        }
        long first = all.stream().mapToLong(Long::longValue).min().getAsLong();
        all.removeIf(i -> i == first);
        return all.iterator();
    }

    private static <K, V> Iterator<V> values(Iterator<Tuple2<K, V>> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public V next() {
                return it.next()._2();
            }
        };
    }
}
