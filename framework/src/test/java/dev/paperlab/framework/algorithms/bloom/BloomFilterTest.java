package dev.paperlab.framework.algorithms.bloom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Funnels;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BloomFilterTest {
    private static final int N = 100_000;
    private static final double P = 0.01;
    private static final int QUERIES = 1_000_000;

    @Test
    void optimalSizesGoldenValues() {
        // m = ceil(1000 * ln(100) / ln(2)^2) = ceil(9585.06) = 9586; k = round(9.586 * ln 2) = 7.
        assertEquals(9586, BloomFilter.optimalNumBits(1000, 0.01));
        assertEquals(7, BloomFilter.optimalNumHashes(1000, 9586));
        // p = 1/2 needs one bit per key over ln(2)^2 ... and one hash.
        assertEquals(1443, BloomFilter.optimalNumBits(1000, 0.5));
        assertEquals(1, BloomFilter.optimalNumHashes(1000, 1443));
    }

    @Property(tries = 200)
    void fewerErrorsNeedMoreBits(
            @ForAll @LongRange(min = 1, max = 10_000_000) long n,
            @ForAll @DoubleRange(min = 0.7, max = 20) double nats) {
        double p = Math.exp(-nats);
        long m = BloomFilter.optimalNumBits(n, p);
        assertTrue(BloomFilter.optimalNumBits(n, p / 2) >= m);
        assertTrue(BloomFilter.optimalNumBits(n + 1, p) >= m);
        // k = (m/n) ln 2 = -log2(p), rounded.
        int k = BloomFilter.optimalNumHashes(n, m);
        double ideal = -Math.log(p) / Math.log(2);
        assertTrue(Math.abs(k - ideal) <= 0.5 + Math.log(2) / n + 1e-9, "k " + k + " vs " + ideal);
    }

    @Test
    void measuredFalsePositiveRateIsWithinTwentyPercentOfTarget() {
        BloomFilter filter = BloomFilter.create(N, P);
        com.google.common.hash.BloomFilter<Long> guava =
                com.google.common.hash.BloomFilter.create(Funnels.longFunnel(), N, P);
        for (long key = 0; key < N; key++) {
            filter.put(key);
            guava.put(key);
        }
        for (long key = 0; key < N; key++) {
            assertTrue(filter.mightContain(key), "false negative for " + key);
        }
        int falsePositives = 0;
        int guavaFalsePositives = 0;
        for (long key = N; key < N + QUERIES; key++) {
            falsePositives += filter.mightContain(key) ? 1 : 0;
            guavaFalsePositives += guava.mightContain(key) ? 1 : 0;
        }
        double fpr = (double) falsePositives / QUERIES;
        System.out.printf(
                "FPR at n=%d, p=%.2f: measured %.5f (Guava %.5f), from bits set %.5f%n",
                N, P, fpr, (double) guavaFalsePositives / QUERIES, filter.expectedFpp());
        assertTrue(Math.abs(fpr - P) <= 0.2 * P, "measured FPR " + fpr);
        assertTrue(Math.abs(filter.expectedFpp() - P) <= 0.2 * P, "expected FPP " + filter.expectedFpp());
    }

    @Test
    void textKeysHaveNoFalseNegativesAndTheTargetRate() {
        BloomFilter filter = BloomFilter.create(20_000, 0.05);
        for (int i = 0; i < 20_000; i++) {
            filter.put("doc-" + i);
        }
        int fp = 0;
        for (int i = 0; i < 20_000; i++) {
            assertTrue(filter.mightContain("doc-" + i));
            fp += filter.mightContain("other-" + i) ? 1 : 0;
        }
        assertTrue(Math.abs(fp / 20_000.0 - 0.05) <= 0.01, "FPR " + fp / 20_000.0);
    }

    @Test
    void unionHoldsTheBitsOfBothKeySets() {
        BloomFilter a = BloomFilter.create(1000, 0.01);
        BloomFilter b = BloomFilter.create(1000, 0.01);
        BloomFilter both = BloomFilter.create(1000, 0.01);
        for (long key = 0; key < 500; key++) {
            a.put(key);
            both.put(key);
        }
        for (long key = 500; key < 1000; key++) {
            b.put(key);
            both.put(key);
        }
        BloomFilter union = a.union(b);
        assertArrayEquals(both.toBytes(), union.toBytes());
        for (long key = 0; key < 1000; key++) {
            assertTrue(union.mightContain(key));
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> a.union(BloomFilter.create(2000, 0.01)));
        assertTrue(e.getMessage().contains(String.valueOf(a.numBits())), e.getMessage());
    }

    @Test
    void putReportsChangedBits() {
        BloomFilter filter = BloomFilter.create(100, 0.01);
        assertFalse(filter.mightContain(7L));
        assertTrue(filter.put(7L));
        assertFalse(filter.put(7L));
        assertEquals(filter.numHashes(), filter.bitCount(), 1.0, "k bits, barring collisions");
    }

    @Test
    void serialisationRoundTripsAndChecksTheHeader() {
        BloomFilter filter = BloomFilter.create(5000, 0.02);
        for (long key = 0; key < 5000; key++) {
            filter.put(key * 7919);
        }
        byte[] bytes = filter.toBytes();
        assertEquals(BloomFilter.FORMAT_VERSION, bytes[0]);
        BloomFilter back = BloomFilter.fromBytes(bytes);
        assertArrayEquals(bytes, back.toBytes());
        assertEquals(filter.numBits(), back.numBits());
        assertEquals(filter.numHashes(), back.numHashes());
        for (long key = 0; key < 20_000; key++) {
            assertEquals(filter.mightContain(key), back.mightContain(key));
        }
        byte[] wrongVersion = bytes.clone();
        wrongVersion[0] = 9;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BloomFilter.fromBytes(wrongVersion));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> BloomFilter.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertTrue(e.getMessage().contains(String.valueOf(bytes.length - 1)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.fromBytes(new byte[3]));
    }

    @Test
    void rejectsBadSizes() {
        for (double p : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BloomFilter.create(100, p));
            assertTrue(e.getMessage().contains(String.valueOf(p)), e.getMessage());
        }
        for (long n : new long[] {0, -3}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BloomFilter.create(n, 0.01));
            assertTrue(e.getMessage().contains(String.valueOf(n)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.withSize(0, 3));
        assertThrows(IllegalArgumentException.class, () -> BloomFilter.withSize(64, 0));
    }
}
