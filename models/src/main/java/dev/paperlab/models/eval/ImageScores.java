package dev.paperlab.models.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.training.metrics.FrechetDistance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Scores of generated Fashion-MNIST images against the real test set, with one fixed feature map
 * (a {@link FashionClassifier}): the Fréchet distance of Heusel et al. (2017, Eq. 6)
 *
 * <pre>
 *   FD = ||mu_r - mu_g||^2 + Tr(C_r + C_g - 2 (C_r^{1/2} C_g C_r^{1/2})^{1/2})
 * </pre>
 *
 * between Gaussians fitted to the classifier's 128-d features of the test images (r) and of the
 * samples (g), and {@link ClassCoverage} of the classifier's predictions. The real side's mean and
 * covariance are computed once, so scoring at every epoch costs only the samples' features.
 * Samples are embedded in chunks, each in its own scope, so 10,000 of them never sit in memory as
 * one array.
 */
public final class ImageScores implements AutoCloseable {
    /** Samples embedded per scope. */
    static final int CHUNK = 1000;

    /** The scores of one set of samples. */
    public record Score(double frechet, ClassCoverage coverage) {}

    /** A source of samples: {@code count} images with pixels in [0, 1], created in {@code scope}. */
    @FunctionalInterface
    public interface Source {
        NDArray draw(NDManager scope, int count);
    }

    private final FashionClassifier classifier;
    private final boolean ownsClassifier;
    private final double[] realMean;
    private final double[][] realCovariance;

    private ImageScores(FashionClassifier classifier, boolean owns, double[][] realFeatures) {
        this.classifier = classifier;
        this.ownsClassifier = owns;
        this.realMean = FrechetDistance.mean(realFeatures);
        this.realCovariance = FrechetDistance.covariance(realFeatures);
    }

    /**
     * Trains the fixed-seed {@link FashionClassifier} (its run under {@code classifierDir}) and
     * embeds the 10,000 test images as the real side.
     *
     * @param dataDir Fashion-MNIST folder, or {@code null} for the default lookup
     */
    public static ImageScores create(Path classifierDir, Path dataDir) throws IOException {
        FashionClassifier classifier = FashionClassifier.train(classifierDir, dataDir);
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(Dataset.Usage.TEST)
                .optFlatten(true)
                .setSampling(1, false);
        if (dataDir != null) {
            b.optDataDir(dataDir);
        }
        try (FashionMnist test = b.build()) {
            return new ImageScores(classifier, true, classifier.features(test.dataArray()));
        } catch (IOException | RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /**
     * Scores against {@code realImages} (pixels in [0, 1]) with {@code classifier}, which stays
     * the caller's to close.
     */
    public static ImageScores of(FashionClassifier classifier, NDArray realImages) {
        return new ImageScores(
                Objects.requireNonNull(classifier, "classifier"), false, classifier.features(realImages));
    }

    /** The feature map and its test accuracy. */
    public FashionClassifier classifier() {
        return classifier;
    }

    /** Scores {@code images} (pixels in [0, 1], at least 2). */
    public Score score(NDArray images) {
        FashionClassifier.Embedding e = classifier.embed(images);
        return score(e.features(), e.classes());
    }

    /**
     * Scores {@code n} samples drawn from {@code source} in chunks, each chunk in a sub-manager of
     * {@code parent} closed right after it is embedded.
     *
     * @throws IllegalArgumentException when n &lt; 2 (a covariance needs two samples)
     */
    public Score score(NDManager parent, int n, Source source) {
        if (n < 2) {
            throw new IllegalArgumentException("samples to score must be >= 2, got " + n);
        }
        double[][] features = new double[n][];
        int[] classes = new int[n];
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            try (NDManager scope = parent.newSubManager()) {
                FashionClassifier.Embedding e = classifier.embed(source.draw(scope, count));
                System.arraycopy(e.features(), 0, features, start, count);
                System.arraycopy(e.classes(), 0, classes, start, count);
            }
        }
        return score(features, classes);
    }

    /**
     * The floor of the Fréchet distance: the first {@code n} of {@code realImages} (pixels in [0,
     * 1], e.g. training images) scored like samples, the best that n samples can do.
     */
    public double realFloor(NDArray realImages, int n) {
        try (NDManager scope = realImages.getManager().newSubManager()) {
            NDArray subset = realImages.get(
                    new NDIndex("0:" + Math.min(n, realImages.getShape().get(0))));
            subset.attach(scope);
            return score(subset).frechet();
        }
    }

    /**
     * Puts {@code score} into a run summary as every generative command reports it: {@code
     * frechet}, {@code class_coverage}, {@code class_histogram}, {@code frechet_real_floor} (of
     * {@code n} of {@code realImages}) and {@code classifier_test_accuracy}.
     */
    public void report(Score score, NDArray realImages, int n, Map<String, Object> summary) {
        summary.put("frechet", score.frechet());
        summary.put("class_coverage", score.coverage().covered());
        summary.put("class_histogram", score.coverage().histogram());
        summary.put("frechet_real_floor", realFloor(realImages, n));
        summary.put("classifier_test_accuracy", classifier.testAccuracy());
    }

    private Score score(double[][] features, int[] classes) {
        if (features.length < 2) {
            throw new IllegalArgumentException("samples to score must be >= 2, got " + features.length);
        }
        double frechet = FrechetDistance.between(
                realMean, realCovariance, FrechetDistance.mean(features), FrechetDistance.covariance(features));
        return new Score(frechet, ClassCoverage.of(classes, 10));
    }

    @Override
    public void close() {
        if (ownsClassifier) {
            classifier.close();
        }
    }
}
