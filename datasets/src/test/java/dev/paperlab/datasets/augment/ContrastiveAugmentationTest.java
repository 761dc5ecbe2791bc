package dev.paperlab.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.datasets.augment.ContrastiveAugmentation.Kind;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContrastiveAugmentationTest {
    private static final int SIDE = 28;

    private static float[] randomImages(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    /**
     * grid_sample(bilinear, align_corners=False) written pixel by pixel, the reference: zeros
     * outside the image, the edge pixel in its half-pixel rim.
     */
    private static float[] referenceResample(float[] img, float[] t, int h, int w) {
        float[] out = new float[h * w];
        for (int u = 0; u < h; u++) {
            for (int v = 0; v < w; v++) {
                double xo = (2.0 * v + 1) / w - 1;
                double yo = (2.0 * u + 1) / h - 1;
                double px = ((t[0] * xo + t[1] * yo + t[2] + 1) * w - 1) / 2;
                double py = ((t[3] * xo + t[4] * yo + t[5] + 1) * h - 1) / 2;
                if (px >= -0.5 && px <= w - 0.5) {
                    px = Math.min(Math.max(px, 0), w - 1);
                }
                if (py >= -0.5 && py <= h - 0.5) {
                    py = Math.min(Math.max(py, 0), h - 1);
                }
                int x0 = (int) Math.floor(px);
                int y0 = (int) Math.floor(py);
                double fx = px - x0;
                double fy = py - y0;
                double s = 0;
                for (int dy = 0; dy <= 1; dy++) {
                    for (int dx = 0; dx <= 1; dx++) {
                        int yy = y0 + dy;
                        int xx = x0 + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            s += (dy == 0 ? 1 - fy : fy) * (dx == 0 ? 1 - fx : fx) * img[yy * w + xx];
                        }
                    }
                }
                out[u * w + v] = (float) s;
            }
        }
        return out;
    }

    /** Both paths, libtorch's grid_sampler_2d and the engine-neutral gather, against the reference. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void resamplingEqualsPixelByPixelBilinear(boolean fused) {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 6;
            float[] images = randomImages(n, 3);
            Random r = new Random(5);
            float[] theta = new float[6 * n];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = (float) (r.nextDouble() * 2.4 - 1.2); // rotations, shears, shifts past the border
            }
            NDArray out = AffineResampler.resample(
                    m.create(images, new Shape(n, 1, SIDE, SIDE)), m.create(theta, new Shape(n, 2, 3)), fused);
            float[] got = out.toFloatArray();
            for (int e = 0; e < n; e++) {
                float[] img = java.util.Arrays.copyOfRange(images, e * SIDE * SIDE, (e + 1) * SIDE * SIDE);
                float[] t = java.util.Arrays.copyOfRange(theta, 6 * e, 6 * e + 6);
                float[] want = referenceResample(img, t, SIDE, SIDE);
                for (int p = 0; p < want.length; p++) {
                    // float32 coordinates: an error of ~1e-6 pixels moves the weights by as much
                    assertEquals(want[p], got[e * SIDE * SIDE + p], 1e-4, "example " + e + " pixel " + p);
                }
            }
        }
    }

    @Test
    void cropAreaAndAspectStayInTheirRanges() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.CROP))
                .optCrop(0.3, 0.8, 0.5, 2.0)
                .build();
        ContrastiveAugmentation.Params p = aug.sample(5000, SIDE, SIDE, new Random(1));
        double lowest = 1;
        double highest = 0;
        for (int e = 0; e < 5000; e++) {
            float[] t = p.theta();
            double w = t[6 * e];
            double h = t[6 * e + 4];
            double area = w * h;
            double aspect = w / h;
            // float32 theta: relative rounding 1e-7
            assertTrue(area >= 0.3 - 1e-6 && area <= 0.8 + 1e-6, "area " + area);
            assertTrue(aspect >= 0.5 - 1e-6 && aspect <= 2.0 + 1e-6, "aspect " + aspect);
            assertEquals(p.cropScale()[e], area, 1e-6);
            assertEquals(p.cropRatio()[e], aspect, 1e-5);
            assertTrue(Math.abs(t[6 * e + 2]) + w <= 1 + 1e-6, "crop leaves the image in x");
            assertTrue(Math.abs(t[6 * e + 5]) + h <= 1 + 1e-6, "crop leaves the image in y");
            lowest = Math.min(lowest, area);
            highest = Math.max(highest, area);
        }
        assertTrue(lowest < 0.31 && highest > 0.75, "the range is used: " + lowest + " .. " + highest);
    }

    @Test
    void affineIsARotationWithinItsAngleAndAShiftWithinItsRange() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.AFFINE))
                .optAffine(15, 0.2)
                .build();
        ContrastiveAugmentation.Params p = aug.sample(2000, SIDE, SIDE, new Random(6));
        double widest = 0;
        for (int e = 0; e < 2000; e++) {
            float[] t = java.util.Arrays.copyOfRange(p.theta(), 6 * e, 6 * e + 6);
            // [cos -sin; sin cos]: orthonormal with determinant 1
            assertEquals(1, t[0] * t[4] - t[1] * t[3], 1e-6);
            assertEquals(t[0], t[4], 1e-6);
            assertEquals(-t[1], t[3], 1e-6);
            double degrees = Math.toDegrees(Math.atan2(t[3], t[0]));
            assertTrue(Math.abs(degrees) <= 15 + 1e-4, "angle " + degrees);
            // a shift of 0.2 image widths is 0.4 in normalised coordinates
            assertTrue(Math.abs(t[2]) <= 0.4 + 1e-6 && Math.abs(t[5]) <= 0.4 + 1e-6);
            widest = Math.max(widest, Math.abs(degrees));
        }
        assertTrue(widest > 14.5, "the range is used: " + widest);
    }

    @Test
    void croppingAConstantImageKeepsItConstant() {
        // a crop lies inside the image, so resizing it never reads the zero padding
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.CROP, Kind.FLIP))
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray view = aug.view(m.ones(new Shape(64, 1, SIDE, SIDE)), new Random(2));
            assertEquals(1.0, view.min().getFloat(), 1e-5);
            assertEquals(1.0, view.max().getFloat(), 1e-5);
        }
    }

    @Test
    void flipMirrorsColumnsAndIsAnInvolution() {
        ContrastiveAugmentation flip = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.FLIP))
                .optFlipProbability(1)
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] images = randomImages(3, 9);
            NDArray x = m.create(images, new Shape(3, 1, SIDE, SIDE));
            NDArray once = flip.view(x, new Random(1));
            float[] got = once.toFloatArray();
            for (int e = 0; e < 3; e++) {
                for (int u = 0; u < SIDE; u++) {
                    for (int v = 0; v < SIDE; v++) {
                        int base = e * SIDE * SIDE + u * SIDE;
                        assertEquals(images[base + SIDE - 1 - v], got[base + v], 1e-5);
                    }
                }
            }
            assertArrayEquals(images, flip.view(once, new Random(2)).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void sameSeedGivesTheSameViewsAndAnotherSeedOthers() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(randomImages(8, 4), new Shape(8, 1, SIDE, SIDE));
            Engine.getInstance().setRandomSeed(11);
            float[] a = aug.twoViews(x, new Random(11)).toFloatArray();
            Engine.getInstance().setRandomSeed(11);
            NDArray again = aug.twoViews(x, new Random(11));
            assertEquals(new Shape(16, 1, SIDE, SIDE), again.getShape());
            assertArrayEquals(a, again.toFloatArray());
            Engine.getInstance().setRandomSeed(12);
            float[] other = aug.twoViews(x, new Random(12)).toFloatArray();
            // the two views of one example differ, and so do the views of another step
            float[] first = java.util.Arrays.copyOfRange(a, 0, SIDE * SIDE);
            float[] second = java.util.Arrays.copyOfRange(a, 8 * SIDE * SIDE, 9 * SIDE * SIDE);
            assertFalse(java.util.Arrays.equals(first, second));
            assertFalse(java.util.Arrays.equals(a, other));
        }
    }

    @Test
    void noiseHasTheRequestedStd() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.NOISE))
                .optNoiseStd(0.2)
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(64, 1, SIDE, SIDE));
            NDArray view = aug.view(x, new Random(3));
            double std = Math.sqrt(view.square().mean().getFloat());
            // 50,176 draws: the sample std's standard error is 0.2 / sqrt(2 n) = 6e-4; 5 of them
            assertEquals(0.2, std, 0.003);
        }
    }

    @Test
    void erasingZeroesExactlyTheDrawnRectangle() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.ERASE))
                .optErase(1, 0.05, 0.2)
                .build();
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 20;
            ContrastiveAugmentation.Params p = aug.sample(n, SIDE, SIDE, new Random(4));
            float[] got = aug.apply(m.ones(new Shape(n, 1, SIDE, SIDE)), p).toFloatArray();
            int[] er = p.erase();
            for (int e = 0; e < n; e++) {
                int zeros = 0;
                for (int u = 0; u < SIDE; u++) {
                    for (int v = 0; v < SIDE; v++) {
                        boolean inside = u >= er[4 * e]
                                && u < er[4 * e] + er[4 * e + 2]
                                && v >= er[4 * e + 1]
                                && v < er[4 * e + 1] + er[4 * e + 3];
                        float value = got[e * SIDE * SIDE + u * SIDE + v];
                        assertEquals(inside ? 0f : 1f, value, "example " + e + " pixel " + u + "," + v);
                        zeros += inside ? 1 : 0;
                    }
                }
                double fraction = zeros / (double) (SIDE * SIDE);
                // sides are rounded to whole pixels: the area may move by about one row and column
                assertTrue(fraction > 0.05 - 2.0 * SIDE / (SIDE * SIDE) && fraction < 0.2 + 2.0 * SIDE / (SIDE * SIDE));
            }
        }
    }

    @Test
    void jitterScalesBrightnessAndContrastAsWrittenOutPixelByPixel() {
        ContrastiveAugmentation aug = ContrastiveAugmentation.builder()
                .optKinds(EnumSet.of(Kind.JITTER))
                .optJitter(0.4, 0.3)
                .build();
        int n = 400;
        ContrastiveAugmentation.Params p = aug.sample(n, SIDE, SIDE, new Random(8));
        float bMin = Float.MAX_VALUE;
        float bMax = -Float.MAX_VALUE;
        for (int e = 0; e < n; e++) {
            assertTrue(Math.abs(p.brightness()[e] - 1) <= 0.4f + 1e-6f, "brightness " + p.brightness()[e]);
            assertTrue(Math.abs(p.contrast()[e] - 1) <= 0.3f + 1e-6f, "contrast " + p.contrast()[e]);
            bMin = Math.min(bMin, p.brightness()[e]);
            bMax = Math.max(bMax, p.brightness()[e]);
        }
        assertTrue(bMin < 0.65f && bMax > 1.35f, "400 draws should nearly fill 1 +- 0.4: " + bMin + ".." + bMax);
        try (NDManager m = NDManager.newBaseManager()) {
            int k = 5;
            float[] images = randomImages(k, 9);
            ContrastiveAugmentation.Params q = aug.sample(k, SIDE, SIDE, new Random(10));
            float[] got =
                    aug.apply(m.create(images, new Shape(k, 1, SIDE, SIDE)), q).toFloatArray();
            int pixels = SIDE * SIDE;
            for (int e = 0; e < k; e++) {
                double mean = 0;
                for (int i = 0; i < pixels; i++) {
                    mean += q.brightness()[e] * images[e * pixels + i];
                }
                mean /= pixels;
                for (int i = 0; i < pixels; i++) {
                    double bright = q.brightness()[e] * images[e * pixels + i];
                    double want = Math.min(1, Math.max(0, q.contrast()[e] * (bright - mean) + mean));
                    assertEquals(want, got[e * pixels + i], 1e-5, "example " + e + " pixel " + i);
                }
            }
        }
    }

    @Test
    void jitterLeavesTheOtherKindsDrawsAsTheyWere() {
        EnumSet<Kind> geometric = EnumSet.of(Kind.CROP, Kind.FLIP, Kind.AFFINE, Kind.ERASE);
        EnumSet<Kind> withJitter = EnumSet.copyOf(geometric);
        withJitter.add(Kind.JITTER);
        ContrastiveAugmentation.Params a =
                ContrastiveAugmentation.builder().optKinds(geometric).build().sample(50, SIDE, SIDE, new Random(12));
        ContrastiveAugmentation.Params b =
                ContrastiveAugmentation.builder().optKinds(withJitter).build().sample(50, SIDE, SIDE, new Random(12));
        assertArrayEquals(a.theta(), b.theta());
        assertArrayEquals(a.erase(), b.erase());
        assertEquals(1f, a.brightness()[0]);
        assertEquals(1f, a.contrast()[0]);
    }

    @Test
    void badRangesAreRejectedWithTheirValues() {
        assertMessage(
                () -> ContrastiveAugmentation.builder()
                        .optCrop(0.9, 0.5, 0.75, 1.33)
                        .build(),
                "[0.9, 0.5]");
        assertMessage(
                () -> ContrastiveAugmentation.builder()
                        .optCrop(0, 1, 0.75, 1.33)
                        .build(),
                "[0.0, 1.0]");
        assertMessage(
                () -> ContrastiveAugmentation.builder().optCrop(0.5, 1, 1.5, 2).build(), "[1.5, 2.0]");
        assertMessage(
                () -> ContrastiveAugmentation.builder().optFlipProbability(1.5).build(), "1.5");
        assertMessage(() -> ContrastiveAugmentation.builder().optAffine(-1, 0.1).build(), "-1");
        assertMessage(() -> ContrastiveAugmentation.builder().optNoiseStd(-0.1).build(), "-0.1");
        assertMessage(
                () -> ContrastiveAugmentation.builder().optErase(0.5, 0.3, 0.2).build(), "[0.3, 0.2]");
        assertMessage(() -> ContrastiveAugmentation.builder().optKinds(Set.of()), "at least one");
        assertMessage(
                () -> ContrastiveAugmentation.builder().optJitter(1.2, 0.4).build(), "1.2");
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveAugmentation aug = ContrastiveAugmentation.builder().build();
            assertMessage(() -> aug.view(m.zeros(new Shape(2, 3, SIDE, SIDE)), new Random(1)), "(2, 3, 28, 28)");
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
