package dev.paperlab.models.gan;

/**
 * Mode coverage of 2-D samples against the known centres of a mixture, as in the unrolled-GAN
 * and VEEGAN evaluations: each sample is assigned to its nearest centre when it lies within
 * {@code radius} of it; a mode is covered when at least {@code minShare} of all samples are
 * assigned to it; the high-quality share is the fraction of samples assigned to any centre.
 *
 * @param modesCovered modes with at least {@code minShare} of the samples
 * @param highQualityShare share of samples within {@code radius} of some centre
 * @param counts samples assigned to each centre
 */
public record ModeCoverage(int modesCovered, double highQualityShare, int[] counts) {
    /** The thresholds: within 0.1 of a centre (5 std of the ring), 1% of the samples. */
    public static final double RADIUS = 0.1;

    public static final double MIN_SHARE = 0.01;

    /**
     * Scores {@code points} (x0, y0, x1, y1, ...) against {@code centres}.
     *
     * @throws IllegalArgumentException when points has odd length or is empty, or centres is empty
     */
    public static ModeCoverage score(float[] points, double[][] centres, double radius, double minShare) {
        if (points.length == 0 || points.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "points must hold a positive even number of coordinates, got " + points.length);
        }
        if (centres.length == 0) {
            throw new IllegalArgumentException("centres must not be empty");
        }
        int n = points.length / 2;
        int[] counts = new int[centres.length];
        int near = 0;
        double r2 = radius * radius;
        for (int i = 0; i < n; i++) {
            double x = points[2 * i];
            double y = points[2 * i + 1];
            int best = -1;
            double bestD2 = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double dx = x - centres[c][0];
                double dy = y - centres[c][1];
                double d2 = dx * dx + dy * dy;
                if (d2 < bestD2) {
                    bestD2 = d2;
                    best = c;
                }
            }
            if (bestD2 < r2) {
                counts[best]++;
                near++;
            }
        }
        int modes = 0;
        for (int count : counts) {
            if (count >= minShare * n) {
                modes++;
            }
        }
        return new ModeCoverage(modes, near / (double) n, counts);
    }
}
