package dev.paperlab.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.datasets.shards.TokenShards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job on {@code local[2]} against the single-machine path and independent references. */
class CorpusJobTest {
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    private static TestCorpus corpus;
    private static CorpusResult local;
    private static CorpusResult distributed;
    private static final CorpusSettings SETTINGS = CorpusSettings.of(600, 3);

    @BeforeAll
    static void runBoth() throws IOException {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("CorpusJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        Path in = Files.createDirectories(tmp.resolve("in"));
        corpus = new TestCorpus(in, 60_000, 7);
        local = LocalCorpus.run(
                new Configuration(), in.toString(), tmp.resolve("local").toString(), SETTINGS);
        // 5 input partitions, so near-duplicates and their originals fall in different partitions.
        distributed = CorpusJob.run(spark, in.toString(), tmp.resolve("spark").toString(), SETTINGS, 5, 5);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void distributedOutputEqualsTheSingleMachinePathByteForByte() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(tmp.resolve("local"))) {
            files = s.map(Path::getFileName).sorted().toList();
        }
        assertEquals(2 * SETTINGS.shards() + 2, files.size(), files.toString());
        for (Path f : files) {
            assertArrayEquals(
                    Files.readAllBytes(tmp.resolve("local").resolve(f)),
                    Files.readAllBytes(tmp.resolve("spark").resolve(f)),
                    "file " + f);
        }
        assertEquals(local.keptHashes(), distributed.keptHashes());
    }

    @Test
    void exactDuplicatesKeepTheFirstCopy() throws IOException {
        List<String> docs =
                LocalCorpus.documents(new Configuration(), tmp.resolve("in").toString());
        Set<String> firsts = new LinkedHashSet<>(docs);
        ShardManifest m = distributed.manifest();
        assertEquals((long) docs.size(), ((Number) m.stats().get("documents")).longValue());
        assertEquals(
                (long) (docs.size() - firsts.size()), ((Number) m.stats().get("exact_duplicates_removed")).longValue());
        assertTrue(docs.size() - firsts.size() >= corpus.exactCopies.size());
        // Every survivor is the first copy of its text.
        Set<Documents.Hash> firstHashes = new HashSet<>();
        firsts.forEach(d -> firstHashes.add(Documents.hash(d)));
        assertTrue(firstHashes.containsAll(distributed.keptHashes()));
    }

    @Test
    void plantedNearDuplicatesAreRemovedAndTheirOriginalsKept() {
        Set<Documents.Hash> kept = new HashSet<>(distributed.keptHashes());
        assertTrue(corpus.nearCopies.size() >= 3, "the corpus plants near-duplicates");
        for (String near : corpus.nearCopies) {
            assertFalse(kept.contains(Documents.hash(near)), "near copy kept: " + near);
        }
        for (String original : corpus.originals) {
            assertTrue(kept.contains(Documents.hash(original)), "original removed: " + original);
        }
        long near = ((Number) distributed.manifest().stats().get("near_duplicates_removed")).longValue();
        assertTrue(near >= corpus.nearCopies.size(), "near duplicates removed: " + near);
    }

    @Test
    void shardsHoldTheKeptDocumentsEncodedWithTheTrainedTokenizer() throws IOException {
        TokenShards shards = TokenShards.open(tmp.resolve("spark"));
        assertEquals(distributed.keptHashes().size(), shards.documentCount());
        assertEquals(SETTINGS.vocabSize(), shards.manifest().vocabSize());
        List<String> docs =
                LocalCorpus.documents(new Configuration(), tmp.resolve("in").toString());
        Set<Documents.Hash> kept = new HashSet<>(distributed.keptHashes());
        Set<String> expected = new HashSet<>();
        for (String d : docs) {
            if (kept.contains(Documents.hash(d))) {
                expected.add(d + CorpusSettings.SEPARATOR);
            }
        }
        Set<String> decoded = new HashSet<>();
        for (long d = 0; d < shards.documentCount(); d++) {
            decoded.add(distributed.tokenizer().decode(shards.document(d)));
        }
        assertEquals(expected, decoded);
    }

    @Test
    void existingOutputIsRefusedAndAFailedJobLeavesNoOutput() throws IOException {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CorpusJob.run(
                        spark,
                        tmp.resolve("in").toString(),
                        tmp.resolve("spark").toString(),
                        SETTINGS,
                        2));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        // A .gz file that is not gzip fails the job in its first stage, after the temporary folder exists.
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("a.txt"), "some text\n\nmore text");
        Files.write(bad.resolve("b.gz"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path parent = Files.createDirectories(tmp.resolve("failed"));
        assertThrows(
                Exception.class,
                () -> CorpusJob.run(spark, bad.toString(), parent.resolve("out").toString(), SETTINGS, 2));
        assertThrows(
                Exception.class,
                () -> LocalCorpus.run(
                        new Configuration(),
                        bad.toString(),
                        parent.resolve("out").toString(),
                        SETTINGS));
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            s.forEach(left::add);
        }
        assertEquals(List.of(), left, "nothing, not even a temporary folder, is left after a failure");
    }

    /**
     * Spark ML's MinHashLSH at the Jaccard equivalent of the containment threshold finds the same
     * near-duplicates. With 5 tables a pair at Jaccard J is missed with probability (1 - J)^5,
     * 0.4% at J = 0.667 and far less for the planted copies (J >= 0.8), so at most 1% disagreement.
     */
    @Test
    void minHashLshAgreesWithTheBloomFilter() {
        var checks = distributed.checks();
        assertTrue(((Number) checks.get("agreement")).doubleValue() >= 0.99, checks.toString());
        assertTrue(((Number) checks.get("minhash_removed")).longValue() >= corpus.nearCopies.size(), checks.toString());
        assertTrue(
                ((Number) checks.get("bloom_removals_confirmed_by_minhash")).doubleValue() >= 0.95, checks.toString());
    }

    /** Every stage's driver wall time is reported, and together they fit in the job's time. */
    @Test
    void stageTimesAddUpToAtMostTheJob() {
        double sum = 0;
        for (String stage : java.util.List.of(
                "read_exact_dedup_seconds",
                "count_seconds",
                "near_filters_seconds",
                "near_prefixes_seconds",
                "near_replay_seconds",
                "bpe_count_seconds",
                "bpe_merge_seconds",
                "encode_write_seconds")) {
            Object v = distributed.checks().get(stage);
            assertTrue(v instanceof Double d && d >= 0, stage + " = " + v);
            sum += (Double) v;
        }
        assertTrue(sum <= distributed.seconds(), sum + " > " + distributed.seconds());
    }
}
