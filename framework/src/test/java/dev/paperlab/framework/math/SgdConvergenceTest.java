package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SgdConvergenceTest {
    private static final long[] STEPS = {100, 300, 1000, 3000, 10_000, 30_000};

    @Test
    void convexLipschitzSlopeIsAboutMinusHalfAndTheBoundHoldsOnEveryInstance() {
        for (long seed = 1; seed <= 4; seed++) {
            SgdConvergence.Curve c = SgdConvergence.convexLipschitz(10, 101, STEPS, 12, seed);
            for (int i = 0; i < STEPS.length; i++) {
                // the bound is on the expectation; the run mean is within 3 standard errors of it
                // with probability 0.9987 even if the bound were tight
                assertTrue(
                        c.suboptimality()[i] - 3 * c.standardError()[i] <= c.bound()[i],
                        "T=" + STEPS[i] + ": " + c.suboptimality()[i] + " > bound " + c.bound()[i]);
            }
            // the rate is log T / sqrt T: over T in [1e2, 3e4] its log-log slope is -1/2 + 1/ln T ~ -0.4;
            // the runs' noise (standard error ~5% of the mean) moves a 6-point slope by ~0.02
            assertEquals(-0.5, c.slope(), 0.2, "seed " + seed);
        }
    }

    @Test
    void stronglyConvexSlopeIsAboutMinusOne() {
        for (long seed = 1; seed <= 3; seed++) {
            SgdConvergence.Curve c = SgdConvergence.stronglyConvex(10, 1.0, 1.0, STEPS, 12, seed);
            // E[f(xbar_T)] = c / T + O(1/T^2); noise in the mean of 12 runs (~30%) moves the slope by ~0.05
            assertEquals(-1.0, c.slope(), 0.15, "seed " + seed);
        }
    }

    @Test
    void badCheckpointsAreRejected() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> SgdConvergence.convexLipschitz(2, 5, new long[] {10, 5}, 1, 1));
        assertEquals("checkpoints must be increasing and >= 1, got 5 at index 1", e.getMessage());
    }
}
