package dev.paperlab.datasets.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The stochastic data augmentation of SimCLR (Chen et al. 2020, §3 and Appendix A) for grey
 * images, computed batched on the engine: every example of a batch gets its own random
 * parameters, drawn from a Java {@link Random}, and the pixels are transformed by a few batched
 * engine operations (no loop over pixels in Java).
 *
 * <ul>
 *   <li>{@link Kind#CROP} random resized crop: area fraction {@code s ~ U(scaleMin, scaleMax)} and
 *       aspect {@code r} log-uniform in {@code [ratioMin, ratioMax]}, crop {@code sqrt(s r)} wide
 *       and {@code sqrt(s / r)} high (fractions of the image), placed uniformly inside it and
 *       resized back to the full image (bilinear). {@code s} is drawn below {@code min(r, 1/r)},
 *       so the crop always fits and both ranges hold exactly.
 *   <li>{@link Kind#FLIP} horizontal flip with probability {@code flipProbability}.
 *   <li>{@link Kind#AFFINE} rotation by {@code U(-degrees, degrees)} and translation by {@code
 *       U(-shift, shift)} of the image size on each axis.
 *   <li>{@link Kind#JITTER} brightness and contrast jitter, the grey-image form of the paper's
 *       colour distortion: the image is multiplied by {@code b ~ U(1 - brightness, 1 + brightness)},
 *       then blended with its own mean, {@code c x + (1 - c) mean(x)} with {@code c ~ U(1 - contrast,
 *       1 + contrast)}, and clipped to [0, 1] (pixel values are taken to lie there). Without it, two
 *       crops of one image share their intensity histogram, a shortcut the loss can match views by
 *       (the paper's §3 finds crop alone weak for that reason, crop plus colour strong).
 *   <li>{@link Kind#NOISE} additive Gaussian noise {@code N(0, noiseStd^2)} per pixel.
 *   <li>{@link Kind#ERASE} random erasing (Zhong et al. 2020): with probability {@code
 *       eraseProbability} a rectangle of area fraction {@code U(eraseMin, eraseMax)}, aspect
 *       log-uniform in [0.3, 3.3], is set to 0.
 * </ul>
 *
 * <p>Crop, flip and affine compose into one map per example, applied with one bilinear resampling
 * ({@link AffineResampler}); then jitter, then noise, then erasing. Parameters come from the given {@link
 * Random}; the noise comes from the engine RNG, so a view is reproducible when both are seeded,
 * as the training harness does at every step.
 */
public final class ContrastiveAugmentation {

    /** One kind of transformation; a set of them is switched on. */
    public enum Kind {
        CROP,
        FLIP,
        AFFINE,
        NOISE,
        ERASE,
        JITTER;

        /** The lower-case name, as command lines spell it. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final double ERASE_RATIO_MIN = 0.3;
    private static final double ERASE_RATIO_MAX = 3.3;

    private final Set<Kind> kinds;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;
    private final double flipProbability;
    private final double degrees;
    private final double shift;
    private final double noiseStd;
    private final double eraseProbability;
    private final double eraseMin;
    private final double eraseMax;
    private final double brightness;
    private final double contrast;

    private ContrastiveAugmentation(Builder b) {
        this.kinds = Set.copyOf(b.kinds);
        this.scaleMin = b.scaleMin;
        this.scaleMax = b.scaleMax;
        this.ratioMin = b.ratioMin;
        this.ratioMax = b.ratioMax;
        this.flipProbability = b.flipProbability;
        this.degrees = b.degrees;
        this.shift = b.shift;
        this.noiseStd = b.noiseStd;
        this.eraseProbability = b.eraseProbability;
        this.eraseMin = b.eraseMin;
        this.eraseMax = b.eraseMax;
        this.brightness = b.brightness;
        this.contrast = b.contrast;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The transformations switched on. */
    public Set<Kind> kinds() {
        return kinds;
    }

    /**
     * The random parameters of one view of {@code n} examples of {@code height x width}.
     *
     * @param cropScale area fraction of each crop (1 without {@link Kind#CROP})
     * @param cropRatio width/height of each crop (1 without crop)
     * @param theta the affine map of each example, rows {@code [a b c]} for x and y, flattened
     *     (n x 6), as {@link AffineResampler} takes it
     * @param flipped whether each example was flipped
     * @param erase per example {@code top, left, height, width} in pixels of the erased rectangle
     *     (n x 4; height 0 = nothing erased)
     * @param brightness the brightness factor of each example (1 without {@link Kind#JITTER})
     * @param contrast the contrast factor of each example (1 without jitter)
     */
    public record Params(
            double[] cropScale,
            double[] cropRatio,
            float[] theta,
            boolean[] flipped,
            int[] erase,
            float[] brightness,
            float[] contrast) {}

    /** Draws the parameters of one view of {@code n} examples. */
    public Params sample(int n, int height, int width, Random random) {
        double[] scale = new double[n];
        double[] ratio = new double[n];
        float[] theta = new float[6 * n];
        boolean[] flipped = new boolean[n];
        int[] erase = new int[4 * n];
        float[] bright = new float[n];
        float[] contr = new float[n];
        java.util.Arrays.fill(bright, 1f);
        java.util.Arrays.fill(contr, 1f);
        for (int e = 0; e < n; e++) {
            double w = 1;
            double h = 1;
            double cx = 0;
            double cy = 0;
            scale[e] = 1;
            ratio[e] = 1;
            if (kinds.contains(Kind.CROP)) {
                double r = cropRatio(random);
                double top = Math.min(scaleMax, Math.min(r, 1 / r)); // keeps both sides within the image
                double s = scaleMin + (top - scaleMin) * random.nextDouble();
                scale[e] = s;
                ratio[e] = r;
                w = Math.sqrt(s * r); // in units of the image width
                h = Math.sqrt(s / r);
                cx = (2 * random.nextDouble() - 1) * (1 - w); // normalised centre, crop inside [-1, 1]
                cy = (2 * random.nextDouble() - 1) * (1 - h);
            }
            double sx = w;
            if (kinds.contains(Kind.FLIP) && random.nextDouble() < flipProbability) {
                flipped[e] = true;
                sx = -w; // x_s = -w x_o + ...: the crop read mirror-wise
            }
            double angle = 0;
            if (kinds.contains(Kind.AFFINE)) {
                angle = Math.toRadians((2 * random.nextDouble() - 1) * degrees);
                cx += 2 * (2 * random.nextDouble() - 1) * shift; // a shift of f image widths is 2f normalised
                cy += 2 * (2 * random.nextDouble() - 1) * shift;
            }
            // source = diag(sx, h) R(angle) out + (cx, cy)
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            theta[6 * e] = (float) (sx * cos);
            theta[6 * e + 1] = (float) (-sx * sin);
            theta[6 * e + 2] = (float) cx;
            theta[6 * e + 3] = (float) (h * sin);
            theta[6 * e + 4] = (float) (h * cos);
            theta[6 * e + 5] = (float) cy;
            if (kinds.contains(Kind.ERASE) && random.nextDouble() < eraseProbability) {
                drawErasure(random, height, width, erase, e);
            }
        }
        // Drawn after the loop, so switching jitter on leaves the other kinds' draws as they were.
        if (kinds.contains(Kind.JITTER)) {
            for (int e = 0; e < n; e++) {
                bright[e] = (float) (1 + (2 * random.nextDouble() - 1) * brightness);
                contr[e] = (float) (1 + (2 * random.nextDouble() - 1) * contrast);
            }
        }
        return new Params(scale, ratio, theta, flipped, erase, bright, contr);
    }

    private double cropRatio(Random random) {
        for (int tries = 0; tries < 100; tries++) {
            double r = Math.exp(Math.log(ratioMin) + (Math.log(ratioMax) - Math.log(ratioMin)) * random.nextDouble());
            if (Math.min(r, 1 / r) >= scaleMin) {
                return r;
            }
        }
        return 1; // the builder guarantees 1 is in the ratio range and fits any scale
    }

    private void drawErasure(Random random, int height, int width, int[] erase, int e) {
        for (int tries = 0; tries < 10; tries++) {
            double area = (eraseMin + (eraseMax - eraseMin) * random.nextDouble()) * height * width;
            double r = Math.exp(Math.log(ERASE_RATIO_MIN)
                    + (Math.log(ERASE_RATIO_MAX) - Math.log(ERASE_RATIO_MIN)) * random.nextDouble());
            int eh = (int) Math.round(Math.sqrt(area * r));
            int ew = (int) Math.round(Math.sqrt(area / r));
            if (eh >= 1 && ew >= 1 && eh < height && ew < width) {
                erase[4 * e] = random.nextInt(height - eh + 1);
                erase[4 * e + 1] = random.nextInt(width - ew + 1);
                erase[4 * e + 2] = eh;
                erase[4 * e + 3] = ew;
                return;
            }
        }
    }

    /**
     * One augmented view of {@code images} with the given parameters.
     *
     * @param images (N, 1, H, W) or (N, H, W)
     * @return the view, in the shape of {@code images}, on the images' manager
     */
    @SuppressWarnings("checkstyle:LocalVariableName")
    public NDArray apply(NDArray images, Params params) {
        Shape s = checkImages(images);
        int n = (int) s.get(0);
        int H = (int) s.get(s.dimension() - 2);
        int W = (int) s.get(s.dimension() - 1);
        if (params.flipped().length != n) {
            throw new IllegalArgumentException(
                    "params are for " + params.flipped().length + " examples, images have " + n);
        }
        NDManager m = images.getManager();
        NDArray x = images;
        if (kinds.contains(Kind.CROP) || kinds.contains(Kind.FLIP) || kinds.contains(Kind.AFFINE)) {
            x = AffineResampler.resample(x, m.create(params.theta(), new Shape(n, 2, 3))); // (N, .., H, W)
        }
        if (kinds.contains(Kind.JITTER)) {
            long[] one = new long[s.dimension()];
            java.util.Arrays.fill(one, 1);
            one[0] = n;
            Shape perExample = new Shape(one); // (N, 1, ..): broadcasts over the pixels
            x = x.mul(m.create(params.brightness()).reshape(perExample).toType(x.getDataType(), false));
            NDArray mean = x.reshape(n, -1).mean(new int[] {1}, true).reshape(perExample); // each image's own
            NDArray c = m.create(params.contrast()).reshape(perExample).toType(x.getDataType(), false);
            x = x.sub(mean).mul(c).add(mean).clip(0, 1);
        }
        if (kinds.contains(Kind.NOISE) && noiseStd > 0) {
            x = x.add(m.randomNormal(0, (float) noiseStd, s, x.getDataType()));
        }
        if (kinds.contains(Kind.ERASE)) {
            int[] er = params.erase();
            float[] top = new float[n];
            float[] bottom = new float[n];
            float[] left = new float[n];
            float[] right = new float[n];
            for (int e = 0; e < n; e++) {
                top[e] = er[4 * e];
                bottom[e] = er[4 * e] + er[4 * e + 2];
                left[e] = er[4 * e + 1];
                right[e] = er[4 * e + 1] + er[4 * e + 3];
            }
            NDArray i = m.arange(H).toType(x.getDataType(), false).reshape(1, H, 1); // (1, H, 1)
            NDArray j = m.arange(W).toType(x.getDataType(), false).reshape(1, 1, W); // (1, 1, W)
            NDArray inRows = i.gte(m.create(top).reshape(n, 1, 1))
                    .logicalAnd(i.lt(m.create(bottom).reshape(n, 1, 1)));
            NDArray inCols = j.gte(m.create(left).reshape(n, 1, 1))
                    .logicalAnd(j.lt(m.create(right).reshape(n, 1, 1)));
            NDArray keep = inRows.logicalAnd(inCols).logicalNot().toType(x.getDataType(), false); // (N, H, W)
            x = x.mul(keep.reshape(s));
        }
        return x;
    }

    /** One view of {@code images} with parameters drawn from {@code random}. */
    public NDArray view(NDArray images, Random random) {
        Shape s = checkImages(images);
        int d = s.dimension();
        return apply(images, sample((int) s.get(0), (int) s.get(d - 2), (int) s.get(d - 1), random));
    }

    /**
     * Two independent views of every example, stacked as SimCLR's {@code 2N} batch: rows {@code
     * 0..N-1} are the first views, rows {@code N..2N-1} the second, so {@code k} and {@code k + N}
     * are a positive pair.
     *
     * @param images (N, 1, H, W) or (N, H, W)
     * @return (2N, ...) on the images' manager
     */
    public NDArray twoViews(NDArray images, Random random) {
        NDArray first = view(images, random);
        NDArray second = view(images, random);
        return NDArrays.concat(new ai.djl.ndarray.NDList(first, second), 0);
    }

    private static Shape checkImages(NDArray images) {
        Shape s = images.getShape();
        if (!(s.dimension() == 3 || (s.dimension() == 4 && s.get(1) == 1)) || s.get(0) < 1) {
            throw new IllegalArgumentException("images must be (N, 1, H, W) or (N, H, W) with N >= 1, got " + s);
        }
        return s;
    }

    /**
     * Builder; the defaults are a mild recipe for 28x28 grey images: crop scale [0.5, 1], ratio
     * [3/4, 4/3], flip 0.5, rotation 10 degrees, shift 0.1, noise 0.05, erasing 0.25 of [0.02,
     * 0.15], jitter brightness and contrast 0.4, all kinds on.
     */
    public static final class Builder {
        private Set<Kind> kinds = EnumSet.allOf(Kind.class);
        private double scaleMin = 0.5;
        private double scaleMax = 1;
        private double ratioMin = 3.0 / 4;
        private double ratioMax = 4.0 / 3;
        private double flipProbability = 0.5;
        private double degrees = 10;
        private double shift = 0.1;
        private double noiseStd = 0.05;
        private double eraseProbability = 0.25;
        private double eraseMin = 0.02;
        private double eraseMax = 0.15;
        private double brightness = 0.4;
        private double contrast = 0.4;

        private Builder() {}

        /** The transformations to apply; at least one. */
        public Builder optKinds(Set<Kind> kinds) {
            if (kinds == null || kinds.isEmpty()) {
                throw new IllegalArgumentException(
                        "augmentations must name at least one of " + EnumSet.allOf(Kind.class) + ", got " + kinds);
            }
            this.kinds = EnumSet.copyOf(kinds);
            return this;
        }

        /** Crop area fraction in [scaleMin, scaleMax] and aspect ratio in [ratioMin, ratioMax]. */
        public Builder optCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
            this.scaleMin = scaleMin;
            this.scaleMax = scaleMax;
            this.ratioMin = ratioMin;
            this.ratioMax = ratioMax;
            return this;
        }

        public Builder optFlipProbability(double p) {
            this.flipProbability = p;
            return this;
        }

        /** Rotation by up to {@code degrees} either way, shift by up to {@code shift} of the image. */
        public Builder optAffine(double degrees, double shift) {
            this.degrees = degrees;
            this.shift = shift;
            return this;
        }

        public Builder optNoiseStd(double std) {
            this.noiseStd = std;
            return this;
        }

        /** Erasing with probability {@code p}, area fraction in [min, max]. */
        public Builder optErase(double p, double min, double max) {
            this.eraseProbability = p;
            this.eraseMin = min;
            this.eraseMax = max;
            return this;
        }

        /** Brightness and contrast factors drawn from {@code 1 +- brightness} and {@code 1 +- contrast}. */
        public Builder optJitter(double brightness, double contrast) {
            this.brightness = brightness;
            this.contrast = contrast;
            return this;
        }

        public ContrastiveAugmentation build() {
            if (!(brightness >= 0 && brightness < 1) || !(contrast >= 0 && contrast < 1)) {
                throw new IllegalArgumentException(
                        "jitter brightness and contrast must be in [0, 1), got " + brightness + " and " + contrast);
            }
            if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
                throw new IllegalArgumentException(
                        "crop scale range must satisfy 0 < min <= max <= 1, got [" + scaleMin + ", " + scaleMax + "]");
            }
            if (!(ratioMin > 0 && ratioMin <= 1 && ratioMax >= 1 && Double.isFinite(ratioMax))) {
                throw new IllegalArgumentException("crop ratio range must satisfy 0 < min <= 1 <= max < inf, got ["
                        + ratioMin + ", " + ratioMax + "]");
            }
            probability("flip probability", flipProbability);
            probability("erase probability", eraseProbability);
            if (!(degrees >= 0 && degrees <= 180)) {
                throw new IllegalArgumentException("rotation degrees must be in [0, 180], got " + degrees);
            }
            if (!(shift >= 0 && shift <= 1)) {
                throw new IllegalArgumentException("shift must be in [0, 1] of the image size, got " + shift);
            }
            if (!(noiseStd >= 0 && Double.isFinite(noiseStd))) {
                throw new IllegalArgumentException("noise std must be finite and >= 0, got " + noiseStd);
            }
            if (!(eraseMin > 0 && eraseMin <= eraseMax && eraseMax < 1)) {
                throw new IllegalArgumentException(
                        "erase area range must satisfy 0 < min <= max < 1, got [" + eraseMin + ", " + eraseMax + "]");
            }
            return new ContrastiveAugmentation(this);
        }

        private static void probability(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
            }
        }
    }
}
