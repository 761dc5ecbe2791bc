package dev.paperlab.datasets.fashion;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Ten classes of simple 28x28 grayscale shapes, drawn procedurally: paperlab's own stand-in for
 * Fashion-MNIST when no IDX files are present, so that every image job runs offline.
 *
 * <p>Each image draws one shape with a random centre (±{@value #MAX_SHIFT} px), size, stroke
 * thickness and brightness. Pixels are the anti-aliased coverage {@code clamp(0.5 - d, 0, 1)} of
 * a signed distance {@code d} (in pixels, negative inside) to the shape, scaled by the brightness,
 * so values lie in [0, 1] like the normalised Fashion-MNIST pixels.
 *
 * <p>Generation is deterministic: image {@code i} of a set uses its own generator split from the
 * seed, so the same seed gives the same images in the same order. Labels are balanced (each class
 * appears {@code n/10} times, rounded) and shuffled.
 */
public final class ProceduralShapes {

    /** Image height and width H = W = 28. */
    public static final int SIZE = 28;

    /** Class names; the label of a shape is its index here. */
    public static final List<String> CLASS_NAMES = List.of(
            "circle", "square", "triangle", "cross", "horizontal bar", "vertical bar", "ring", "diagonal", "dots", "x");

    /** Default number of training images, as Fashion-MNIST. */
    public static final int TRAIN_SIZE = 60_000;

    /** Default number of test images, as Fashion-MNIST. */
    public static final int TEST_SIZE = 10_000;

    private static final int CLASSES = 10;
    private static final double MAX_SHIFT = 2.5;
    private static final double SIN60 = Math.sqrt(3) / 2;

    private ProceduralShapes() {}

    /**
     * Draws {@code n} labelled shapes.
     *
     * @param n number of images N, at least 0
     * @param seed the seed; the same seed gives the same images
     * @return N images of 28x28 floats in [0, 1] (row-major, image after image) and N labels
     */
    public static Drawn generate(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("number of images must be >= 0 but was " + n);
        }
        SplittableRandom root = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates shuffle of the balanced labels
            int j = root.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        float[] pixels = new float[n * SIZE * SIZE];
        for (int i = 0; i < n; i++) {
            draw(labels[i], root.split(), pixels, i * SIZE * SIZE);
        }
        return new Drawn(pixels, labels);
    }

    /**
     * Draws one shape of class {@code label} into {@code out[offset .. offset + 784)}.
     *
     * @param label class index in 0..9
     * @param rng the source of the jitter
     * @param out destination, row-major 28x28
     * @param offset index of the first pixel in {@code out}
     */
    public static void draw(int label, SplittableRandom rng, float[] out, int offset) {
        if (label < 0 || label >= CLASSES) {
            throw new IllegalArgumentException("label must be in 0..9 but was " + label);
        }
        double cx = (SIZE - 1) / 2.0 + rng.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        double cy = (SIZE - 1) / 2.0 + rng.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        double r = rng.nextDouble(7, 10); // half extent of the shape
        double t = rng.nextDouble(1.5, 3.5); // stroke thickness
        double brightness = rng.nextDouble(0.75, 1.0);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double d = distance(label, x - cx, y - cy, r, t);
                double coverage = Math.min(1, Math.max(0, 0.5 - d));
                out[offset + y * SIZE + x] = (float) (brightness * coverage);
            }
        }
    }

    /** Signed distance in pixels from (px, py), relative to the centre, to the shape. */
    private static double distance(int label, double px, double py, double r, double t) {
        double h = t / 2;
        switch (label) {
            case 0: // filled disc
                return len(px, py) - r;
            case 1: // filled square
                return box(px, py, 0.8 * r, 0.8 * r);
            case 2: // filled triangle, apex up: outward normals (0,1), (+-sin 60, -1/2), y down
                double d = Math.max(py, Math.max(SIN60 * px - 0.5 * py, -SIN60 * px - 0.5 * py));
                return d - 0.6 * r;
            case 3: // plus sign
                return Math.min(box(px, py, r, h), box(px, py, h, r));
            case 4:
                return box(px, py, r, h);
            case 5:
                return box(px, py, h, r);
            case 6: // ring
                return Math.abs(len(px, py) - r) - h;
            case 7: // diagonal from top-left to bottom-right
                return segment(px, py, r) - h;
            case 8: // 2x2 dots
                double s = 0.6 * r;
                return len(Math.abs(px) - s, Math.abs(py) - s) - Math.max(1.5, 0.3 * r);
            default: // x: both diagonals
                return Math.min(segment(px, py, r), segment(-px, py, r)) - h;
        }
    }

    /** Euclidean length; {@code Math.hypot} is exact but several times slower. */
    private static double len(double x, double y) {
        return Math.sqrt(x * x + y * y);
    }

    /** Approximate signed distance to an axis-aligned box of half extents (a, b). */
    private static double box(double px, double py, double a, double b) {
        return Math.max(Math.abs(px) - a, Math.abs(py) - b);
    }

    /** Distance to the segment from (-e, -e) to (e, e) with e = r / sqrt 2. */
    private static double segment(double px, double py, double r) {
        double e = r / Math.sqrt(2);
        double u = Math.max(-e, Math.min(e, (px + py) / 2)); // projection on the (1,1) axis
        return len(px - u, py - u);
    }

    /**
     * Drawn shapes.
     *
     * @param pixels N*28*28 floats in [0, 1], image after image, row-major
     * @param labels N class indices in 0..9
     */
    public record Drawn(float[] pixels, int[] labels) {

        /**
         * Returns the number of images N.
         *
         * @return N
         */
        public int size() {
            return labels.length;
        }
    }
}
