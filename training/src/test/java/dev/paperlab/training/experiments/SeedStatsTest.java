package dev.paperlab.training.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedStatsTest {

    @Test
    void tQuantilesMatchTheTable() {
        // two-sided 95% critical values of Student's t (e.g. NIST/SEMATECH handbook, Table 1.3.6.7.2)
        assertEquals(12.706, SeedStats.tQuantile(1), 1e-3);
        assertEquals(4.303, SeedStats.tQuantile(2), 1e-3);
        assertEquals(2.776, SeedStats.tQuantile(4), 1e-3);
        assertEquals(2.262, SeedStats.tQuantile(9), 1e-3);
        assertEquals(1.960, SeedStats.tQuantile(1e6), 1e-3);
    }

    @Test
    void intervalOfFourValuesByHand() {
        // 1, 2, 3, 4: mean 2.5, s^2 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, s / sqrt(4) = 0.6455,
        // t_{0.975, 3} = 3.182 (table): half-width 2.054
        SeedStats s = SeedStats.of(1, 2, 3, 4);
        assertEquals(4, s.n());
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5 / 3.0), s.sd(), 1e-15);
        assertEquals(3.182 * 0.6455, s.halfWidth(), 2e-3);
        assertEquals("2.50 ± 2.05", s.format(2));
    }

    @Test
    void oneSeedHasNoInterval() {
        SeedStats s = SeedStats.of(0.7);
        assertTrue(Double.isNaN(s.halfWidth()));
        assertEquals("0.700", s.format(3));
    }

    @Test
    void welchDifferenceByHand() {
        // a = {1, 2, 3}: mean 2, var 1; b = {4, 6, 8}: mean 6, var 4. se^2 = 1/3 + 4/3 = 5/3,
        // df = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = (25/9) / (17/18) = 2.941
        double[] d = SeedStats.difference(SeedStats.of(1, 2, 3), SeedStats.of(4, 6, 8));
        assertEquals(4, d[0], 1e-15);
        assertEquals(SeedStats.tQuantile(50 / 17.0) * Math.sqrt(5 / 3.0), d[1], 1e-12);
        // t at 2.94 df lies between the table's 4.303 (2 df) and 3.182 (3 df)
        assertTrue(d[1] > 3.182 * Math.sqrt(5 / 3.0) && d[1] < 4.303 * Math.sqrt(5 / 3.0));
    }
}
