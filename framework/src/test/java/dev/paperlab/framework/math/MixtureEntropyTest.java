package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MixtureEntropyTest {

    /**
     * Simpson's error is O(h^4 f''''): with 40,000 intervals over at most ~60 sd it is below 1e-12
     * here; 1e-9 also covers rounding in the sum. The bounds are tight (all equal) at zero
     * separation, so this is the slack that comparison needs.
     */
    private static final double QUADRATURE = 1e-9;

    @Property(tries = 60)
    void boundsContainTheQuadratureGroundTruth(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        MixtureEntropy mix = randomMixture(n, new Random(seed));
        double h = mix.quadrature(40_000);
        assertTrue(mix.conditionalEntropy() <= mix.bhattacharyyaLowerBound() + QUADRATURE);
        assertTrue(mix.bhattacharyyaLowerBound() <= h + QUADRATURE, "BD bound above H");
        assertTrue(h <= mix.klUpperBound() + QUADRATURE, "KL bound below H");
        assertTrue(mix.klUpperBound() <= mix.jointUpperBound() + QUADRATURE);
    }

    @Test
    void monteCarloAgreesWithQuadratureWithinItsStandardError() {
        Random random = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            MixtureEntropy mix = randomMixture(3, random);
            MixtureEntropy.Estimate mc = mix.monteCarlo(100_000, random);
            // -log f(x) has finite variance, so the mean is normal by the CLT; with 5 trials at
            // 5 standard errors a false failure has probability < 3e-6
            assertEquals(mix.quadrature(40_000), mc.value(), 5 * mc.standardError(), mc.toString());
        }
    }

    @Test
    void oneComponentHasTheGaussianEntropyAndSeparatedOnesAddTheWeightEntropy() {
        MixtureEntropy one = new MixtureEntropy(new double[] {1}, new double[] {0.3}, new double[] {2});
        assertEquals(0.5 * Math.log(2 * Math.PI * Math.E * 4), one.quadrature(40_000), QUADRATURE);
        MixtureEntropy far = new MixtureEntropy(new double[] {0.3, 0.7}, new double[] {0, 100}, new double[] {1, 1});
        assertEquals(far.jointUpperBound(), far.quadrature(40_000), QUADRATURE);
    }

    @Test
    void maxComponentEntropyIsNotALowerBound() {
        // a narrow component of weight 0.999 beside a wide one of weight 0.001
        MixtureEntropy mix =
                new MixtureEntropy(new double[] {0.999, 0.001}, new double[] {0, 0}, new double[] {0.1, 10});
        assertTrue(mix.quadrature(40_000) < mix.componentEntropy(1));
    }

    @Test
    void badInputIsRejected() {
        var w = assertThrows(
                IllegalArgumentException.class,
                () -> new MixtureEntropy(new double[] {1.5, -0.5}, new double[2], new double[] {1, 1}));
        assertEquals("weights[1] = -0.5, expected a finite non-negative probability", w.getMessage());
        var s = assertThrows(
                IllegalArgumentException.class,
                () -> new MixtureEntropy(new double[] {1}, new double[] {0}, new double[] {0}));
        assertTrue(s.getMessage().contains("sd 0.0"), s.getMessage());
    }

    static MixtureEntropy randomMixture(int n, Random random) {
        double[] w = KlDivergenceTest.randomDistribution(n, random);
        double[] m = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = 4 * random.nextGaussian();
            s[i] = 0.3 + 2 * random.nextDouble();
        }
        return new MixtureEntropy(w, m, s);
    }
}
