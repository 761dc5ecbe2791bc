package dev.paperlab.benchmarks.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplexityReportTest {

    /** Points (log T, log y) of y = c T^p for T = 256 ... 8192. */
    private static List<double[]> powerLaw(double c, double p) {
        List<double[]> pts = new ArrayList<>();
        for (long t = 256; t <= 8192; t *= 2) {
            pts.add(new double[] {Math.log(t), Math.log(c * Math.pow(t, p))});
        }
        return pts;
    }

    @Test
    void slopeOfAnExactPowerLawIsItsExponent() {
        assertEquals(2.0, ComplexityReport.slope(powerLaw(3.5, 2.0)), 1e-12);
        assertEquals(1.0, ComplexityReport.slope(powerLaw(0.01, 1.0)), 1e-12);
        assertEquals(1.5, ComplexityReport.slope(powerLaw(7, 1.5)), 1e-12);
    }

    @Test
    void constantOffsetFlattensTheFit() {
        // y = 1000 + T: the offset dominates small T, so the fitted slope is below 1
        List<double[]> pts = new ArrayList<>();
        for (long t = 256; t <= 8192; t *= 2) {
            pts.add(new double[] {Math.log(t), Math.log(1000 + t)});
        }
        double p = ComplexityReport.slope(pts);
        assertTrue(p > 0 && p < 1, "slope " + p);
    }

    @Test
    void slopeNeedsTwoPoints() {
        assertTrue(Double.isNaN(ComplexityReport.slope(List.of(new double[] {1, 1}))));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Timing.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 2, 3}));
    }
}
