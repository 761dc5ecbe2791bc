package dev.paperlab.datasets.synthetic;

import java.util.Random;

/**
 * Seeded samplers of 2-D toy distributions, the standard testbeds for GAN mode coverage (a ring of
 * 8 Gaussians and a 5x5 grid, as in Metz et al., 2017, "Unrolled GANs", and Srivastava et al.,
 * 2017, "VEEGAN") and for classifiers (two moons, as scikit-learn's {@code make_moons}).
 *
 * <p>Mixtures pick a component uniformly, {@code c ~ U{0..K-1}}, then draw {@code x ~ N(mu_c,
 * sigma^2 I)}. Component means:
 *
 * <ul>
 *   <li>ring: {@code mu_c = R (cos 2 pi c / K, sin 2 pi c / K)};
 *   <li>grid: {@code mu_c = s (col - (n-1)/2, row - (n-1)/2)} with {@code c = row * n + col};
 *   <li>two moons: {@code t ~ U[0, pi]}, moon 0 at {@code (cos t, sin t)}, moon 1 at {@code (1 -
 *       cos t, 1/2 - sin t)}, plus {@code N(0, noise^2 I)}.
 * </ul>
 *
 * <p>The same seed gives the same points: sampling uses {@link Random}, whose algorithm Java
 * specifies.
 */
public final class Mixtures2d {

    private Mixtures2d() {}

    /**
     * Samples a ring of K Gaussians.
     *
     * @param n number of points N, at least 0
     * @param k number of components K, at least 1
     * @param radius ring radius R
     * @param std standard deviation sigma of each component, at least 0
     * @param seed the seed
     * @return N points with their components
     */
    public static Samples2d ring(int n, int k, double radius, double std, long seed) {
        return mixture(n, ringMeans(k, radius), std, seed);
    }

    /**
     * Samples an n x n grid of Gaussians centred on the origin.
     *
     * @param n number of points N, at least 0
     * @param side grid side, at least 1 (K = side^2 components)
     * @param spacing distance s between neighbouring means
     * @param std standard deviation sigma of each component, at least 0
     * @param seed the seed
     * @return N points with their components
     */
    public static Samples2d grid(int n, int side, double spacing, double std, long seed) {
        return mixture(n, gridMeans(side, spacing), std, seed);
    }

    /**
     * Samples two interleaved half circles.
     *
     * @param n number of points N, at least 0
     * @param noise standard deviation of the Gaussian noise added to each coordinate, at least 0
     * @param seed the seed
     * @return N points; label 0 for the upper moon, 1 for the lower
     */
    public static Samples2d twoMoons(int n, double noise, long seed) {
        check(n, noise);
        Random rng = new Random(seed);
        float[] points = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(2);
            double t = Math.PI * rng.nextDouble();
            double x = c == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double y = c == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            points[2 * i] = (float) (x + noise * rng.nextGaussian());
            points[2 * i + 1] = (float) (y + noise * rng.nextGaussian());
            labels[i] = c;
        }
        return new Samples2d(points, labels, 2);
    }

    /**
     * Returns the means of a ring of K Gaussians.
     *
     * @param k number of components K, at least 1
     * @param radius ring radius R
     * @return K rows of (x, y)
     */
    public static double[][] ringMeans(int k, double radius) {
        if (k < 1) {
            throw new IllegalArgumentException("number of components must be >= 1 but was " + k);
        }
        double[][] mu = new double[k][];
        for (int c = 0; c < k; c++) {
            double a = 2 * Math.PI * c / k;
            mu[c] = new double[] {radius * Math.cos(a), radius * Math.sin(a)};
        }
        return mu;
    }

    /**
     * Returns the means of an n x n grid of Gaussians, row after row.
     *
     * @param side grid side, at least 1
     * @param spacing distance s between neighbouring means
     * @return side^2 rows of (x, y)
     */
    public static double[][] gridMeans(int side, double spacing) {
        if (side < 1) {
            throw new IllegalArgumentException("grid side must be >= 1 but was " + side);
        }
        double[][] mu = new double[side * side][];
        double centre = (side - 1) / 2.0;
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                mu[row * side + col] = new double[] {spacing * (col - centre), spacing * (row - centre)};
            }
        }
        return mu;
    }

    /** Draws c ~ U{0..K-1}, x ~ N(mu_c, std^2 I). */
    private static Samples2d mixture(int n, double[][] means, double std, long seed) {
        check(n, std);
        Random rng = new Random(seed);
        float[] points = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(means.length);
            points[2 * i] = (float) (means[c][0] + std * rng.nextGaussian());
            points[2 * i + 1] = (float) (means[c][1] + std * rng.nextGaussian());
            labels[i] = c;
        }
        return new Samples2d(points, labels, means.length);
    }

    private static void check(int n, double std) {
        if (n < 0) {
            throw new IllegalArgumentException("number of points must be >= 0 but was " + n);
        }
        if (!(std >= 0)) {
            throw new IllegalArgumentException("standard deviation must be >= 0 but was " + std);
        }
    }
}
