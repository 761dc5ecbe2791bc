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
            // the bound decays like log T / sqrt T, a log-log slope of -1/2 + 1/ln T (about -0.4 here);
            // the measured gap may fall somewhat faster (about -0.6 to -0.7 on these instances: near
            // the kinked minimum the averaged iterate gains from sign cancellations), which an upper
            // bound allows. +-0.2 around -1/2 still tells this rate from -1 (strongly convex) and 0;
            // the noise of the 12-run mean (standard error ~5%) moves a 6-point slope by ~0.02
            assertEquals(-0.5, c.slope(), 0.2, "seed " + seed);
            assertEquals(-0.4, SgdConvergence.logLogSlope(STEPS, c.bound()), 0.05, "the bound's own slope");
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
