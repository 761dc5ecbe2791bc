package dev.paperlab.models.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The distribution {@link TokenSampler#sample} draws from, by Pearson's chi-square goodness-of-fit
 * test against softmax(z / T) restricted to the top-k / top-p set and renormalised, computed here in
 * doubles from the definition (Fan et al. 2018; Holtzman et al. 2020).
 */
class TokenSamplerDistributionTest {
    private static final int VOCAB = 12;
    private static final int DRAWS = 20_000;
    /**
     * Significance level: a correct sampler fails a given (config, seed) with probability 1e-4; the
     * seeds are fixed, so the outcome is deterministic (java.util.Random and Java float arithmetic are
     * the same on every JVM).
     */
    private static final double ALPHA = 1e-4;
    /** Cells expected to hold fewer draws are pooled, so that the chi-square approximation holds. */
    private static final double MIN_EXPECTED = 5;

    private static float[] logits(long seed) {
        Random random = new Random(seed);
        float[] z = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            z[i] = (float) (2 * random.nextGaussian());
        }
        return z;
    }

    /**
     * softmax(z / T) over the k largest logits (ties to the lower id), cut to the smallest prefix of
     * descending probabilities whose mass reaches p, renormalised; 0 outside the set.
     */
    static double[] expected(float[] z, double temperature, int topK, double topP) {
        Integer[] order = IntStream.range(0, z.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -z[i]).thenComparingInt(i -> i));
        int k = topK > 0 ? Math.min(topK, z.length) : z.length;
        double[] w = new double[k];
        double sum = 0;
        for (int r = 0; r < k; r++) {
            w[r] = Math.exp((z[order[r]] - (double) z[order[0]]) / temperature);
            sum += w[r];
        }
        int keep = 0;
        double mass = 0;
        while (keep < k && (keep == 0 || mass < topP)) {
            double before = mass;
            mass += w[keep++] / sum;
            // clear of float rounding at the cut, so the set is the same in float and double
            assertTrue(
                    topP >= 1 || Math.abs(mass - topP) > 1e-4 && Math.abs(before - topP) > 1e-4,
                    "test setup: top-p " + topP + " is too close to a prefix mass " + mass);
        }
        double[] p = new double[z.length];
        for (int r = 0; r < keep; r++) {
            p[order[r]] = w[r] / sum / mass;
        }
        return p;
    }

    private static long[] counts(float[] z, SamplingConfig config, long seed) {
        Random random = new Random(seed);
        long[] n = new long[z.length];
        for (int d = 0; d < DRAWS; d++) {
            n[TokenSampler.sample(z, config, random)]++;
        }
        return n;
    }

    /** Pearson's statistic over the set, small cells pooled; {df, statistic}. */
    private static double[] chiSquare(long[] observed, double[] p) {
        List<double[]> cells = new ArrayList<>(); // {observed, expected}
        double[] pooled = {0, 0};
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                continue;
            }
            double e = DRAWS * p[i];
            if (e < MIN_EXPECTED) {
                pooled[0] += observed[i];
                pooled[1] += e;
            } else {
                cells.add(new double[] {observed[i], e});
            }
        }
        if (pooled[1] > 0) {
            cells.add(pooled);
        }
        double statistic = 0;
        for (double[] c : cells) {
            statistic += (c[0] - c[1]) * (c[0] - c[1]) / c[1];
        }
        return new double[] {cells.size() - 1, statistic};
    }

    private static double critical(double df) {
        return new ChiSquaredDistribution(df).inverseCumulativeProbability(1 - ALPHA);
    }

    @ParameterizedTest(name = "T={0}, k={1}, p={2}")
    @CsvSource({
        "1.0, 0, 1.0",
        "0.5, 0, 1.0",
        "2.0, 0, 1.0",
        "1.0, 5, 1.0",
        "0.7, 3, 1.0",
        "1.0, 0, 0.9",
        "1.5, 0, 0.6",
        "0.8, 6, 0.8",
        "1.3, 8, 0.95",
        "3.0, 4, 0.7"
    })
    void drawsFollowTheTruncatedTemperedSoftmax(float temperature, int topK, float topP) {
        long seed = 1000L * topK + (long) (100 * temperature) + (long) (1000 * topP);
        float[] z = logits(seed);
        double[] p = expected(z, temperature, topK, topP);
        long[] observed = counts(z, new SamplingConfig(temperature, topK, topP), seed);
        for (int i = 0; i < z.length; i++) {
            if (p[i] == 0) {
                assertEquals(0, observed[i], "token " + i + " is outside the top-k / top-p set");
            }
        }
        double[] test = chiSquare(observed, p);
        assertTrue(test[0] >= 1, "test setup: fewer than two cells, nothing to compare");
        assertTrue(
                test[1] < critical(test[0]),
                "chi-square " + test[1] + " with " + test[0]
                        + " degrees of freedom exceeds the 1e-4 critical value " + critical(test[0]) + "; counts "
                        + Arrays.toString(observed) + ", expected p " + Arrays.toString(p));
    }

    @Test
    void theTestRejectsANearbyWrongDistribution() {
        // draws at T = 1 judged against T = 1.15, and top-5 draws judged against top-6: with
        // these many draws the test has the power to see either slip
        float[] z = logits(7);
        long[] observed = counts(z, new SamplingConfig(1f, 0, 1f), 7);
        double[] wrongTemperature = chiSquare(observed, expected(z, 1.15, 0, 1.0));
        assertTrue(wrongTemperature[1] > critical(wrongTemperature[0]), "T 1.15 not rejected: " + wrongTemperature[1]);
        long[] topFive = counts(z, new SamplingConfig(1f, 5, 1f), 7);
        double[] wrongSet = chiSquare(topFive, expected(z, 1.0, 6, 1.0));
        assertTrue(wrongSet[1] > critical(wrongSet[0]), "top-6 not rejected: " + wrongSet[1]);
    }
}
