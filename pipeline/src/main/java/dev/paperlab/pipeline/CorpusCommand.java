package dev.paperlab.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corpus}: text files in, token shards out ({@link CorpusJob}, or {@link LocalCorpus} with
 * {@code --engine local}); prints the dedup statistics, throughput, the shard moves of adding one
 * shard and, when asked, the MinHash agreement and the recall against a planted ground truth.
 */
@Command(
        name = "corpus",
        mixinStandardHelpOptions = true,
        description = "Cleans, deduplicates, tokenizes (BPE) and shards a corpus on Spark or on one machine.")
public final class CorpusCommand implements Callable<Integer> {
    /** Where the job runs. */
    enum Engine {
        SPARK,
        LOCAL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--input", required = true, description = "A text file or folder, any Hadoop file system path.")
    String input;

    @Option(names = "--output", required = true, description = "Shard folder to create (must not exist).")
    String output;

    @Option(names = "--vocab-size", description = "BPE vocabulary incl. <|endoftext|> (default: ${DEFAULT-VALUE}).")
    int vocabSize = 4096;

    @Option(names = "--shards", description = "Number of shards K (default: ${DEFAULT-VALUE}).")
    int shards = 8;

    @Option(names = "--master", description = "Spark master URL (default: the one spark-submit sets, else local[*]).")
    String master;

    @Option(names = "--engine", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Engine engine = Engine.SPARK;

    @Option(names = "--partitions", description = "Input partitions, 0 = twice the parallelism (default: 0).")
    int partitions;

    @Option(names = "--threshold", description = "Near-duplicate containment (default: ${DEFAULT-VALUE}).")
    double threshold = 0.8;

    @Option(names = "--shingle-words", description = "Words per shingle (default: ${DEFAULT-VALUE}).")
    int shingleWords = 5;

    @Option(names = "--bloom-fpp", description = "Bloom filter false-positive rate (default: ${DEFAULT-VALUE}).")
    double fpp = 0.01;

    @Option(names = "--virtual-nodes", description = "Ring points per shard (default: ${DEFAULT-VALUE}).")
    int virtualNodes = 128;

    @Option(
            names = "--minhash-tables",
            description = "Compare near-duplicates with Spark ML MinHashLSH of this many tables, 0 = off (default: 0).")
    int minhashTables;

    @Option(
            names = "--truth",
            description = "A _truth.tsv from `plant`: report near-duplicate recall and false removals.")
    Path truth;

    @Override
    public Integer call() throws Exception {
        CorpusSettings s = new CorpusSettings(vocabSize, shards, shingleWords, threshold, fpp, virtualNodes);
        if (truth != null && !Files.isRegularFile(truth)) {
            throw new IllegalArgumentException("--truth " + truth + " does not exist");
        }
        CorpusResult r;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", "corpus");
        out.put("engine", engine.toString());
        if (engine == Engine.LOCAL) {
            if (minhashTables > 0) {
                throw new IllegalArgumentException("--minhash-tables needs --engine spark (Spark ML's MinHashLSH)");
            }
            r = LocalCorpus.run(new Configuration(), input, output, s);
        } else {
            SparkSession.Builder b = SparkSession.builder().appName("paperlab corpus");
            if (master != null) {
                b.master(master);
            } else if (!new SparkConf().contains("spark.master")) {
                b.master("local[*]");
            }
            SparkSession spark = b.getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                out.put("master", spark.sparkContext().master());
                r = CorpusJob.run(spark, input, output, s, partitions, minhashTables);
            } finally {
                spark.stop();
            }
        }
        long bytes = ((Number) r.manifest().stats().get("input_bytes")).longValue();
        out.put("output", output);
        out.put("seconds", r.seconds());
        out.put("mb_per_second", bytes / 1e6 / r.seconds());
        out.put("tokens", r.manifest().tokens());
        out.putAll(r.manifest().stats());
        out.put("tokenizer_sha256", r.manifest().tokenizerSha256());
        if (!r.keptHashes().isEmpty()) {
            ShardMoves moves = ShardMoves.measure(r.keptHashes(), shards, virtualNodes);
            out.put("shard_moves_adding_one", moves);
        }
        out.putAll(r.checks());
        if (truth != null) {
            out.putAll(PlantedCorpus.score(truth, r.keptHashes()));
        }
        PipelineMain.printResult(out);
        return 0;
    }
}
