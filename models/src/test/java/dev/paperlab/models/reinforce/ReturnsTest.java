package dev.paperlab.models.reinforce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReturnsTest {

    /** Worked by hand: rewards 1, 0, 2 with gamma 0.5: G_2 = 2, G_1 = 0 + 1 = 1, G_0 = 1 + 0.5 = 1.5. */
    @Test
    void discountedReturnsOfAHandWorkedEpisode() {
        assertArrayEquals(new double[] {1.5, 1, 2}, Returns.discounted(new double[] {1, 0, 2}, 0.5), 0.0);
        assertArrayEquals(new double[] {3, 2, 2}, Returns.discounted(new double[] {1, 0, 2}, 1), 0.0);
        assertArrayEquals(new double[] {1, 0, 2}, Returns.discounted(new double[] {1, 0, 2}, 0), 0.0);
        assertArrayEquals(new double[0], Returns.discounted(new double[0], 0.9), 0.0);
    }

    /** By hand: returns (1, 2), (3), (5, 4): the first episode's b_0 = (3 + 5) / 2, b_1 = (0 + 4) / 2. */
    @Test
    void leaveOneOutOfAHandWorkedUpdate() {
        double[][] b = Returns.leaveOneOut(List.of(new double[] {1, 2}, new double[] {3}, new double[] {5, 4}));
        assertArrayEquals(new double[] {4, 2}, b[0], 0.0);
        assertArrayEquals(new double[] {3}, b[1], 0.0);
        assertArrayEquals(new double[] {2, 1}, b[2], 0.0);
    }

    @Test
    void normalisedHasZeroMeanAndUnitDeviation() {
        double[] n = Returns.normalised(new double[] {1, 2, 3, 10});
        double mean = (n[0] + n[1] + n[2] + n[3]) / 4;
        double var = 0;
        for (double v : n) {
            var += (v - mean) * (v - mean);
        }
        assertEquals(0, mean, 1e-12);
        assertEquals(1, Math.sqrt(var / 3), 1e-6); // eps = 1.2e-7 in the denominator
    }

    @Test
    void badInputGivesOneClearMessage() {
        assertEquals(
                "gamma must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Returns.discounted(new double[] {1}, 1.5))
                        .getMessage());
        assertEquals(
                "gamma must be in [0, 1], got -0.1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReinforceConfig.builder().optGamma(-0.1).build())
                        .getMessage());
        assertEquals(
                "episodes per update must be >= 1, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReinforceConfig.builder()
                                        .optEpisodesPerUpdate(0)
                                        .build())
                        .getMessage());
        assertEquals(
                "baseline rloo needs at least 2 episodes per update, got 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReinforceConfig.builder()
                                        .optBaseline(Baseline.RLOO)
                                        .build())
                        .getMessage());
        assertEquals(
                "leave-one-out needs at least 2 episodes per update, got 1",
                assertThrows(IllegalArgumentException.class, () -> Returns.leaveOneOut(List.of(new double[] {1})))
                        .getMessage());
    }
}
