package dev.paperlab.pipeline;

import dev.paperlab.framework.algorithms.bloom.NearDuplicateFilter;
import dev.paperlab.framework.algorithms.hashing.Murmur3;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Checks the Bloom-filter near-duplicate decisions against Spark ML's {@link MinHashLSH} (Broder
 * 1997; Indyk and Motwani 1998) on the same documents and shingles.
 *
 * <p>MinHash estimates Jaccard similarity {@code J(A, B) = |A ∩ B| / |A ∪ B|}, the Bloom filter
 * containment {@code c = |A ∩ seen| / |A|}. For two documents of equal size {@code c = 2J / (1 +
 * J)}, so containment threshold {@code t} corresponds to {@code J = t / (2 - t)} (0.8 -> 0.667).
 * With the same order rule, MinHash removes a document that has a pair at or above that Jaccard
 * with any earlier document. Documents without words have no shingles and are kept by both.
 */
public final class MinHashAgreement {
    /** Feature space of hashed shingles: far below MinHash's prime 2038074743, collisions rare. */
    private static final int DIM = 1 << 24;

    private MinHashAgreement() {}

    /** The sorted, distinct feature indices of a document's shingles. */
    static int[] features(String doc, int shingleWords) {
        return NearDuplicateFilter.shingles(doc, shingleWords).stream()
                .mapToInt(sh -> (int) ((Murmur3.hash128(sh, 0).h1() >>> 1) % DIM))
                .distinct()
                .sorted()
                .toArray();
    }

    /**
     * Compares on the documents that survived exact deduplication.
     *
     * @param unique those documents with their input index
     * @param keptSorted sorted indices the Bloom filter kept
     * @param hashTables MinHash tables (more tables, higher recall of the LSH join)
     */
    static Map<String, Object> measure(
            SparkSession spark, JavaRDD<CorpusJob.Doc> unique, long[] keptSorted, CorpusSettings s, int hashTables) {
        int w = s.shingleWords();
        JavaRDD<Row> rows = unique.flatMap(d -> {
            int[] idx = features(d.text(), w);
            if (idx.length == 0) {
                return List.<Row>of().iterator();
            }
            double[] ones = new double[idx.length];
            Arrays.fill(ones, 1);
            return List.of(RowFactory.create(d.index(), Vectors.sparse(DIM, idx, ones)))
                    .iterator();
        });
        StructType schema =
                new StructType().add("id", DataTypes.LongType, false).add("features", SQLDataTypes.VectorType(), false);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        MinHashLSHModel model = new MinHashLSH()
                .setNumHashTables(hashTables)
                .setSeed(1)
                .setInputCol("features")
                .setOutputCol("hashes")
                .fit(df);
        Dataset<Row> hashed = model.transform(df).cache();
        double jaccard = s.threshold() / (2 - s.threshold());
        List<Row> later = model.approxSimilarityJoin(hashed, hashed, 1 - jaccard + 1e-9, "distance")
                .filter(functions.col("datasetA.id").lt(functions.col("datasetB.id")))
                .select(functions.col("datasetB.id"))
                .distinct()
                .collectAsList();
        hashed.unpersist();
        TreeSet<Long> minhash = new TreeSet<>();
        later.forEach(r -> minhash.add(r.getLong(0)));
        List<Long> all = unique.map(CorpusJob.Doc::index).collect();
        long bloomRemoved = 0;
        long both = 0;
        long agree = 0;
        for (long i : all) {
            boolean b = Arrays.binarySearch(keptSorted, i) < 0;
            boolean m = minhash.contains(i);
            bloomRemoved += b ? 1 : 0;
            both += b && m ? 1 : 0;
            agree += b == m ? 1 : 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("minhash_jaccard_threshold", jaccard);
        out.put("minhash_hash_tables", hashTables);
        out.put("documents_compared", all.size());
        out.put("bloom_removed", bloomRemoved);
        out.put("minhash_removed", minhash.size());
        out.put("both_removed", both);
        out.put("agreement", all.isEmpty() ? 1.0 : (double) agree / all.size());
        out.put("bloom_removals_confirmed_by_minhash", bloomRemoved == 0 ? 1.0 : (double) both / bloomRemoved);
        out.put("minhash_removals_found_by_bloom", minhash.isEmpty() ? 1.0 : (double) both / minhash.size());
        return out;
    }
}
