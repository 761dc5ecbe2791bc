package dev.paperlab.models.eval;

/**
 * Class coverage of generated images: the histogram of a classifier's predicted classes, and the
 * number of classes that receive at least {@code minShare} of the predictions. A generator that
 * collapses onto a few modes leaves classes empty. The default threshold {@link #MIN_SHARE} (1%)
 * is the rule the 2-D mixtures use for a covered mode, so a class seen only by misclassification
 * noise of a handful of samples does not count.
 *
 * @param histogram predictions per class
 * @param covered classes with at least {@code minShare} of the predictions
 * @param minShare the threshold used
 */
public record ClassCoverage(long[] histogram, int covered, double minShare) {
    /** A class is covered when at least 1% of the samples are predicted as it. */
    public static final double MIN_SHARE = 0.01;

    /** Coverage of {@code predicted} over {@code classes} classes with the 1% threshold. */
    public static ClassCoverage of(int[] predicted, int classes) {
        return of(predicted, classes, MIN_SHARE);
    }

    /**
     * Coverage of {@code predicted} over {@code classes} classes.
     *
     * @param minShare share of the predictions a class needs to count, in (0, 1]
     * @throws IllegalArgumentException for no predictions, classes &lt; 1, a share outside (0, 1]
     *     or a label outside [0, classes)
     */
    public static ClassCoverage of(int[] predicted, int classes, double minShare) {
        if (predicted.length == 0) {
            throw new IllegalArgumentException("predicted must not be empty");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (!(minShare > 0 && minShare <= 1)) {
            throw new IllegalArgumentException("minShare must be in (0, 1], got " + minShare);
        }
        long[] histogram = new long[classes];
        for (int i = 0; i < predicted.length; i++) {
            int c = predicted[i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("predicted[" + i + "] must be in [0, " + classes + "), got " + c);
            }
            histogram[c]++;
        }
        int covered = 0;
        for (long h : histogram) {
            if (h >= minShare * predicted.length) {
                covered++;
            }
        }
        return new ClassCoverage(histogram, covered, minShare);
    }
}
