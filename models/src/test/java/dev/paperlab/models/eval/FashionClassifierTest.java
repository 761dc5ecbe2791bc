package dev.paperlab.models.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.training.metrics.FrechetDistance;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring classifier on real Fashion-MNIST: accuracy, Fréchet distance and coverage behave. */
class FashionClassifierTest {
    @TempDir
    static Path runDir;

    private static FashionClassifier classifier;
    private static FashionMnist test;

    @BeforeAll
    static void train() throws Exception {
        classifier = FashionClassifier.train(runDir, null);
        test = FashionMnist.builder()
                .optUsage(Dataset.Usage.TEST)
                .optFlatten(true)
                .setSampling(128, false)
                .build();
        assertFalse(test.isProcedural(), "expected the IDX files, got " + test.source());
    }

    @AfterAll
    static void close() {
        classifier.close();
        test.close();
    }

    @Test
    void testAccuracyIsThatOfATrainedClassifier() {
        // a linear softmax model reaches about 0.84 on Fashion-MNIST and an untrained one 0.1;
        // 0.8 fails for a classifier that did not learn, with room for CPU-dependent rounding
        double acc = classifier.testAccuracy();
        System.out.println("classifier test accuracy " + acc);
        assertTrue(acc > 0.8, "test accuracy " + acc);
    }

    @Test
    void logitsArgmaxIsThePredictionAndTheMlpHasTheCountedParameters() {
        NDArray images = test.dataArray().get(new NDIndex("0:200"));
        double[][] z = classifier.logits(images);
        int[] predicted = classifier.predict(images);
        for (int i = 0; i < z.length; i++) {
            int top = 0;
            for (int k = 1; k < 10; k++) {
                top = z[i][k] > z[i][top] ? k : top;
            }
            assertEquals(predicted[i], top, "image " + i);
        }
        assertArrayEquals(new int[] {256, 128}, classifier.hidden());
        // 784-256-128-10 with biases
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, classifier.parameterCount());
    }

    @Test
    void frechetSeparatesRealFromNoiseAndCollapse() {
        NDArray all = test.dataArray();
        try (NDManager m = all.getManager().newSubManager()) {
            double[][] a = classifier.features(all.get(new NDIndex("0:5000")));
            double[][] b = classifier.features(all.get(new NDIndex("5000:10000")));
            float[] noise = new float[5000 * 784];
            Random r = new Random(3);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = r.nextFloat();
            }
            double[][] uniform = classifier.features(m.create(noise, new Shape(5000, 784)));
            NDArray one = all.get(new NDIndex("0:1"));
            double[][] repeated = classifier.features(one.repeat(0, 5000));
            double real = FrechetDistance.ofFeatures(a, b);
            double toNoise = FrechetDistance.ofFeatures(a, uniform);
            double toRepeated = FrechetDistance.ofFeatures(a, repeated);
            System.out.printf("FD halves %.4f, to noise %.4f, to one repeated image %.4f%n", real, toNoise, toRepeated);
            // two halves of one distribution differ only by sampling error; noise and a single
            // image are different distributions, so an order of magnitude separates them
            assertTrue(10 * real < toNoise, "halves " + real + " vs noise " + toNoise);
            assertTrue(10 * real < toRepeated, "halves " + real + " vs repeated " + toRepeated);
        }
    }

    @Test
    void coverageCountsClassesOfRealAndCollapsedSets() {
        NDArray all = test.dataArray();
        ClassCoverage real = ClassCoverage.of(classifier.predict(all), 10);
        assertEquals(10, real.covered(), java.util.Arrays.toString(real.histogram()));
        try (NDManager m = all.getManager().newSubManager()) {
            NDArray one = all.get(new NDIndex("0:1"));
            one.attach(m);
            ClassCoverage collapsed = ClassCoverage.of(classifier.predict(one.repeat(0, 10000)), 10);
            assertEquals(1, collapsed.covered(), java.util.Arrays.toString(collapsed.histogram()));
        }
    }

    @Test
    void imageScoresOfChunkedSamplesAreTheFrechetDistanceOfAllFeatures() {
        NDArray all = test.dataArray();
        try (NDManager m = all.getManager().newSubManager()) {
            NDArray half = all.get(new NDIndex("0:5000"));
            NDArray other = all.get(new NDIndex("5000:7500"));
            ImageScores scores = ImageScores.of(classifier, half);
            double direct = FrechetDistance.ofFeatures(classifier.features(half), classifier.features(other));
            // drawn in chunks of 1000, 1000 and 500 rows, each chunk in its own scope
            long[] next = {5000};
            ImageScores.Score chunked = scores.score(m, 2500, (scope, count) -> {
                NDArray rows = all.get(new NDIndex(next[0] + ":" + (next[0] + count)));
                rows.attach(scope);
                next[0] += count;
                return rows;
            });
            ImageScores.Score whole = scores.score(other);
            // the same rows through the same formula: only GEMM blocking over a different row
            // count can move the float32 features, by ~1e-7 relative
            assertEquals(direct, chunked.frechet(), 1e-5 * direct);
            assertEquals(direct, whole.frechet(), 1e-5 * direct);
            assertEquals(7500, next[0]);
            assertEquals(10, chunked.coverage().covered());
            assertEquals(
                    2500,
                    java.util.Arrays.stream(chunked.coverage().histogram()).sum());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> scores.score(m, 1, (scope, count) -> half));
            assertTrue(e.getMessage().contains("samples to score must be >= 2, got 1"), e.getMessage());
            scores.close(); // leaves the shared classifier open
            assertTrue(classifier.predict(all.get(new NDIndex("0:2"))).length == 2);
        }
    }

    @Test
    void fromTanhMapsTheGeneratorRangeOntoPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mapped = FashionClassifier.fromTanh(m.create(new float[] {-1f, 0f, 1f}))
                    .toFloatArray();
            assertArrayEquals(new float[] {0f, 0.5f, 1f}, mapped, 0f);
        }
    }

    @Test
    void coverageThresholdAndBadInput() {
        // 1 of 200 is 0.5%: below the 1% threshold, counted with a lower one
        int[] p = new int[200];
        p[0] = 1;
        assertEquals(1, ClassCoverage.of(p, 10).covered());
        assertEquals(2, ClassCoverage.of(p, 10, 0.005).covered());
        assertArrayEquals(new long[] {199, 1, 0}, ClassCoverage.of(p, 3).histogram());
        assertThrows(IllegalArgumentException.class, () -> ClassCoverage.of(new int[] {10}, 10));
        assertThrows(IllegalArgumentException.class, () -> ClassCoverage.of(new int[0], 10));
        assertThrows(IllegalArgumentException.class, () -> ClassCoverage.of(p, 10, 0));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> classifier.features(m.zeros(new Shape(2, 100))));
            assertTrue(e.getMessage().contains("(2, 100)"), e.getMessage());
        }
    }
}
