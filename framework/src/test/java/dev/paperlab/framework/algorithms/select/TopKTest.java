package dev.paperlab.framework.algorithms.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.Ordering;
import com.google.common.primitives.Floats;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TopKTest {

    /** Brute force: sort all indices by (value descending, index ascending), take k. */
    static int[] bruteLargest(float[] a, int k) {
        return IntStream.range(0, a.length)
                .boxed()
                .sorted(((Comparator<Integer>) (i, j) -> Float.compare(a[j], a[i])).thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static int[] bruteSmallest(float[] a, int k) {
        return IntStream.range(0, a.length)
                .boxed()
                .sorted(((Comparator<Integer>) (i, j) -> Float.compare(a[i], a[j])).thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static int[] bruteLargest(double[] a, int k) {
        return IntStream.range(0, a.length)
                .boxed()
                .sorted(((Comparator<Integer>) (i, j) -> Double.compare(a[j], a[i])).thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Values drawn from few distinct numbers (many ties) or a wide range, with special values. */
    static float[] randomFloats(Random rnd, int n, boolean ties) {
        float[] specials = {
            Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE
        };
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(100);
            a[i] = r < 3
                    ? specials[rnd.nextInt(specials.length)]
                    : ties ? rnd.nextInt(7) - 3 : (float) rnd.nextGaussian();
        }
        return a;
    }

    @Property(tries = 300)
    void floatsMatchBruteForce(
            @ForAll long seed,
            @ForAll @IntRange(max = 600) int n,
            @ForAll boolean ties,
            @ForAll @IntRange(max = 1000) int kPermille) {
        float[] a = randomFloats(new Random(seed), n, ties);
        float[] copy = a.clone();
        int k = (int) ((long) n * kPermille / 1000);
        TopK.FloatResult big = TopK.largest(a, k);
        TopK.FloatResult small = TopK.smallest(a, k);
        assertArrayEquals(bruteLargest(a, k), big.indices());
        assertArrayEquals(bruteSmallest(a, k), small.indices());
        for (int j = 0; j < k; j++) {
            assertEquals(Float.floatToIntBits(a[big.indices()[j]]), Float.floatToIntBits(big.values()[j]));
        }
        assertArrayEquals(copy, a, "input must not be modified");
    }

    @Property(tries = 200)
    void doublesMatchBruteForce(
            @ForAll long seed, @ForAll @IntRange(max = 600) int n, @ForAll @IntRange(max = 1000) int kPermille) {
        Random rnd = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextGaussian();
        }
        int k = (int) ((long) n * kPermille / 1000);
        assertArrayEquals(bruteLargest(a, k), TopK.largest(a, k).indices());
        double[] neg = Arrays.stream(a).map(x -> -x).toArray();
        // smallest of a == largest of -a when there are no NaNs or signed zeros to reorder
        if (Arrays.stream(a).noneMatch(x -> Double.isNaN(x) || x == 0)) {
            assertArrayEquals(bruteLargest(neg, k), TopK.smallest(a, k).indices());
        }
    }

    @Property(tries = 100)
    void smallestValuesEqualGuavaLeastOf(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 200) int k0) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        int k = Math.min(k0, n);
        List<Float> guava = Ordering.<Float>natural().leastOf(Floats.asList(a), k);
        assertArrayEquals(Floats.toArray(guava), TopK.smallest(a, k).values());
        List<Float> guavaMax = Ordering.<Float>natural().greatestOf(Floats.asList(a), k);
        assertArrayEquals(Floats.toArray(guavaMax), TopK.largest(a, k).values());
    }

    @Test
    void goldenCases() {
        float[] a = {3, 1, 4, 1, 5, 9, 2, 6};
        assertArrayEquals(new float[] {9, 6, 5}, TopK.largest(a, 3).values());
        assertArrayEquals(new int[] {5, 7, 4}, TopK.largest(a, 3).indices());
        assertArrayEquals(new float[] {1, 1, 2}, TopK.smallest(a, 3).values());
        assertArrayEquals(new int[] {1, 3, 6}, TopK.smallest(a, 3).indices());
        assertArrayEquals(
                new int[] {0, 1}, TopK.largest(new float[] {2, 2, 2}, 2).indices());
        assertArrayEquals(
                new int[] {2, 3, 0, 1},
                TopK.largest(new float[] {0.0f, -0.0f, Float.NaN, 1f}, 4).indices());
        assertArrayEquals(
                new int[] {1, 0, 3, 2},
                TopK.smallest(new float[] {0.0f, -0.0f, Float.NaN, 1f}, 4).indices());
        assertEquals(0, TopK.largest(new float[0], 0).values().length);
        assertArrayEquals(
                new int[] {2, 0}, TopK.largest(new double[] {5, 1, 7}, 2).indices());
    }

    @Test
    void adversarialOrdersOfALargeArray() {
        int n = 100_000;
        int k = 1000;
        float[] up = new float[n];
        float[] down = new float[n];
        float[] same = new float[n];
        float[] organ = new float[n];
        for (int i = 0; i < n; i++) {
            up[i] = i;
            down[i] = n - i;
            same[i] = 42;
            organ[i] = Math.min(i, n - i);
        }
        for (float[] a : new float[][] {up, down, same, organ}) {
            assertArrayEquals(bruteLargest(a, k), TopK.largest(a, k).indices());
            assertArrayEquals(bruteSmallest(a, k), TopK.smallest(a, k).indices());
        }
        int[] all = TopK.largest(up, n).indices();
        for (int j = 0; j < n; j++) {
            assertEquals(n - 1 - j, all[j]);
        }
    }

    @Test
    void rejectsKOutsideZeroToN() {
        float[] a = {1, 2, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.largest(a, 4));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.smallest(a, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopK.largest(new double[2], 3));
    }
}
