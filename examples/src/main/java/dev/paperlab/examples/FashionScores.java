package dev.paperlab.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.models.eval.ClassCoverage;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.training.metrics.FrechetDistance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Scores generated Fashion-MNIST images the same way for every generative command: the fixed-seed
 * {@link FashionClassifier} (trained under {@code <out>/classifier/}) embeds n samples; the summary
 * gets {@code frechet} (Fréchet distance of its 128-d features to the 10,000 test images'), {@code
 * class_coverage} with {@code class_histogram}, {@code classifier_test_accuracy} and {@code
 * frechet_real_floor} (the same distance for n real training images, the best n samples can do).
 */
final class FashionScores {
    private FashionScores() {}

    /** Draws {@code count} samples in [-1, 1], shape (count, 784) or (count, 1, 28, 28), in {@code scope}. */
    @FunctionalInterface
    interface Source {
        NDArray draw(NDManager scope, int count, int start);
    }

    /**
     * Scores {@code n} samples drawn in chunks of {@code chunk}, each chunk in a sub-manager of
     * {@code parent}, and puts the scores into {@code summary}.
     */
    static void score(
            Source source,
            int n,
            int chunk,
            NDManager parent,
            NDArray trainImages,
            Path out,
            Path dataDir,
            int batchSize,
            Map<String, Object> summary)
            throws IOException {
        FashionMnist.Builder tb = FashionMnist.builder()
                .optUsage(Dataset.Usage.TEST)
                .optFlatten(true)
                .setSampling(batchSize, false);
        if (dataDir != null) {
            tb.optDataDir(dataDir);
        }
        try (FashionClassifier classifier = FashionClassifier.train(out.resolve("classifier"), dataDir);
                FashionMnist test = tb.build()) {
            double[][] real = classifier.features(test.dataArray());
            double[][] fake = new double[n][];
            int[] classes = new int[n];
            for (int start = 0; start < n; start += chunk) {
                int count = Math.min(chunk, n - start);
                try (NDManager scope = parent.newSubManager()) {
                    // samples are in [-1, 1]; the classifier reads pixels in [0, 1]
                    FashionClassifier.Embedding e =
                            classifier.embed(FashionClassifier.fromTanh(source.draw(scope, count, start)));
                    System.arraycopy(e.features(), 0, fake, start, count);
                    System.arraycopy(e.classes(), 0, classes, start, count);
                }
            }
            ClassCoverage coverage = ClassCoverage.of(classes, 10);
            double[][] trainFeatures;
            try (NDManager scope = trainImages.getManager().newSubManager()) {
                NDArray subset = trainImages.get(
                        new NDIndex("0:" + Math.min(n, trainImages.getShape().get(0))));
                subset.attach(scope);
                trainFeatures = classifier.features(subset);
            }
            summary.put("frechet", FrechetDistance.ofFeatures(real, fake));
            summary.put("class_coverage", coverage.covered());
            summary.put("class_histogram", coverage.histogram());
            summary.put("frechet_real_floor", FrechetDistance.ofFeatures(real, trainFeatures));
            summary.put("classifier_test_accuracy", classifier.testAccuracy());
        }
    }
}
