package dev.paperlab.training.experiments;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and 95% confidence interval of a metric over seeds, by Student's t: {@code mean +-
 * t_{0.975, n-1} s / sqrt(n)} with {@code s} the sample standard deviation (n - 1 in the
 * denominator). With one seed the interval is unknown (NaN). {@link #difference} compares two
 * settings by Welch's interval, whose degrees of freedom follow Welch-Satterthwaite.
 *
 * @param n number of values (seeds)
 * @param mean their mean
 * @param sd sample standard deviation (NaN for n = 1)
 * @param halfWidth half-width of the 95% interval (NaN for n = 1)
 */
public record SeedStats(int n, double mean, double sd, double halfWidth) {

    /** Statistics of {@code values}; NaN values (failed trials) must be removed by the caller. */
    public static SeedStats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("need at least one value, got 0");
        }
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v / n;
        }
        if (n == 1) {
            return new SeedStats(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new SeedStats(n, mean, sd, tQuantile(n - 1) * sd / Math.sqrt(n));
    }

    /** {@code t_{0.975, df}}: the two-sided 95% quantile of Student's t. */
    public static double tQuantile(double df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }

    /**
     * Welch's 95% interval for {@code b.mean - a.mean}: a difference whose interval excludes 0
     * exceeds seed noise. Returns {@code {difference, halfWidth}} (half-width NaN with fewer than
     * two values on either side).
     */
    public static double[] difference(SeedStats a, SeedStats b) {
        double d = b.mean - a.mean;
        if (a.n < 2 || b.n < 2) {
            return new double[] {d, Double.NaN};
        }
        double va = a.sd * a.sd / a.n;
        double vb = b.sd * b.sd / b.n;
        if (va + vb == 0) {
            return new double[] {d, 0};
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
        return new double[] {d, tQuantile(df) * Math.sqrt(va + vb)};
    }

    /** {@code mean ± halfWidth} with {@code digits} decimals, or the mean alone for one seed. */
    public String format(int digits) {
        String f = "%." + digits + "f";
        String m = String.format(Locale.ROOT, f, mean);
        return Double.isNaN(halfWidth) ? m : m + " ± " + String.format(Locale.ROOT, f, halfWidth);
    }
}
