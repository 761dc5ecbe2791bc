package dev.paperlab.framework.position;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.check.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RotaryEmbeddingTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray random(long... shape) {
        return manager.randomNormal(new Shape(shape), DataType.FLOAT64);
    }

    private RotaryEmbedding rope(int d, RopeConvention convention) {
        return RotaryEmbedding.builder()
                .setHeadSize(d)
                .setManager(manager)
                .optConvention(convention)
                .optInitialLength(8)
                .build();
    }

    private static double score(RotaryEmbedding rope, NDArray q, NDArray k, int m, int n) {
        return rope.apply(q, m).mul(rope.apply(k, n)).sum().getDouble();
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void scoreDependsOnlyOnRelativePosition(RopeConvention convention) {
        int d = 16;
        try (RotaryEmbedding rope = rope(d, convention)) {
            NDArray q = random(1, 1, 1, d);
            NDArray k = random(1, 1, 1, d);
            double reference = score(rope, q, k, 0, 3);
            for (int m : new int[] {1, 5, 17, 100, 1000}) {
                assertEquals(reference, score(rope, q, k, m, m + 3), 1e-9, "m = " + m);
            }
            // A different distance gives a different score, so the check above can fail.
            assertTrue(Math.abs(reference - score(rope, q, k, 0, 4)) > 1e-3);
        }
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void rotationPreservesNorms(RopeConvention convention) {
        try (RotaryEmbedding rope = rope(8, convention)) {
            NDArray x = random(2, 3, 7, 8);
            NDArray y = rope.apply(x, 5);
            assertArrayEquals(
                    x.norm(new int[] {-1}).toDoubleArray(),
                    y.norm(new int[] {-1}).toDoubleArray(),
                    1e-12);
            assertTrue(x.sub(y).abs().max().getDouble() > 1e-3, "rotation must change x");
        }
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void positionZeroIsIdentity(RopeConvention convention) {
        try (RotaryEmbedding rope = rope(8, convention)) {
            NDArray x = random(2, 3, 4, 8);
            NDArray y = rope.apply(x, 0);
            assertArrayEquals(
                    x.get("..., 0:1, :").toDoubleArray(), y.get("..., 0:1, :").toDoubleArray(), 0.0);
        }
    }

    @Test
    void interleavedMatchesPaperRotationMatrix() {
        int t = 5;
        int d = 6;
        int offset = 3;
        NDArray x = random(1, 1, t, d);
        double[] in = x.toDoubleArray();
        double[] out =
                Rope.rotate(x, offset, 10_000, RopeConvention.INTERLEAVED).toDoubleArray();
        double[] expected = new double[in.length];
        for (int row = 0; row < t; row++) {
            int m = offset + row;
            for (int i = 0; i < d / 2; i++) {
                double angle = m * Math.pow(10_000, -2.0 * i / d);
                double a = in[row * d + 2 * i];
                double b = in[row * d + 2 * i + 1];
                // [[cos, -sin], [sin, cos]] applied to (a, b)
                expected[row * d + 2 * i] = Math.cos(angle) * a - Math.sin(angle) * b;
                expected[row * d + 2 * i + 1] = Math.sin(angle) * a + Math.cos(angle) * b;
            }
        }
        assertArrayEquals(expected, out, 1e-12);
    }

    @Test
    void permutationMapsInterleavedPairsToHalves() {
        int[] p = Rope.interleavedToHalfSplit(8);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
        for (int i = 0; i < 4; i++) {
            // interleaved pair (2i, 2i+1) lands on half-split pair (i, i + D/2)
            assertEquals(2 * i, p[i]);
            assertEquals(2 * i + 1, p[i + 4]);
        }
    }

    @Test
    void conventionsAgreeAfterPermutation() {
        int d = 12;
        int[] p = Rope.interleavedToHalfSplit(d);
        NDArray x = random(2, 3, 9, d);
        NDArray viaHalf = Rope.rotate(Rope.permuteFeatures(x, p), 4, 10_000, RopeConvention.HALF_SPLIT);
        NDArray viaInterleaved = Rope.permuteFeatures(Rope.rotate(x, 4, 10_000, RopeConvention.INTERLEAVED), p);
        assertArrayEquals(viaInterleaved.toDoubleArray(), viaHalf.toDoubleArray(), 1e-12);
        // Without the permutation the conventions differ.
        NDArray plainHalf = Rope.rotate(x, 4, 10_000, RopeConvention.HALF_SPLIT);
        NDArray plainInterleaved = Rope.rotate(x, 4, 10_000, RopeConvention.INTERLEAVED);
        assertTrue(plainHalf.sub(plainInterleaved).abs().max().getDouble() > 1e-3);
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void offsetEqualsSliceOfLongerApplication(RopeConvention convention) {
        try (RotaryEmbedding rope = rope(8, convention)) {
            NDArray x = random(2, 2, 20, 8);
            NDArray full = rope.apply(x, 0);
            NDArray part = rope.apply(x.get("..., 7:12, :"), 7);
            assertArrayEquals(full.get("..., 7:12, :").toDoubleArray(), part.toDoubleArray(), 1e-12);
            // Decoding one token at a time gives the same rows.
            for (int pos = 12; pos < 20; pos++) {
                NDArray token = rope.apply(x.get("..., {}:{}, :", pos, pos + 1), pos);
                assertArrayEquals(
                        full.get("..., {}:{}, :", pos, pos + 1).toDoubleArray(), token.toDoubleArray(), 1e-12);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void cacheExtendsOnDemandAndMatchesFunctionalForm(RopeConvention convention) {
        try (RotaryEmbedding rope = rope(8, convention)) {
            assertEquals(8, rope.getCachedLength());
            NDArray x = random(1, 2, 30, 8);
            NDArray cached = rope.apply(x, 11);
            assertTrue(rope.getCachedLength() >= 41, "cache length " + rope.getCachedLength());
            NDArray functional = Rope.rotate(x, 11, 10_000, convention);
            assertArrayEquals(functional.toDoubleArray(), cached.toDoubleArray(), 1e-12);
            // float32 inputs get a float32 table and keep their type
            NDArray x32 = x.toType(DataType.FLOAT32, false);
            NDArray y32 = rope.apply(x32, 11);
            assertEquals(DataType.FLOAT32, y32.getDataType());
            assertArrayEquals(functional.toType(DataType.FLOAT32, false).toFloatArray(), y32.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void cacheSurvivesCallerScopes() {
        try (RotaryEmbedding rope = rope(4, RopeConvention.HALF_SPLIT)) {
            NDArray x = random(1, 1, 3, 4);
            try (NDManager step = manager.newSubManager();
                    ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                rope.apply(x.duplicate(), 2).attach(step);
            }
            NDArray again = rope.apply(x, 2);
            assertArrayEquals(
                    Rope.rotate(x, 2, 10_000, RopeConvention.HALF_SPLIT).toDoubleArray(), again.toDoubleArray(), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void autogradThroughRotationPassesFiniteDifferenceCheck(RopeConvention convention) {
        try (RotaryEmbedding rope = rope(4, convention)) {
            NDArray x = random(1, 2, 3, 4);
            NDArray w = random(1, 2, 3, 4);
            GradientCheck.Result r =
                    GradientCheck.check(in -> rope.apply(in.head(), 6).mul(w).sum(), new NDList(x));
            assertTrue(r.maxRelError() < 1e-6, r.toString());
        }
    }

    @Test
    void oddHeadSizeIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RotaryEmbedding.builder()
                        .setHeadSize(7)
                        .setManager(manager)
                        .build());
        assertTrue(e.getMessage().contains("7"), e.getMessage());
        NDArray odd = random(1, 1, 2, 5);
        IllegalArgumentException f = assertThrows(
                IllegalArgumentException.class, () -> Rope.rotate(odd, 0, 10_000, RopeConvention.INTERLEAVED));
        assertTrue(f.getMessage().contains("5"), f.getMessage());
    }

    @Test
    void wrongHeadSizeAndNegativeOffsetAreRejected() {
        try (RotaryEmbedding rope = rope(8, RopeConvention.HALF_SPLIT)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> rope.apply(random(1, 1, 2, 6), 0));
            assertTrue(e.getMessage().contains("(1, 1, 2, 6)"), e.getMessage());
            IllegalArgumentException f =
                    assertThrows(IllegalArgumentException.class, () -> rope.apply(random(1, 1, 2, 8), -1));
            assertTrue(f.getMessage().contains("-1"), f.getMessage());
        }
    }
}
