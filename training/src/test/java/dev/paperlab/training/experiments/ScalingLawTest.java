package dev.paperlab.training.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScalingLawTest {
    // the Chinchilla paper's own fit (Hoffmann et al. 2022, Eq. 10)
    private static final ScalingLaw TRUTH =
            new ScalingLaw(Math.log(1.69), Math.log(406.4), Math.log(410.7), 0.34, 0.28);

    /** 6 sizes x 5 token budgets over 3 decades each, loss times exp(noise * N(0, 1)). */
    private static List<ScalingLaw.Point> synthetic(double noise, long seed) {
        Random random = new Random(seed);
        List<ScalingLaw.Point> points = new ArrayList<>();
        for (double n = 1e6; n <= 1e9 * 1.01; n *= Math.sqrt(10) * 1.26) {
            for (double d = 1e8; d <= 1e11 * 1.01; d *= Math.pow(10, 0.75)) {
                points.add(new ScalingLaw.Point(n, d, TRUTH.predict(n, d) * Math.exp(noise * random.nextGaussian())));
            }
        }
        return points;
    }

    @Test
    void recoversTheParametersOfNoiseFreeData() {
        ScalingLaw fit = ScalingLaw.fit(synthetic(0, 1));
        // noise-free: the Huber objective's minimum is 0 at the truth; L-BFGS stops at |g| ~ 1e-10
        assertEquals(0.34, fit.alpha(), 1e-3);
        assertEquals(0.28, fit.beta(), 1e-3);
        assertEquals(1.69, fit.irreducible(), 1e-3);
        assertEquals(406.4, Math.exp(fit.a()), 406.4 * 0.01);
    }

    @Test
    void recoversTheExponentsFromNoisyDataWithinTheirBootstrapIntervals() {
        // 1% multiplicative noise, about the seed-to-seed spread of our small LMs
        List<ScalingLaw.Point> points = synthetic(0.01, 2);
        ScalingLaw.Bootstrap b = ScalingLaw.bootstrap(points, 40, 3);
        assertTrue(b.alpha().low() <= 0.34 && 0.34 <= b.alpha().high(), "alpha interval " + b.alpha());
        assertTrue(b.beta().low() <= 0.28 && 0.28 <= b.beta().high(), "beta interval " + b.beta());
        // measured at this seed: alpha 0.339, beta 0.293, intervals [0.324, 0.358] and [0.243, 0.316];
        // the bounds leave about twice that room for other CPUs' rounding in the fits
        assertEquals(0.34, b.law().alpha(), 0.03);
        assertEquals(0.28, b.law().beta(), 0.03);
        assertTrue(b.alpha().high() - b.alpha().low() < 0.1, "alpha interval " + b.alpha());
        assertTrue(b.beta().high() - b.beta().low() < 0.15, "beta interval " + b.beta());
    }

    @Test
    void computeOptimalSizeMinimisesTheLossAlongTheIsoFlopCurve() {
        double c = 1e21;
        double[] opt = TRUTH.computeOptimal(c);
        assertEquals(c, 6 * opt[0] * opt[1], c * 1e-12);
        // brute force: L(N, C / 6N) over N on a fine log grid
        double bestN = 0;
        double best = Double.POSITIVE_INFINITY;
        for (double logN = 15; logN < 30; logN += 1e-4) {
            double n = Math.exp(logN);
            double l = TRUTH.predict(n, c / (6 * n));
            if (l < best) {
                best = l;
                bestN = n;
            }
        }
        assertEquals(Math.log(bestN), Math.log(opt[0]), 2e-4); // grid step 1e-4 in log N
    }
}
